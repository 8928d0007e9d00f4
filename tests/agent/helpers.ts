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
  const built = createAgent({ config, logger, env: { ...process.env, ...env }, out: () => {}, configPaths: [path], banner: false, clock: h.clock });
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
