#!/bin/sh
# Regenerates src/template/funcs/titlecase-table.ts (the word classes and title mappings of
# golang.org/x/text/cases, which Consul Template's toTitle uses) and the toTitle goldens
# tests/template/funcs/testdata/titlecase-goldens.json, both from the real Go package.
#
# XTEXT must name a checkout of golang.org/x/text at the version CT v0.42.1 builds with
# (v0.38.0, Unicode 15.0.0); Debian's golang-golang-x-text-dev (0.7.0) has Unicode 13 only.
# Needs Go 1.23 or newer (GOTITLE_GO overrides) and bun.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
: "${XTEXT:?set XTEXT to a golang.org/x/text v0.38.0 checkout}"
gobin=${GOTITLE_GO:-/usr/lib/go-1.23/bin/go}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/gopath/src/golang.org/x" "$tmp/build"
ln -s "$(cd "$XTEXT" && pwd)" "$tmp/gopath/src/golang.org/x/text"
cp "$here/main.go" "$tmp/build/main.go"
(cd "$tmp/build" && GOPATH="$tmp/gopath" GO111MODULE=off GOFLAGS= "$gobin" build -o "$tmp/probe" main.go)

"$tmp/probe" >"$tmp/probe.json"
table="$root/src/template/funcs/titlecase-table.ts"
bun "$here/gen-table.ts" "$tmp/probe.json" "$table" "${XTEXT_VERSION:-v0.38.0}"
"$root/node_modules/.bin/biome" format --write "$table" >/dev/null

bun "$here/gen-cases.ts" >"$tmp/inputs.json"
"$tmp/probe" title <"$tmp/inputs.json" >"$tmp/outputs.json"
bun -e '
const inputs = JSON.parse(await Bun.file(process.argv[1]).text());
const outputs = JSON.parse(await Bun.file(process.argv[2]).text());
const cases = inputs.map((input, i) => ({ input, title: outputs[i] }));
console.log(JSON.stringify({ xtext: process.argv[3], cases }, null, 1));
' "$tmp/inputs.json" "$tmp/outputs.json" "${XTEXT_VERSION:-v0.38.0}" >"$root/tests/template/funcs/testdata/titlecase-goldens.json"
echo "wrote $table and $(grep -c '"input"' "$root/tests/template/funcs/testdata/titlecase-goldens.json") golden cases"
