#!/bin/sh
# Regenerates tests/template/funcs/testdata/gourl-goldens.json: the error text of Go's url.Parse
# for each input gen.ts writes (Consul Template's vault.read and pkiCert parse their path so).
# Needs Go and bun. Go's newest parseHost (1.26: colons in a host) is not reproduced here: the
# goldens come from the Go this machine has.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
gobin=${GOURL_GO:-$(command -v go)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/main.go" "$tmp/main.go"
(cd "$tmp" && GO111MODULE=off GOFLAGS= "$gobin" build -o "$tmp/gourl" main.go)
bun "$here/gen.ts" >"$tmp/inputs.json"
"$tmp/gourl" <"$tmp/inputs.json" >"$tmp/errors.json"
bun -e '
const [inputs, errors, version] = [
  JSON.parse(await Bun.file(process.argv[1]).text()),
  JSON.parse(await Bun.file(process.argv[2]).text()),
  process.argv[3],
];
const cases = inputs.map((input, i) => ({ input, err: errors[i] }));
console.log(JSON.stringify({ go: version, cases }, null, 1));
' "$tmp/inputs.json" "$tmp/errors.json" "$("$gobin" version | cut -d" " -f3)" >"$root/tests/template/funcs/testdata/gourl-goldens.json"
echo "wrote $(grep -c '"input"' "$root/tests/template/funcs/testdata/gourl-goldens.json") cases"
