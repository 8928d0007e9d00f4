#!/bin/sh
# Regenerates tests/template/funcs/testdata/sprig-goldens.json: every case in cases.txt rendered
# by Go's text/template with Sprig's hermetic functions registered as sprig_* (what Consul
# Template does). Uses Debian's Sprig 3.2.3 and its dependencies from /usr/share/gocode
# (golang-github-masterminds-sprig-dev); where Consul Template's newer versions (Sprig 3.3.0,
# xstrings 1.5, mergo 1.0, x/crypto 0.5x) behave differently, cases.txt carries the CT result in
# @ct-output/@ct-error lines with the reason, and the bun test expects that instead.
# tests/template/funcs/sprig-goldens.test.ts compares vaultrun against the file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=${TMPDIR:-/tmp}/sprig-goldens
if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/github.com/Masterminds/sprig ]; then
  apt-get update
  apt-get install -y golang-go golang-github-masterminds-sprig-dev
fi
(cd "$here" && GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= go build -o "$bin" main.go)
# Sprig's toDate parses in time.Local; vaultrun evaluates sprig dates in UTC.
TZ=UTC "$bin" "$here/cases.txt" "$root/tests/template/funcs/testdata/sprig-goldens.json"
