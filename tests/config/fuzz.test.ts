/**
 * 10,000 mutated configs (deterministic, seeded): loading each one either succeeds or throws a
 * ConfigError — never any other exception — and takes under 100 ms. Seeds are the OpenBao
 * fixtures, our HCL goldens, and JSON/TOML configs; mutations insert syntax fragments, delete or
 * duplicate spans, and flip bytes (so invalid UTF-8 is covered too).
 */
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, loadConfigText } from "../../src/config/index.ts";

const corpus = join(import.meta.dir, "../../../shared/corpus/openbao-agent-configs");
const goldens = join(import.meta.dir, "testdata/hcl");
const jsonDir = join(import.meta.dir, "testdata/json");

const seeds: { name: string; bytes: Uint8Array }[] = [];
for (const [dir, ext] of [
  [corpus, ".hcl"],
  [goldens, ".hcl"],
  [jsonDir, ".json"],
] as const) {
  for (const n of readdirSync(dir)) {
    if (n.endsWith(ext) && !n.endsWith(".ast.json"))
      seeds.push({ name: n, bytes: readFileSync(join(dir, n)) });
  }
}
seeds.push({
  name: "seed.toml",
  bytes: new TextEncoder().encode(
    '[auto_auth.method]\ntype = "approle"\nconfig = { role_id_file_path = "/r" }\n[[auto_auth.sink]]\ntype = "file"\nconfig = { path = "/t" }\n[env_template.A]\ncontents = "x"\n[exec]\ncommand = ["env"]\n',
  ),
});

/** mulberry32: a small, well-distributed seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  '"',
  "{",
  "}",
  "[",
  "]",
  ",",
  "=",
  "\n",
  " ",
  "#",
  "//",
  "/*",
  "*/",
  "<<EOF\n",
  "EOF\n",
  "<<-EOT\n",
  "  EOT\n",
  "0",
  "08",
  "0x",
  "-",
  ".",
  "e",
  "1e",
  "1.5",
  "9999999999999999999999",
  "${",
  "\\",
  "\\u",
  "\\x4",
  "true",
  "false",
  "é",
  "😀",
  "\t",
  "\r\n",
  "\u0000",
  "exec",
  "template",
  "env_template",
  "vault",
  "auto_auth",
  "method",
  "sink",
  "wait",
  "retry",
  "cache",
  "listener",
  "api_proxy",
  "config",
  "type",
  "wrap_ttl = 5",
  "perms = 0640",
  'restart_stop_signal = "x"',
  "restart_debounce = true",
  "command = []",
  "destination",
  "contents",
  '"$' + '{x}"',
  "null",
  ":",
  "[[",
  "]]",
  "'",
];

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  let b = src;
  const n = 1 + Math.floor(rnd() * 4);
  const enc = new TextEncoder();
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (b.length + 1));
    const r = rnd();
    if (r < 0.4) {
      const frag = enc.encode(FRAGMENTS[Math.floor(rnd() * FRAGMENTS.length)]!);
      b = concat(b.subarray(0, at), frag, b.subarray(at));
    } else if (r < 0.65) {
      b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + Math.floor(rnd() * 12))));
    } else if (r < 0.85) {
      const from = Math.floor(rnd() * b.length);
      b = concat(b.subarray(0, at), b.subarray(from, from + Math.floor(rnd() * 40)), b.subarray(at));
    } else if (b.length > 0) {
      b = new Uint8Array(b);
      b[Math.min(at, b.length - 1)] = Math.floor(rnd() * 256);
    }
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

test("10,000 mutated configs: a valid config or a ConfigError, each under 100 ms", () => {
  const rnd = prng(0x5eed);
  let accepted = 0;
  let rejected = 0;
  let slowest = 0;
  for (let i = 0; i < 10_000; i++) {
    const seed = seeds[Math.floor(rnd() * seeds.length)]!;
    const bytes = mutate(seed.bytes, rnd);
    const started = performance.now();
    try {
      const { config } = loadConfigText(`/fuzz/${i}-${seed.name}`, bytes, { env: {} });
      expect(Array.isArray(config.templates)).toBe(true);
      accepted++;
    } catch (e) {
      if (!(e instanceof ConfigError)) {
        throw new Error(
          `case ${i} (${seed.name}) threw ${(e as Error)?.name}: ${(e as Error)?.message}\n${new TextDecoder().decode(bytes)}`,
        );
      }
      expect(e.message.length).toBeGreaterThan(0);
      rejected++;
    }
    slowest = Math.max(slowest, performance.now() - started);
  }
  expect(slowest).toBeLessThan(100);
  // The mutations must exercise both outcomes, or the test proves little.
  expect(accepted).toBeGreaterThan(300);
  expect(rejected).toBeGreaterThan(3000);
}, 60_000);
