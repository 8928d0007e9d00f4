#!/bin/sh
# Regenerates tests/template/core/testdata/gotemplate-goldens.json: gen.ts writes the cases,
# Go's text/template (with Consul Template's pure helpers, main.go + ctfuncs.go) runs them, and
# tests/template/core/gotemplate-goldens.test.ts compares vaultrun's engine with every result.
#
# Go: Consul Template is built with a recent Go; the closest here is Debian bookworm-backports'
# golang-1.23-go (installed into /usr/lib/go-1.23 on first use, leaving the default `go` alone).
# GOTEMPLATE_GO=/path/to/go overrides; with an older Go (1.19) the harness leaves out the cases
# that need a newer one ({{else with}}, range over an integer).
# Also needs bun and Debian's GOPATH packages: yaml.v2, BurntSushi/toml, golang.org/x/text.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$root/tests/template/core/testdata/gotemplate-goldens.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gobin=${GOTEMPLATE_GO:-/usr/lib/go-1.23/bin/go}
if [ ! -x "$gobin" ] && [ -z "${GOTEMPLATE_GO:-}" ]; then
  cat >"$tmp/backports.sources" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  backports="-o Dir::Etc::sourcelist=$tmp/backports.sources -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0"
  # shellcheck disable=SC2086
  if apt-get update $backports >/dev/null && apt-get install -y $backports golang-1.23-go >/dev/null; then
    :
  else
    echo "golang-1.23-go unavailable; using $(command -v go)" >&2
    gobin=$(command -v go)
  fi
fi
for dep in gopkg.in/yaml.v2 github.com/BurntSushi/toml golang.org/x/text; do
  [ -d "/usr/share/gocode/src/$dep" ] || apt-get install -y golang-gopkg-yaml.v2-dev golang-github-burntsushi-toml-dev golang-golang-x-text-dev >/dev/null
done

(cd "$here" && GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local "$gobin" build -o "$tmp/gotemplate" .)
bun "$here/gen.ts" >"$tmp/cases.json"
mkdir -p "$(dirname "$out")"
"$tmp/gotemplate" <"$tmp/cases.json" >"$out"
echo "goldens written to $out ($(wc -c <"$out") bytes)"
