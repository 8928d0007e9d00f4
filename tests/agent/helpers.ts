/** Running the real agent in-process against the dev server, both on one FakeClock. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAgent } from "../../src/agent/run.ts";
import { applyAgentOverrides, agentFlagSet } from "../../src/cli/agent-flags.ts";
import { FakeClock } from "../../src/clock/clock.ts";
import { loadConfig } from "../../src/config/index.ts";
import { Logger, MemorySink } from "../../src/log/logger.ts";
import { type DevServer, startDevServer } from "../helpers/devserver.ts";

export interface Harness {
  dir: string;
  clock: FakeClock;
  server: DevServer;
  logs: MemorySink;
  /** Starts an agent for this HCL (with {{DIR}} and {{ADDR}} substituted). */
  agent(hcl: string, env?: Record<string, string>): ReturnType<typeof start>;
  close(): Promise<void>;
}

function start(h: Omit<Harness, "agent" | "close">, hcl: string, env: Record<string, string> = {}) {
  const path = join(h.dir, `agent-${Math.random().toString(36).slice(2)}.hcl`);
  writeFileSync(path, hcl.replaceAll("{{DIR}}", h.dir).replaceAll("{{ADDR}}", h.server.address));
  const { config } = loadConfig([path], { env });
  applyAgentOverrides(config, agentFlagSet().parse([]), { VAULT_ADDR: h.server.address, ...env });
  const logger = Logger.create({ level: "trace", sinks: [h.logs] });
  const built = createAgent({
    config,
    logger,
    env: { ...process.env, ...env },
    out: () => {},
    configPaths: [path],
    banner: false,
    clock: h.clock,
  });
  if ("noAutoAuth" in built) throw new Error("config has no auto_auth");
  built.agent.start();
  return built;
}

export async function harness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "vaultrun-agent-"));
  const clock = new FakeClock(Date.now());
  const server = await startDevServer({ clock });
  writeFileSync(join(dir, "token"), server.rootToken);
  const logs = new MemorySink();
  const base = { dir, clock, server, logs };
  return {
    ...base,
    agent: (hcl, env) => start(base, hcl, env),
    close: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Real I/O (HTTP, files, processes) finishes on its own schedule: wait, bounded, for its effect. */
export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await Bun.sleep(2);
  }
}

export const TOKEN_FILE_AUTH = `
auto_auth {
  method "token_file" {
    config { token_file_path = "{{DIR}}/token" }
  }
}`;

/**
 * Drives the shared FakeClock until `cond` holds: fires the next timer, lets real I/O (HTTP to the
 * dev server, file writes) settle, repeats — bounded in steps and in real time.
 */
export async function pump(clock: FakeClock, cond: () => boolean, maxSteps = 200): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    if (cond()) return;
    await clock.runNext();
    for (let j = 0; j < 50 && !cond(); j++) await Bun.sleep(1);
  }
  if (!cond()) throw new Error("condition not met within the clock steps");
}

export type FaultMode = "pass" | "down" | { status: number; errors: string[] };

/**
 * A counting, fault-injecting HTTP proxy in front of the dev server — only for faults a real
 * server cannot produce on demand (unreachable, a 5xx, a 403 mid-run). "down" closes the
 * listener, so connections are refused; any other mode re-opens it on the same port.
 */
export class FaultProxy {
  mode: FaultMode = "pass";
  /** "METHOD /v1/path" → number of requests that reached the proxy (passed or failed). */
  readonly counts = new Map<string, number>();
  private server?: ReturnType<typeof Bun.serve>;
  port = 0;

  constructor(private readonly target: string) {}

  get address(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  count(method: string, path: string): number {
    return this.counts.get(`${method} /v1/${path}`) ?? 0;
  }

  start(): void {
    this.server = Bun.serve({
      hostname: "127.0.0.1",
      port: this.port,
      fetch: async (req) => {
        const url = new URL(req.url);
        const k = `${req.method} ${url.pathname}`;
        this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
        if (typeof this.mode === "object") {
          return Response.json({ errors: this.mode.errors }, { status: this.mode.status });
        }
        const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();
        const res = await fetch(this.target + url.pathname + url.search, {
          method: req.method,
          headers: req.headers,
          body,
        });
        return new Response(await res.arrayBuffer(), { status: res.status, headers: res.headers });
      },
    });
    this.port = this.server.port ?? 0;
  }

  setMode(mode: FaultMode): void {
    if (mode === "down" && this.server) {
      this.server.stop(true);
      this.server = undefined;
    } else if (mode !== "down" && !this.server) this.start();
    this.mode = mode;
  }

  stop(): void {
    this.server?.stop(true);
    this.server = undefined;
  }
}
