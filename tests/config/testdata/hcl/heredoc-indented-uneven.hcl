x {
  a = <<-EOT
    hello
  world
    EOT
}
