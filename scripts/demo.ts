#!/usr/bin/env bun
/**
 * The README demo, one command (`npm run demo`):
 *  1. builds dist/vaultrun if needed,
 *  2. starts `vaultrun server -dev -dev-root-token-id=root` (in-memory, 127.0.0.1),
 *  3. `vaultrun kv put secret/test-cred1 user=my-user password=my-password` and test-cred2,
 *  4. runs `vaultrun agent -config=examples/env-exec/vault-agent.hcl`, whose child is a small web
 *     app that prints the four secrets it got as environment variables on http://127.0.0.1:5000,
 *  5. updates the secrets and shows the app restarted with the new values,
 *  6. stops everything.
 * Pass --keep to leave the server, agent and app running until Ctrl-C.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const bin = join(root, "dist", process.platform === "win32" ? "vaultrun.exe" : "vaultrun");
const exampleDir = join(root, "examples", "env-exec");
const keep = process.argv.includes("--keep");
const addr = "http://127.0.0.1:8200";
const env = { ...process.env, VAULT_ADDR: addr, VAULT_TOKEN: "root" } as Record<string, string>;

const say = (msg: string) => console.log(`\x1b[1;36m==> ${msg}\x1b[0m`);
const children: Bun.Subprocess[] = [];

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {}
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(100);
  }
}

async function vaultrun(...args: string[]): Promise<void> {
  console.log(`$ vaultrun ${args.join(" ")}`);
  const p = Bun.spawn([bin, ...args], { env, stdout: "inherit", stderr: "inherit" });
  if ((await p.exited) !== 0) throw new Error(`vaultrun ${args.join(" ")} failed`);
}

async function appPage(): Promise<string | undefined> {
  const r = await fetch("http://127.0.0.1:5000/");
  return r.ok ? await r.text() : undefined;
}

async function cleanup(): Promise<void> {
  for (const c of children.reverse()) {
    c.kill("SIGTERM");
    await Promise.race([c.exited, Bun.sleep(5000)]);
  }
  rmSync(join(exampleDir, ".vault-token"), { force: true });
}

process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

try {
  {
    // Always rebuild (under a second): a stale binary would demo old code.
    say("building dist/vaultrun");
    const b = Bun.spawn([process.execPath, join(root, "scripts", "build.ts")], {
      stdout: "inherit",
      stderr: "inherit",
    });
    if ((await b.exited) !== 0) throw new Error("build failed");
  }

  say("starting the dev server: vaultrun server -dev -dev-root-token-id=root");
  const server = Bun.spawn([bin, "server", "-dev", "-dev-root-token-id=root"], {
    env,
    stdout: "pipe",
    stderr: "inherit",
  });
  children.push(server);
  await until("the dev server", async () => ((await fetch(`${addr}/v1/sys/health`)).ok ? true : undefined));

  say("writing the secrets");
  await vaultrun("kv", "put", "secret/test-cred1", "user=my-user", "password=my-password");
  await vaultrun("kv", "put", "secret/test-cred2", "foo=bar", "baz=qux");

  say("starting the agent: vaultrun agent -config=examples/env-exec/vault-agent.hcl");
  writeFileSync(join(exampleDir, ".vault-token"), "root\n", { mode: 0o600 });
  const agent = Bun.spawn([bin, "agent", "-config=vault-agent.hcl"], {
    cwd: exampleDir,
    env,
    stdout: "inherit",
    stderr: "inherit",
  });
  children.push(agent);
  const first = await until("the app on :5000", appPage);
  say("the app, started by the agent with the secrets in its environment, says:");
  console.log(first);

  say("updating the secrets (the agent re-reads them every 10s and restarts the app)");
  await vaultrun("kv", "put", "secret/test-cred1", "user=new-user", "password=new-password");
  await vaultrun("kv", "put", "secret/test-cred2", "foo=new-bar", "baz=new-qux");
  const second = await until(
    "the restarted app",
    async () => {
      const page = await appPage();
      return page?.includes("new-user") && page.includes("new-qux") ? page : undefined;
    },
    30_000,
  );
  say("after the update, the restarted app says:");
  console.log(second);

  if (keep) {
    say("running until Ctrl-C (server on :8200, app on :5000)");
    await agent.exited;
  }
  say("demo done: stopping the agent (it stops the app) and the server");
} catch (e) {
  console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
