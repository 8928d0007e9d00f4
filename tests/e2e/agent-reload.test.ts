import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vaultrunBinary } from "../helpers/binary.ts";
import { type DevServer, startDevServer } from "../helpers/devserver.ts";

let server: DevServer;
let dir: string;
beforeAll(async () => {
  server = await startDevServer();
  dir = mkdtempSync(join(tmpdir(), "vaultrun-reload-"));
  writeFileSync(join(dir, "token"), server.rootToken);
}, 30_000);
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

const config = (level: string) => `log_level = "${level}"
vault { address = "${server.address}" }
auto_auth {
  method "token_file" {
    config { token_file_path = "${dir}/token" }
  }
  sink "file" {
    config { path = "${dir}/sink" }
  }
}
`;

test("SIGHUP re-reads the config: the log level changes; a broken file keeps the running config", async () => {
  const path = join(dir, "agent.hcl");
  writeFileSync(path, config("info"));
  const agent = Bun.spawn([await vaultrunBinary(), "agent", `-config=${path}`], {
    stdout: "ignore",
    stderr: "pipe",
  });
  let err = "";
  const reader = (async () => {
    for await (const chunk of agent.stderr) err += new TextDecoder().decode(chunk);
  })();
  const until = async (text: string) => {
    const end = Date.now() + 10_000;
    while (!err.includes(text)) {
      if (Date.now() > end) throw new Error(`no "${text}" in:\n${err}`);
      await Bun.sleep(10);
    }
  };
  await until("token written");
  writeFileSync(path, config("debug"));
  agent.kill("SIGHUP");
  await until("config reloaded: log_level=debug");
  writeFileSync(path, `${config("debug")}\nexec {`);
  agent.kill("SIGHUP");
  await until("config reload failed, keeping the running configuration");
  agent.kill("SIGTERM");
  expect(await agent.exited).toBe(0);
  await reader;
}, 30_000);
