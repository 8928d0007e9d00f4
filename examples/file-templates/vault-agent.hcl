# Render secrets into files. Run against the dev server:
#   vaultrun server -dev -dev-root-token-id=root &
#   export VAULT_ADDR=http://127.0.0.1:8200 VAULT_TOKEN=root
#   vaultrun kv put secret/app db_user=app db_password=s3cret
#   echo root > .vault-token && vaultrun agent -config=vault-agent.hcl
vault {
  address = "http://127.0.0.1:8200"
}

auto_auth {
  method "token_file" {
    config {
      token_file_path = "./.vault-token"
    }
  }
  sink "file" {
    config {
      path = "./out/agent-token"
      mode = 0600
    }
  }
}

template {
  destination = "./out/app.env"
  perms       = "0600"
  contents    = <<-EOT
    {{ with secret "secret/app" -}}
    DB_USER={{ .Data.data.db_user }}
    DB_PASSWORD={{ .Data.data.db_password }}
    {{ end -}}
  EOT
}

template {
  destination = "./out/app.json"
  perms       = "0600"
  backup      = true
  contents    = "{{ with secret \"secret/app\" }}{{ .Data.data | toJSONPretty }}{{ end }}"
  exec {
    command = ["sh", "-c", "echo app.json changed"]
    timeout = "10s"
  }
}
