template {
  contents = <<EOT
{{ with secret "kv/data/app" }}{{ .Data.data.password }}{{ end }}
EOT
  destination = "/tmp/out"
}
