#!/bin/sh
# Regenerates tests/template/core/testdata/gotemplate-goldens.json: gen.ts writes the cases,
# Go's text/template (with Consul Template's pure helpers, main.go + ctfuncs.go) runs them, and
# tests/template/core/gotemplate-goldens.test.ts compares vaultrun's engine with every result.
#
# Consul Template v0.42.1 is built with Go 1.26 and BurntSushi/toml 1.5.0. Go 1.26 is Debian
# sid's golang-1.26-go and golang-1.26-src, downloaded and unpacked into a private GOROOT (never
# installed; the Go toolchain is static and runs on bookworm). Failing that, bookworm-backports'
# golang-1.23-go (installed into /usr/lib/go-1.23, leaving the default `go` alone), with modern.go
# reproducing or leaving out the 1.23 -> 1.26 differences. toml is bookworm-backports' 1.3.2,
# unpacked into a private GOPATH (it encodes like 1.5.0 where bookworm's 1.2.0 does not).
# GOTEMPLATE_GO=/path/to/go overrides the Go; with an older Go (1.19) the harness leaves out the
# cases that need a newer one. Also needs bun and Debian's yaml.v2 and golang.org/x/text.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$root/tests/template/core/testdata/gotemplate-goldens.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/backports.sources" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
backports="-o Dir::Etc::sourcelist=$tmp/backports.sources -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0"
# shellcheck disable=SC2086
apt-get update $backports >/dev/null || echo "bookworm-backports unreachable" >&2

# Go 1.26 from sid, unpacked into $tmp (see ../fetch-go.sh).
gobin=${GOTEMPLATE_GO:-}
if [ -z "$gobin" ] && fetched=$(sh "$here/../fetch-go.sh" "$tmp/go"); then
  gobin=$(echo "$fetched" | sed -n 1p)
  GOROOT=$(echo "$fetched" | sed -n 2p)
  export GOROOT
fi
gobin=${gobin:-/usr/lib/go-1.23/bin/go}
if [ ! -x "$gobin" ] && [ -z "${GOTEMPLATE_GO:-}" ]; then
  # shellcheck disable=SC2086
  if ! apt-get install -y $backports golang-1.23-go >/dev/null; then
    echo "golang-1.23-go unavailable; using $(command -v go)" >&2
    gobin=$(command -v go)
  fi
fi

# toml 1.3.2 in a private GOPATH ahead of the system one.
gopath=/usr/share/gocode
# shellcheck disable=SC2086
if (cd "$tmp" && apt-get download $backports golang-github-burntsushi-toml-dev/bookworm-backports >/dev/null 2>&1); then
  dpkg-deb -x "$tmp"/golang-github-burntsushi-toml-dev_*.deb "$tmp/toml"
  gopath=$tmp/toml/usr/share/gocode:$gopath
else
  echo "toml from bookworm-backports unavailable; using the system's (toTOML goldens may differ from CT)" >&2
fi
for dep in gopkg.in/yaml.v2 github.com/BurntSushi/toml golang.org/x/text; do
  [ -d "/usr/share/gocode/src/$dep" ] || apt-get install -y golang-gopkg-yaml.v2-dev golang-github-burntsushi-toml-dev golang-golang-x-text-dev >/dev/null
done

(cd "$here" && GOPATH=$gopath GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local "$gobin" build -o "$tmp/gotemplate" .)
# GOTEMPLATE_BUILD_ONLY=PATH: keep the harness there (for scripts/fuzz/go-diff.ts) and stop.
if [ -n "${GOTEMPLATE_BUILD_ONLY:-}" ]; then
  cp "$tmp/gotemplate" "$GOTEMPLATE_BUILD_ONLY"
  echo "harness built: $GOTEMPLATE_BUILD_ONLY"
  exit 0
fi
bun "$here/gen.ts" >"$tmp/cases.json"
mkdir -p "$(dirname "$out")"
"$tmp/gotemplate" <"$tmp/cases.json" >"$out"
echo "goldens written to $out ($(wc -c <"$out") bytes)"
