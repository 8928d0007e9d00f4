/**
 * The embedded dev server for tests: in-process, on a random 127.0.0.1 port, real HTTP.
 * Pass a FakeClock to drive token and lease expiry; `tls: true` serves HTTPS with a generated CA
 * (its path in `caCertPath`).
 */
import { type DevServer, type DevServerOptions, startDevServer as start } from "../../src/devserver/index.ts";

export type { DevServer };

export function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  return start({ rootToken: "root", ...opts, port: 0, host: "127.0.0.1" });
}

export interface VaultCallOptions {
  /** Extra request headers (X-Vault-Wrap-TTL, X-Vault-Namespace, Content-Type…). */
  headers?: Record<string, string>;
}

/**
 * A request to the dev server with the root token (or another; "" sends none), returning the
 * status and parsed JSON (null for an empty body). "LIST" is sent as GET ?list=true, as Vault's
 * own client does (Bun's fetch cannot send a LIST method).
 */
export async function vault(
  server: DevServer,
  method: string,
  path: string,
  body?: unknown,
  token: string = server.rootToken,
  opts: VaultCallOptions = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests index into Vault's JSON freely
): Promise<{ status: number; json: any; headers: Headers }> {
  let url = `${server.address}/v1/${path}`;
  let m = method;
  if (method === "LIST") {
    m = "GET";
    url += `${url.includes("?") ? "&" : "?"}list=true`;
  }
  const headers: Record<string, string> = { "content-type": "application/json", ...opts.headers };
  if (token) headers["X-Vault-Token"] = token;
  const res = await fetch(url, {
    method: m,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}
