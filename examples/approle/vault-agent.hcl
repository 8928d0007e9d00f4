# AppRole auto-auth with a response-wrapped secret_id, a token sink, and a template.
#   vault auth enable approle
#   vault write auth/approle/role/web token_policies=web token_ttl=1h
#   vault read -field=role_id auth/approle/role/web/role-id > role_id
#   vault write -wrap-ttl=5m -field=wrapping_token -f auth/approle/role/web/secret-id > secret_id
auto_auth {
  method "approle" {
    mount_path = "auth/approle"
    config {
      role_id_file_path                   = "./role_id"
      secret_id_file_path                 = "./secret_id"
      remove_secret_id_file_after_reading = true
      secret_id_response_wrapping_path    = "auth/approle/role/web/secret-id"
    }
  }
  sink "file" {
    config {
      path = "./agent-token"
    }
  }
}

template {
  destination = "./db.properties"
  contents    = <<-EOT
    {{ with secret "database/creds/web" }}user={{ .Data.username }}
    password={{ .Data.password }}{{ end }}
  EOT
}
