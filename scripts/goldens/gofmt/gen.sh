#!/bin/sh
# Regenerates tests/template/core/testdata/gofmt-goldens.json: template cases rendered by Go's
# text/template (fmt, strconv, strings, encoding/base64, crypto and x/text/cases as Consul Template
# calls them), with the exact output bytes or error text. The cases live in main.go.
# tests/template/core/bytes-goldens.test.ts compares vaultrun's engine against every case, byte
# for byte. Needs Go (Debian sid's golang-1.26, fetched by ../fetch-go.sh; else the system's) and
# golang-golang-x-text-dev.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=${TMPDIR:-/tmp}/gofmt-goldens
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -d /usr/share/gocode/src/golang.org/x/text/cases ]; then
  apt-get update
  apt-get install -y golang-golang-x-text-dev
fi
# Go 1.26 (Consul Template's) from sid, unpacked into $tmp; else the system's `go`.
gobin=go
if fetched=$(sh "$here/../fetch-go.sh" "$tmp/go"); then
  gobin=$(echo "$fetched" | sed -n 1p)
  GOROOT=$(echo "$fetched" | sed -n 2p)
  export GOROOT
elif ! command -v go >/dev/null 2>&1; then
  apt-get install -y golang-go
fi
(cd "$here" && GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local "$gobin" build -o "$bin" main.go)
mkdir -p "$root/tests/template/core/testdata"
"$bin" "$root/tests/template/core/testdata/gofmt-goldens.json"
echo "goldens written to tests/template/core/testdata/gofmt-goldens.json"
