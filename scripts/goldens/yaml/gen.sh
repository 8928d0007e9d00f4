#!/bin/sh
# Regenerates tests/template/funcs/testdata/yaml-goldens.json: every case in cases.txt run
# through gopkg.in/yaml.v2 2.4.0 (the library Consul Template calls for parseYAML/toYAML) and
# Go's text/template. tests/template/funcs/yaml-goldens.test.ts compares vaultrun against it.
# Needs Go and Debian's golang-gopkg-yaml.v2-dev (GOPATH packages in /usr/share/gocode).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$root/tests/template/funcs/testdata/yaml-goldens.json
bin=${TMPDIR:-/tmp}/yamlgoldens.$$
trap 'rm -f "$bin"' EXIT
cd "$here"
GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= go build -o "$bin" main.go
mkdir -p "$(dirname "$out")"
"$bin" "$here/cases.txt" >"$out"
echo "wrote $out ($(grep -c '"name"' "$out") cases)"
