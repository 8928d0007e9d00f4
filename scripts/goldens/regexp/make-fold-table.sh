#!/bin/sh
# Regenerates src/template/funcs/regexp-fold-table.ts (unicode.SimpleFold's orbits, which Go's
# regexp/syntax folds (?i) literals and classes with) from the Go Consul Template v0.42.1 is built
# with: Go 1.26, unpacked by ../fetch-go.sh (GOREGEXP_GO=/path/to/go overrides).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gobin=${GOREGEXP_GO:-}
if [ -z "$gobin" ]; then
  fetched=$(sh "$here/../fetch-go.sh" "$tmp/go")
  gobin=$(echo "$fetched" | sed -n 1p)
  GOROOT=$(echo "$fetched" | sed -n 2p)
  export GOROOT
fi
cp "$here/fold-table.go" "$tmp/main.go"
(cd "$tmp" && GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local "$gobin" build -o "$tmp/fold-table" main.go)
table=$root/src/template/funcs/regexp-fold-table.ts
"$tmp/fold-table" "$("$gobin" env GOVERSION)" >"$table"
"$root/node_modules/.bin/biome" format --write "$table" >/dev/null
echo "written: $table"
