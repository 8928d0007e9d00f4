#!/bin/sh
# Regenerates tests/template/funcs/testdata/toml-goldens.json: cases.ts writes the cases, main.go
# runs each through Go's text/template with Consul Template's toTOML and records the output or
# error, and tests/template/funcs/toml-goldens.test.ts compares vaultrun's engine with them.
#
# Consul Template v0.42 encodes with github.com/BurntSushi/toml v1.5.0, so that is the version
# built here (bookworm's 1.2.0 and backports' 1.3.2 differ from it: 1.3.2 writes +inf, 1.2.0
# also spaces tables differently and refuses top-level non-tables). Its source comes from
# $TOML_SRC (a checkout of BurntSushi/toml), else the local mirror, else GitHub.
# Also needs bun, a Go toolchain ($GO, else Debian's go-1.23 when present, else `go`) and
# Debian's GOPATH packages for yaml.v2 and Sprig (/usr/share/gocode).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$root/tests/template/funcs/testdata/toml-goldens.json
version=v1.5.0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gobin=${GO:-}
if [ -z "$gobin" ]; then
  if [ -x /usr/lib/go-1.23/bin/go ]; then gobin=/usr/lib/go-1.23/bin/go; else gobin=$(command -v go); fi
fi

# BurntSushi/toml $version in a private GOPATH, ahead of the system one.
dest=$tmp/gopath/src/github.com/BurntSushi
mkdir -p "$dest"
mirror=/work/.mirror/BurntSushi+toml/repo
if [ -n "${TOML_SRC:-}" ]; then
  git -C "$TOML_SRC" archive --prefix=toml/ "$version" | tar -x -C "$dest"
elif [ -d "$mirror" ]; then
  git -C "$mirror" archive --prefix=toml/ "$version" | tar -x -C "$dest"
else
  git clone --quiet --depth 1 --branch "$version" https://github.com/BurntSushi/toml "$dest/toml"
fi

(cd "$here" && GOPATH=$tmp/gopath:/usr/share/gocode GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local \
  "$gobin" build -o "$tmp/tomlgoldens" .)
bun "$here/cases.ts" >"$tmp/cases.json"
mkdir -p "$(dirname "$out")"
TZ=UTC TOML_VERSION="github.com/BurntSushi/toml $version" "$tmp/tomlgoldens" <"$tmp/cases.json" >"$out"
echo "goldens written to $out ($(wc -c <"$out") bytes)"
