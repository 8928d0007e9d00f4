/**
 * Config loader budgets (issue 2): parse + validate a 60-line config ≤ 2 ms warm; the compiled
 * binary's cold start for `version` ≤ 40 ms and for `config validate` of the seed-style config
 * (examples/env-exec/vault-agent.hcl) ≤ 60 ms wall. Also reports a 1 MB config's parse time.
 * Prints numbers; it is not a test. Run: bun bench/config.ts [--no-build]
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfigText } from "../src/config/index.ts";
import { parseHcl } from "../src/config/hcl/parser.ts";

const root = resolve(import.meta.dir, "..");
const seedPath = join(root, "examples/env-exec/vault-agent.hcl");
const seed = readFileSync(seedPath, "utf8");

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  const mean = s.reduce((x, y) => x + y, 0) / s.length;
  return `mean ${mean.toFixed(3)} ms, p50 ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms, min ${s[0]!.toFixed(3)} ms`;
}

function verdict(value: number, budget: number): string {
  return value <= budget ? `OK (budget ${budget} ms)` : `OVER BUDGET (${budget} ms)`;
}

// --- 1. Warm parse + decode + validate of a 60-line config ------------------------------------
// The seed config plus one more env_template, padded with comments to 60 lines.
const lines = `${seed.trimEnd()}
env_template "EXTRA" {
  contents = "{{ with secret \\"secret/data/extra\\" }}{{ .Data.data.value }}{{ end }}"
}
`.split("\n");
while (lines.length < 60) lines.push(`# padding comment ${lines.length}`);
const text60 = lines.join("\n");
for (let i = 0; i < 500; i++) loadConfigText("bench.hcl", text60, { env: {} });
const warm: number[] = [];
for (let i = 0; i < 5000; i++) {
  const t0 = performance.now();
  loadConfigText("bench.hcl", text60, { env: {} });
  warm.push(performance.now() - t0);
}
const warmMean = warm.reduce((a, b) => a + b, 0) / warm.length;
console.log(
  `parse+validate ${text60.split("\n").length}-line config (warm, 5000 runs): ${stats(warm)} → ${verdict(warmMean, 2)}`,
);

// --- 2. A 1 MB config ----------------------------------------------------------------------------
const block = (i: number) => `template {
  destination = "/tmp/out/${i}.txt"
  contents    = <<EOT
{{ with secret "secret/data/app${i}" }}{{ .Data.data.password }}{{ end }}
EOT
  perms       = 0600
  command     = ["sh", "-c", "echo rendered ${i} # comment"]
  wait { min = "1s", max = "${(i % 60) + 1}s" }
}
`;
let big = seed;
for (let i = 0; big.length < 1024 * 1024; i++) big += block(i);
const bigRuns: number[] = [];
const parseRuns: number[] = [];
for (let i = 0; i < 10; i++) {
  let t0 = performance.now();
  parseHcl(big);
  parseRuns.push(performance.now() - t0);
  t0 = performance.now();
  loadConfigText("big.hcl", big, { env: {} });
  bigRuns.push(performance.now() - t0);
}
console.log(`1 MB config (${(big.length / 1024).toFixed(0)} KiB): parse ${stats(parseRuns)}`);
console.log(`1 MB config: parse+decode+validate ${stats(bigRuns)}`);

// --- 3. Cold starts of the compiled binary -------------------------------------------------------
const bin = join(root, "dist", "vaultrun");
if (!process.argv.includes("--no-build") || !existsSync(bin)) {
  const b = Bun.spawnSync(
    [
      process.execPath,
      "build",
      "--compile",
      "--minify",
      "--bytecode",
      "main.ts",
      "--outfile",
      "dist/vaultrun",
    ],
    { cwd: root, stdout: "pipe", stderr: "pipe" },
  );
  if (b.exitCode !== 0) {
    console.log(`build failed: ${b.stderr.toString()}`);
    process.exit(1);
  }
}

function coldStart(args: string[], runs = 30): number[] {
  const out: number[] = [];
  Bun.spawnSync([bin, ...args]); // page the binary in once
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = Bun.spawnSync([bin, ...args], {
      stdout: "pipe",
      stderr: "pipe",
      env: { PATH: process.env.PATH ?? "" },
    });
    out.push(performance.now() - t0);
    if (r.exitCode !== 0) throw new Error(`${args.join(" ")} exited ${r.exitCode}: ${r.stderr.toString()}`);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const version = coldStart(["version"]);
console.log(`cold start \`vaultrun version\`: ${stats(version)} → ${verdict(median(version), 40)}`);
const validate = coldStart(["config", "validate", seedPath]);
console.log(
  `cold start \`vaultrun config validate\` (seed config): ${stats(validate)} → ${verdict(median(validate), 60)}`,
);
