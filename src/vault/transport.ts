/**
 * Where and how bytes travel: the parsed Vault address (http, https or a unix socket), the TLS
 * material read from disk, and the Bun fetch session that carries both. Everything here is
 * resolved once, when a client is built, so that a bad CA path fails at startup with a clear
 * message rather than on the first request.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../common/errors.ts";
import type { TlsOptions } from "./types.ts";

/** A client configuration problem (bad address, unreadable certificate…). Exit code 2 as Vault's CLI. */
export class VaultConfigError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = "VaultConfigError";
  }
}

export interface ParsedAddress {
  /** Base URL requests are built on, without a trailing slash (e.g. "https://vault:8200"). */
  base: string;
  /** Key for the per-host limiter. */
  origin: string;
  /** Unix socket path when the address is unix://… */
  socket?: string;
  https: boolean;
}

/**
 * Accepts what Vault's api accepts: a full URL with scheme http or https (an optional path is
 * kept as a prefix), or unix:///path/to/socket, which is spoken to as http://localhost.
 */
export function parseAddress(address: string): ParsedAddress {
  const a = address.trim();
  if (a.startsWith("unix://")) {
    const socket = a.slice("unix://".length);
    if (socket === "")
      throw new VaultConfigError(`invalid Vault address ${JSON.stringify(address)}: empty socket path`);
    return { base: "http://localhost", origin: `unix:${socket}`, socket, https: false };
  }
  let url: URL;
  try {
    url = new URL(a);
  } catch {
    throw new VaultConfigError(
      `invalid Vault address ${JSON.stringify(address)}: expected http://host:port, https://host:port or unix:///path`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new VaultConfigError(
      `invalid Vault address ${JSON.stringify(address)}: unsupported protocol scheme ${JSON.stringify(url.protocol.replace(/:$/, ""))}`,
    );
  }
  if (url.username || url.password) {
    // Credentials in the URL would be logged with every error message; refuse them.
    throw new VaultConfigError("invalid Vault address: user information in the URL is not supported");
  }
  const path = url.pathname.replace(/\/+$/, "");
  return { base: `${url.origin}${path}`, origin: url.origin, https: url.protocol === "https:" };
}

/** Bun's fetch `tls` option, built from Vault's TLS settings. */
export interface BunTls {
  ca?: string[];
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
  serverName?: string;
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === "ENOENT"
        ? "no such file or directory"
        : code === "EACCES"
          ? "permission denied"
          : String(code);
    throw new VaultConfigError(`Error loading ${what}: open ${file}: ${why}`);
  }
}

const CERT_BEGIN = "-----BEGIN CERTIFICATE-----";

/** Every file under `dir` (recursively, as Go's rootcerts does) that holds a PEM certificate. */
function readCaPath(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new VaultConfigError(
        `Error loading CA path: ${d}: ${code === "ENOENT" ? "no such file or directory" : String(code)}`,
      );
    }
    for (const name of names) {
      const p = join(d, name);
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        const text = readPem(p, "CA path file");
        if (text.includes(CERT_BEGIN)) out.push(text);
      }
    }
  };
  walk(dir);
  if (out.length === 0)
    throw new VaultConfigError(`Error loading CA path: no PEM certificates found in ${dir}`);
  return out;
}

/** Reads the certificate files named by the options. Verification stays on unless skipVerify. */
export function loadTls(opts: TlsOptions | undefined): BunTls {
  const tls: BunTls = { rejectUnauthorized: !opts?.skipVerify };
  if (!opts) return tls;
  const ca: string[] = [];
  if (opts.caCert) {
    const text = readPem(opts.caCert, "CA File");
    if (!text.includes(CERT_BEGIN))
      throw new VaultConfigError(`Error loading CA File: no PEM certificate in ${opts.caCert}`);
    ca.push(text);
  }
  if (opts.caPath) ca.push(...readCaPath(opts.caPath));
  if (ca.length > 0) tls.ca = ca;
  if (Boolean(opts.clientCert) !== Boolean(opts.clientKey)) {
    throw new VaultConfigError("both client cert and client key must be provided");
  }
  if (opts.clientCert && opts.clientKey) {
    tls.cert = readPem(opts.clientCert, "client certificate");
    tls.key = readPem(opts.clientKey, "client key");
  }
  if (opts.serverName) tls.serverName = opts.serverName;
  return tls;
}

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A fetch bound to this client's TLS settings, socket and keep-alive policy. A Bun FetchSession
 * keeps these connections out of the process-wide pool, so two clients with different CAs never
 * share a verified connection.
 */
export function makeFetch(addr: ParsedAddress, tls: BunTls, disableKeepAlives: boolean): FetchFn {
  const session = new Bun.FetchSession({
    tls: addr.https ? tls : undefined,
    unix: addr.socket,
    keepAlive: !disableKeepAlives,
  });
  return session.fetch as FetchFn;
}
