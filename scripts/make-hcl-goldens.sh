#!/bin/sh
# Regenerates the HCL1 goldens in tests/config/testdata/hcl/ with hashicorp/hcl v1 itself (the
# parser Vault reads agent configs with), via shared/tools/hcl1json:
#   NAME.hcl  -> NAME.ast.json   the syntax tree hcl builds (keys, positions, values), or
#            -> NAME.err        "exit=N" and hcl's message when hcl rejects the file
#                               (exit 3: a parse error; exit 2: hcl panics on the value).
# tests/config/hcl-goldens.test.ts compares our parser against every golden.
# Needs Debian's golang-go and golang-github-hashicorp-hcl-dev (installed here when missing).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tool_src=${HCL1JSON_SRC:-$root/../shared/tools/hcl1json}
data=$root/tests/config/testdata/hcl
bin=${HCL1JSON:-/tmp/hcl1json}

if [ ! -x "$bin" ]; then
  if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/github.com/hashicorp/hcl ]; then
    apt-get update
    apt-get install -y golang-go golang-github-hashicorp-hcl-dev
  fi
  sh "$tool_src/build.sh" "$bin"
fi

for f in "$data"/*.hcl; do
  name=${f%.hcl}
  rm -f "$name.ast.json" "$name.err"
  set +e
  "$bin" -ast "$f" >"$name.ast.json" 2>"$name.stderr"
  code=$?
  set -e
  if [ "$code" -ne 0 ]; then
    rm -f "$name.ast.json"
    { echo "exit=$code"; head -n 1 "$name.stderr"; } >"$name.err"
  fi
  rm -f "$name.stderr"
done
# JSON configs: hcl's JSON reader (flattening nested objects into blocks). It records no
# positions, so the test compares keys, tokens and values only.
for f in "$root"/tests/config/testdata/json/*.json; do
  case $f in *.ast.json) continue ;; esac
  "$bin" -ast "$f" >"${f%.json}.ast.json"
done
echo "goldens written to $data and $root/tests/config/testdata/json"
