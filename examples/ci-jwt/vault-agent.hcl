# CI: log in with the pipeline's OIDC token and run the job step with secrets in its environment.
# GitHub Actions (permissions: id-token: write): vaultrun fetches the token from
# ACTIONS_ID_TOKEN_REQUEST_URL itself. GitLab: declare an id_token named VAULT_ID_TOKEN and use
# jwt_env = "VAULT_ID_TOKEN" instead of github_actions.
exit_after_auth = false

auto_auth {
  method "jwt" {
    mount_path = "auth/jwt"
    config {
      role           = "ci-deploy"
      github_actions = true
      audience       = "vault"
    }
  }
}

env_template "DEPLOY_KEY" {
  contents = "{{ with secret \"secret/data/ci/deploy\" }}{{ .Data.data.key }}{{ end }}"
}

exec {
  command = ["./deploy.sh"]
}
