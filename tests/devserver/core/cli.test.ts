import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBinary, vaultrunBinary } from "../../helpers/binary.ts";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

type Proc = ReturnType<typeof Bun.spawn> & {
  stdout: ReadableStream<Uint8Array>;
  stderr: ReadableStream<Uint8Array>;
};
const running: Proc[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Starts `vaultrun server -dev …` and reads stdout until the banner's last line. */
async function startServer(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ proc: Proc; banner: string; stderr: () => Promise<string> }> {
  const proc = Bun.spawn([await vaultrunBinary(), "server", ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdout: "pipe",
    stderr: "pipe",
  }) as Proc;
  running.push(proc);
  const reader = proc.stdout.getReader();
  let banner = "";
  const dec = new TextDecoder();
  while (!banner.includes("Development mode should NOT be used in production installations!")) {
    const { value, done } = await reader.read();
    if (done)
      throw new Error(
        `server exited before printing its banner:\n${banner}\n${await new Response(proc.stderr).text()}`,
      );
    banner += dec.decode(value);
  }
  reader.releaseLock();
  return { proc, banner, stderr: () => new Response(proc.stderr).text() };
}

describe("vaultrun server -dev (compiled binary)", () => {
  test("prints Vault's dev banner, serves the API with the given root token, exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const { proc, banner, stderr } = await startServer([
      "-dev",
      "-dev-root-token-id=my-root",
      `-dev-listen-address=127.0.0.1:${port}`,
      "-log-level=debug",
    ]);
    expect(banner).toContain("WARNING! dev mode is enabled!");
    expect(banner).toContain(`    $ export VAULT_ADDR='http://127.0.0.1:${port}'`);
    expect(banner).toContain("Root Token: my-root\n");
    expect(banner).toMatch(/Unseal Key: [A-Za-z0-9+/]{43}=\n/);
    expect(banner).not.toContain("VAULT_CACERT");
    const health = await fetch(`http://127.0.0.1:${port}/v1/sys/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { initialized: boolean }).initialized).toBe(true);
    const w = await fetch(`http://127.0.0.1:${port}/v1/secret/data/demo`, {
      method: "POST",
      headers: { "X-Vault-Token": "my-root" },
      body: JSON.stringify({ data: { password: "my-password" } }),
    });
    expect(w.status).toBe(200);
    const legacy = await fetch(`http://127.0.0.1:${port}/v1/auth/token/lookup/my-root`, {
      headers: { "X-Vault-Token": "my-root" },
    });
    expect(legacy.status).toBe(200);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    const log = await stderr();
    expect(log).toContain("[DEBUG] http: request: method=GET path=/v1/sys/health status=200");
    expect(log).toContain("path=/v1/auth/token/lookup/<token> status=200");
    expect(log).not.toContain("my-password");
    expect(log).toContain("shutting down");
  });

  test("SIGINT also exits 0; the root token defaults to a random hvs. token; env vars work; -dev-kv-v1", async () => {
    const port = await freePort();
    const { proc, banner } = await startServer(["-dev", "-dev-kv-v1"], {
      VAULT_DEV_LISTEN_ADDRESS: `127.0.0.1:${port}`,
    });
    const token = /Root Token: (\S+)/.exec(banner)![1]!;
    expect(token).toMatch(/^hvs\./);
    const r = await fetch(`http://127.0.0.1:${port}/v1/auth/token/lookup-self`, {
      headers: { "X-Vault-Token": token },
    });
    expect(r.status).toBe(200);
    const pre = await fetch(`http://127.0.0.1:${port}/v1/sys/internal/ui/mounts/secret/x`, {
      headers: { "X-Vault-Token": token },
    });
    expect(((await pre.json()) as { data: { options: unknown } }).data.options).toEqual({ version: "1" });
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(0);
  });

  test("-dev-tls writes a CA into -dev-tls-cert-dir and prints VAULT_CACERT; HTTPS verifies against it", async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "vaultrun-cli-tls-"));
    dirs.push(dir);
    const { proc, banner } = await startServer([
      "-dev",
      "-dev-tls",
      `-dev-tls-cert-dir=${dir}`,
      `-dev-listen-address=127.0.0.1:${port}`,
      "-dev-root-token-id=r",
    ]);
    expect(banner).toContain(`    $ export VAULT_ADDR='https://127.0.0.1:${port}'`);
    expect(banner).toContain(`    $ export VAULT_CACERT='${join(dir, "vault-ca.pem")}'`);
    const ca = readFileSync(join(dir, "vault-ca.pem"), "utf8");
    const r = await fetch(`https://127.0.0.1:${port}/v1/sys/health`, { tls: { ca } } as RequestInit);
    expect(r.status).toBe(200);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  });

  test("usage errors: no -dev, a bad listen address, a bad log level, a port in use", async () => {
    const noDev = await runBinary(["server"]);
    expect(noDev.code).not.toBe(0);
    expect(noDev.stderr).toContain("server -dev");
    const badAddr = await runBinary(["server", "-dev", "-dev-listen-address=nope"]);
    expect(badAddr.code).not.toBe(0);
    expect(badAddr.stderr).toContain("invalid -dev-listen-address");
    const badLevel = await runBinary([
      "server",
      "-dev",
      "-log-level=loud",
      "-dev-listen-address=127.0.0.1:0",
    ]);
    expect(badLevel.code).not.toBe(0);
    expect(badLevel.stderr).toContain("unknown log level");
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    try {
      const port = (blocker.address() as { port: number }).port;
      const inUse = await runBinary(["server", "-dev", `-dev-listen-address=127.0.0.1:${port}`]);
      expect(inUse.code).not.toBe(0);
      expect(inUse.stderr).toContain(`listen tcp 127.0.0.1:${port}`);
    } finally {
      blocker.close();
    }
  });
});
