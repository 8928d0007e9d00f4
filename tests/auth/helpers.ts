/** Shared pieces for the auth tests: seeded randomness, JWT signing, event waits, temp dirs. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FakeClock } from "../../src/clock/clock.ts";
import { Logger, MemorySink } from "../../src/log/logger.ts";
import { VaultClient } from "../../src/vault/client.ts";
import type { DevServer } from "../helpers/devserver.ts";

/** mulberry32: a tiny deterministic PRNG so timing assertions are exact. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tempDir(prefix = "vaultrun-auth-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function memoryLogger(clock?: FakeClock): { logger: Logger; sink: MemorySink } {
  const sink = new MemorySink();
  return { logger: Logger.create({ level: "trace", sinks: [sink], clock }), sink };
}

/** A client for the dev server whose timers run on `clock` (no HTTP retries: tests see every failure). */
export function clientFor(server: { address: string }, clock?: FakeClock): VaultClient {
  return new VaultClient({ address: server.address, maxRetries: 0 }, { clock });
}

/**
 * Waits until `pred` holds, letting real I/O (HTTP to the in-process dev server) progress. It
 * yields to the event loop between checks instead of sleeping for a guessed duration.
 */
export async function until(pred: () => boolean, what: string, maxTurns = 20_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (pred()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Calls the dev server with the root token; throws on HTTP errors. */
export async function rootCall(
  server: DevServer,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: arbitrary Vault JSON for test assertions
): Promise<any> {
  const res = await fetch(`${server.address}/v1/${path}`, {
    method,
    headers: { "X-Vault-Token": server.rootToken },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
