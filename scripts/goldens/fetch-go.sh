#!/bin/sh
# Usage: fetch-go.sh DIR — unpacks Go 1.26, the Go Consul Template v0.42.1 is built with, from
# Debian sid (golang-1.26-go and golang-1.26-src) into DIR, without installing anything, and
# prints the path of its `go` (run it with GOROOT set to that path's parent's parent, which it
# also prints on a second line). The toolchain is static, so it runs on bookworm. Exits non-zero
# if sid cannot be reached; callers then fall back to an older Go.
set -eu
dir=${1:?usage: fetch-go.sh DIR}
mkdir -p "$dir/lists/partial"
cat >"$dir/sid.sources" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
sid="-o Dir::Etc::sourcelist=$dir/sid.sources -o Dir::Etc::sourceparts=- -o Dir::State::Lists=$dir/lists -o APT::Get::List-Cleanup=0"
# shellcheck disable=SC2086
apt-get update $sid >/dev/null 2>&1
# shellcheck disable=SC2086
(cd "$dir" && apt-get download $sid golang-1.26-go golang-1.26-src >/dev/null 2>&1)
for deb in "$dir"/golang-1.26-*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
goroot=$dir/root/usr/lib/go-1.26
"$goroot/bin/go" version >/dev/null
echo "$goroot/bin/go"
echo "$goroot"
