#!/usr/bin/env bun
/**
 * Release artefacts from the binaries of `npm run build:all`: dist/SHA256SUMS, a copy of the
 * install script, and the Homebrew formula with this version's checksums filled in
 * (dist/vaultrun.rb, from packaging/homebrew/vaultrun.rb.in).
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const dist = join(root, "dist");
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
const assets = [
  "vaultrun-linux-x64",
  "vaultrun-linux-arm64",
  "vaultrun-darwin-x64",
  "vaultrun-darwin-arm64",
  "vaultrun-windows-x64.exe",
];

const sums: Record<string, string> = {};
for (const a of assets) {
  const p = join(dist, a);
  if (!existsSync(p)) throw new Error(`${p} is missing: run npm run build:all first`);
  sums[a] = createHash("sha256").update(readFileSync(p)).digest("hex");
}
writeFileSync(join(dist, "SHA256SUMS"), assets.map((a) => `${sums[a]}  ${a}\n`).join(""));
copyFileSync(join(root, "scripts", "install.sh"), join(dist, "install.sh"));

let formula = readFileSync(join(root, "packaging", "homebrew", "vaultrun.rb.in"), "utf8");
formula = formula.replaceAll("@VERSION@", version);
for (const a of assets) formula = formula.replaceAll(`@SHA256_${a}@`, sums[a]!);
writeFileSync(join(dist, "vaultrun.rb"), formula);
console.log(`wrote dist/SHA256SUMS, dist/install.sh, dist/vaultrun.rb for v${version}`);
