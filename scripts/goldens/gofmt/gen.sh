#!/bin/sh
# Regenerates tests/template/core/testdata/gofmt-goldens.json: template cases rendered by Go's
# text/template (fmt, strconv, strings, encoding/base64, crypto and x/text/cases as Consul Template
# calls them), with the exact output bytes or error text. The cases live in main.go.
# tests/template/core/bytes-goldens.test.ts compares vaultrun's engine against every case, byte
# for byte. Needs Go (Debian's golang-go, 1.19 here) and golang-golang-x-text-dev.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=${TMPDIR:-/tmp}/gofmt-goldens
if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/golang.org/x/text/cases ]; then
  apt-get update
  apt-get install -y golang-go golang-golang-x-text-dev
fi
(cd "$here" && GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= go build -o "$bin" main.go)
mkdir -p "$root/tests/template/core/testdata"
"$bin" "$root/tests/template/core/testdata/gofmt-goldens.json"
echo "goldens written to tests/template/core/testdata/gofmt-goldens.json"
