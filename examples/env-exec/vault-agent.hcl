# Process supervisor mode: secrets reach one program as environment variables, never a file, and
# the program is restarted when they change. `npm run demo` runs exactly this against the
# embedded dev server.

pid_file = "./agent.pid"

vault {
  address = "http://127.0.0.1:8200"
}

auto_auth {
  method "token_file" {
    config {
      token_file_path = "./.vault-token"
    }
  }
}

template_config {
  static_secret_render_interval = "10s"
  exit_on_retry_failure         = true
}

env_template "TEST_CRED1_USER" {
  contents             = "{{ with secret \"secret/data/test-cred1\" }}{{ .Data.data.user }}{{ end }}"
  error_on_missing_key = true
}

env_template "TEST_CRED1_PASSWORD" {
  contents             = "{{ with secret \"secret/data/test-cred1\" }}{{ .Data.data.password }}{{ end }}"
  error_on_missing_key = true
}

env_template "TEST_CRED2_FOO" {
  contents             = "{{ with secret \"secret/data/test-cred2\" }}{{ .Data.data.foo }}{{ end }}"
  error_on_missing_key = true
}

env_template "TEST_CRED2_BAZ" {
  contents             = "{{ with secret \"secret/data/test-cred2\" }}{{ .Data.data.baz }}{{ end }}"
  error_on_missing_key = true
}

exec {
  command                   = ["node", "app.mjs"]
  restart_on_secret_changes = "always"
  restart_stop_signal       = "SIGTERM"
}
