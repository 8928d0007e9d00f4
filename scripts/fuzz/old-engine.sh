#!/usr/bin/env bash
# Builds DIR (default /tmp/vaultrun-old-engine) as the template engine at git revision REV, for
# scripts/fuzz/template-diff.ts to compare with the working tree. Only the engine's own files are
# REV's; everything else links to the working tree, so that the values both engines see
# (JsonNumber, GoStruct, the function library) are the same classes. Name more files with
# ENGINE_FILES if the change under test touched them.
set -euo pipefail
rev=${1:?usage: old-engine.sh REV [DIR]}
dir=${2:-/tmp/vaultrun-old-engine}
root=$(git rev-parse --show-toplevel)
files=${ENGINE_FILES:-"lex parse exec fmt compile index number api"}
rm -rf "$dir"
mkdir -p "$dir/src/template"
for f in "$root"/src/*; do
  [ "$(basename "$f")" = template ] || ln -s "$f" "$dir/src/$(basename "$f")"
done
for f in "$root"/src/template/*; do ln -s "$f" "$dir/src/template/$(basename "$f")"; done
for f in $files; do
  rm -f "$dir/src/template/$f.ts"
  git -C "$root" show "$rev:src/template/$f.ts" > "$dir/src/template/$f.ts"
done
ln -s "$root/node_modules" "$dir/node_modules"
echo "$dir: the template engine at $(git -C "$root" rev-parse --short "$rev") ($files)"
