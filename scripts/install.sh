#!/bin/sh
# vaultrun installer:  curl -fsSL <release-url>/install.sh | sh
# Installs the binary for this OS/arch into $VAULTRUN_INSTALL_DIR (default /usr/local/bin, or
# ~/.local/bin when that is not writable), after checking its SHA-256 against the release's
# checksums file. Environment:
#   VAULTRUN_VERSION       release to install (default: latest)
#   VAULTRUN_DOWNLOAD_URL  base URL of the releases (default: GitHub releases of vaultrun/vaultrun)
#   VAULTRUN_INSTALL_DIR   where to put the binary
set -eu

base=${VAULTRUN_DOWNLOAD_URL:-https://github.com/vaultrun/vaultrun/releases}
version=${VAULTRUN_VERSION:-latest}

fail() { echo "vaultrun install: $*" >&2; exit 1; }

os=$(uname -s | tr '[:upper:]' '[:lower:]')
arch=$(uname -m)
case "$os" in
  linux|darwin) ;;
  mingw*|msys*|cygwin*) os=windows ;;
  *) fail "unsupported operating system: $os" ;;
esac
case "$arch" in
  x86_64|amd64) arch=x64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) fail "unsupported architecture: $arch" ;;
esac
[ "$os" = windows ] && [ "$arch" != x64 ] && fail "windows builds exist for x64 only"
asset="vaultrun-$os-$arch"
[ "$os" = windows ] && asset="$asset.exe"

if [ "$version" = latest ]; then
  url="$base/latest/download"
else
  url="$base/download/v${version#v}"
fi

fetch() {
  if command -v curl >/dev/null 2>&1; then curl -fsSL "$1" -o "$2"
  elif command -v wget >/dev/null 2>&1; then wget -qO "$2" "$1"
  else fail "need curl or wget"; fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "downloading $asset ($version)…"
fetch "$url/$asset" "$tmp/$asset" || fail "download failed: $url/$asset"
fetch "$url/SHA256SUMS" "$tmp/SHA256SUMS" || fail "download failed: $url/SHA256SUMS"

expected=$(grep " $asset\$" "$tmp/SHA256SUMS" | cut -d' ' -f1)
[ -n "$expected" ] || fail "$asset is not listed in SHA256SUMS"
if command -v sha256sum >/dev/null 2>&1; then actual=$(sha256sum "$tmp/$asset" | cut -d' ' -f1)
else actual=$(shasum -a 256 "$tmp/$asset" | cut -d' ' -f1); fi
[ "$expected" = "$actual" ] || fail "checksum mismatch for $asset (expected $expected, got $actual)"

dir=${VAULTRUN_INSTALL_DIR:-}
if [ -z "$dir" ]; then
  if [ -w /usr/local/bin ]; then dir=/usr/local/bin; else dir="$HOME/.local/bin"; fi
fi
mkdir -p "$dir"
target="$dir/vaultrun"
[ "$os" = windows ] && target="$target.exe"
chmod 0755 "$tmp/$asset"
mv "$tmp/$asset" "$target"
echo "installed $("$target" version) to $target"
case ":$PATH:" in *":$dir:"*) ;; *) echo "note: $dir is not on your PATH" ;; esac
