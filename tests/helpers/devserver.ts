/**
 * The embedded dev server for tests: in-process, on a random 127.0.0.1 port, real HTTP.
 * Pass a FakeClock to drive token and lease expiry.
 */
import { type DevServer, type DevServerOptions, startDevServer as start } from "../../src/devserver/index.ts";

export type { DevServer };

export function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  return start({ rootToken: "root", ...opts, port: 0, host: "127.0.0.1" });
}

/** A request to the dev server with the root token (or another), returning parsed JSON. */
export async function vault(
  server: DevServer,
  method: string,
  path: string,
  body?: unknown,
  token: string = server.rootToken,
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.address}/v1/${path}`, {
    method,
    headers: { "X-Vault-Token": token, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}
