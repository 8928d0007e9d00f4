template {
  destination = "a"
}
template {
  destination = "b"
}
listener "tcp" { address = "127.0.0.1:8100" }
listener "unix" { address = "/tmp/sock" }
pid_file = "one"
pid_file = "two"
