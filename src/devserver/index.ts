/**
 * `startDevServer`: an in-memory, Vault-API-compatible server on 127.0.0.1 — for the demo,
 * laptops, users' CI, and our own tests (in-process on a random port).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Clock, systemClock } from "../clock/clock.ts";
import { DevCore } from "./core/core.ts";
import { makeDevTls } from "./dev-tls.ts";
import { listen } from "./http.ts";

export interface DevServerOptions {
  port?: number;
  host?: string;
  rootToken?: string;
  clock?: Clock;
  /** Serve HTTPS with a generated CA (true) — the CA is written to `caCertPath`. */
  tls?: boolean;
  /** Where -dev-tls writes its CA, certificate and key (default: a new temp dir). */
  tlsDir?: string;
  log?: (msg: string) => void;
}

export interface DevServer {
  address: string;
  rootToken: string;
  caCertPath?: string;
  core: DevCore;
  stop(): Promise<void>;
}

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const rootToken = opts.rootToken || `hvs.${randomBytes(18).toString("base64url")}`;
  const core = new DevCore(opts.clock ?? systemClock, rootToken, opts.log);
  let tlsFiles: { cert: string; key: string; ca: string } | undefined;
  let caCertPath: string | undefined;
  if (opts.tls) {
    tlsFiles = makeDevTls(opts.host ?? "127.0.0.1");
    const dir = opts.tlsDir ?? mkdtempSync(join(tmpdir(), "vaultrun-dev-tls-"));
    caCertPath = join(dir, "vault-ca.pem");
    writeFileSync(caCertPath, tlsFiles.ca);
    writeFileSync(join(dir, "vault-cert.pem"), tlsFiles.cert);
    writeFileSync(join(dir, "vault-key.pem"), tlsFiles.key, { mode: 0o600 });
  }
  const server = await listen(core, { host: opts.host ?? "127.0.0.1", port: opts.port ?? 0, tls: tlsFiles });
  return { address: server.address, rootToken: core.rootToken, caCertPath, core, stop: server.close };
}

export { DevCore };
