/**
 * `startDevServer`: an in-memory, Vault-API-compatible server on 127.0.0.1 — for the demo,
 * laptops, users' CI, and our own tests (in-process on a random port).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Clock, systemClock } from "../clock/clock.ts";
import { type Logger, nullLogger } from "../log/logger.ts";
import { DevCore } from "./core/core.ts";
import { makeDevTls } from "./dev-tls.ts";
import { listen } from "./http.ts";

export interface DevServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: a random hvs.-style token. */
  rootToken?: string;
  /** Drives token and lease expiry (default: the system clock). */
  clock?: Clock;
  /** Serve HTTPS with a generated CA; `{ dir }` says where to write vault-ca.pem, vault-cert.pem, vault-key.pem. */
  tls?: boolean | { dir?: string };
  /** Same as `tls: { dir }` (kept for callers of the first version). */
  tlsDir?: string;
  /** Server log (default: none). */
  logger?: Logger;
  /** Mount secret/ as kv version 1 instead of 2 (`-dev-kv-v1`). */
  kvV1?: boolean;
}

export interface DevServer {
  /** "http://127.0.0.1:PORT" or "https://…". */
  address: string;
  rootToken: string;
  /** The generated CA (PEM file) when serving TLS. */
  caCertPath?: string;
  core: DevCore;
  stop(): Promise<void>;
}

export function randomRootToken(): string {
  return `hvs.${randomBytes(18).toString("base64url")}`;
}

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const logger = opts.logger ?? nullLogger;
  const coreLog = logger.named("core");
  const core = new DevCore(
    opts.clock ?? systemClock,
    opts.rootToken || randomRootToken(),
    (msg) => coreLog.info(msg),
    { kvVersion: opts.kvV1 ? "1" : "2" },
  );
  const host = opts.host ?? "127.0.0.1";
  let tlsFiles: { cert: string; key: string; ca: string } | undefined;
  let caCertPath: string | undefined;
  if (opts.tls) {
    // Certificates are checked against real time by TLS clients, whatever clock drives the server.
    tlsFiles = makeDevTls(host, systemClock.now());
    const wanted = (typeof opts.tls === "object" ? opts.tls.dir : undefined) ?? opts.tlsDir;
    let dir: string;
    if (wanted) {
      mkdirSync(wanted, { recursive: true, mode: 0o700 });
      dir = wanted;
    } else {
      dir = mkdtempSync(join(tmpdir(), "vault-tls"));
    }
    caCertPath = join(dir, "vault-ca.pem");
    writeFileSync(caCertPath, tlsFiles.ca, { mode: 0o644 });
    writeFileSync(join(dir, "vault-cert.pem"), tlsFiles.cert, { mode: 0o644 });
    writeFileSync(join(dir, "vault-key.pem"), tlsFiles.key, { mode: 0o600 });
  }
  let server: Awaited<ReturnType<typeof listen>>;
  try {
    server = await listen(core, { host, port: opts.port ?? 0, tls: tlsFiles, logger: logger.named("http") });
  } catch (e) {
    core.stop();
    throw e;
  }
  return {
    address: server.address,
    rootToken: core.rootToken,
    caCertPath,
    core,
    async stop() {
      core.stop();
      await server.close();
    },
  };
}

export { DevCore };
