/**
 * The dev server's HTTP front: our HTTP/1.1 connection handler (http1.ts, so that Vault's `LIST`
 * method works) on node:net, or on node:tls for -dev-tls so the cert auth method can read the
 * client certificate (requested, never required). JSON bodies up to 32 MiB (Vault's default
 * max_request_size); every failure is answered in Vault's {"errors":[…]} shape and the server keeps
 * serving.
 */
import net from "node:net";
import tls from "node:tls";
import type { Logger } from "../log/logger.ts";
import type { DevCore, RawResponse } from "./core/core.ts";
import { type Http1Request, type Http1Response, serveConnection } from "./http1.ts";

/** Vault's default listener max_request_size. */
export const MAX_BODY = 32 * 1024 * 1024;

export interface HttpOptions {
  host: string;
  port: number;
  tls?: { cert: string; key: string; ca?: string };
  /** Each request is logged at debug level (method, path with any token in it masked, status). */
  logger?: Logger;
}

/** Token-in-path endpoints (auth/token/lookup/<token> …): keep the token out of the log. */
const TOKEN_IN_PATH = /^((?:[^?]*\/)?auth\/token\/(?:lookup|renew|revoke|revoke-orphan)\/)[^?]+/;

export function loggablePath(target: string): string {
  const q = target.indexOf("?");
  const path = q < 0 ? target : target.slice(0, q);
  return path.replace(TOKEN_IN_PATH, "$1<token>");
}

const NO_STORE = "no-store";

function toHttp(r: RawResponse): Http1Response {
  if (r.status === 204 || r.body === null || r.body === undefined) {
    return { status: r.status, headers: { "cache-control": NO_STORE } };
  }
  const body = r.contentType ? (r.body as string | Uint8Array) : JSON.stringify(r.body);
  return {
    status: r.status,
    headers: { "content-type": r.contentType ?? "application/json", "cache-control": NO_STORE },
    body,
  };
}

function errors(status: number, ...messages: string[]): RawResponse {
  return { status, body: { errors: messages } };
}

/** Parses a request body the way Vault does: empty = {}, otherwise a JSON object. */
function parseBody(text: string): { body: Record<string, unknown> } | { error: RawResponse } {
  if (text.trim() === "") return { body: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's own message quotes the offending text, which may be a secret: don't echo it.
    return { error: errors(400, "failed to parse JSON input: the request body is not valid JSON") };
  }
  if (parsed === null) return { body: {} };
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    return { error: errors(400, "failed to parse JSON input: the request body must be a JSON object") };
  }
  return { body: parsed as Record<string, unknown> };
}

async function respond(core: DevCore, req: Http1Request, socket: net.Socket): Promise<RawResponse> {
  if (req.bodyTooLarge) return errors(413, "http: request body too large");
  const rawUrl = req.target;
  const q = rawUrl.indexOf("?");
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  if (!rawPath.startsWith("/v1/")) return errors(404);
  let path: string;
  try {
    path = decodeURIComponent(rawPath.slice(4));
  } catch {
    return errors(400, "invalid URL path encoding");
  }
  const parsed = parseBody(req.body.toString("utf8"));
  if ("error" in parsed) return parsed.error;
  const query: Record<string, string> = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(rawUrl.slice(q + 1))) query[k] = v;
  const headers = new Headers();
  for (const [k, v] of req.headers) headers.set(k, v);
  const peer = socket instanceof tls.TLSSocket ? socket.getPeerCertificate(true) : undefined;
  return core.handle({
    method: req.method.toUpperCase(),
    path,
    query,
    headers,
    body: parsed.body,
    peerCertificateDer: peer?.raw ? new Uint8Array(peer.raw) : undefined,
  });
}

export async function listen(
  core: DevCore,
  opts: HttpOptions,
): Promise<{ address: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const onConnection = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.setNoDelay(true);
    serveConnection(
      socket,
      async (req, sock) => {
        const res = await respond(core, req, sock);
        if (opts.logger?.enabled("debug")) {
          opts.logger.debug(
            "request",
            "method",
            req.method,
            "path",
            loggablePath(req.target),
            "status",
            res.status,
          );
        }
        return toHttp(res);
      },
      MAX_BODY,
      (status, message) => toHttp(errors(status, message)),
    );
  };
  const front: net.Server = opts.tls
    ? tls.createServer(
        { cert: opts.tls.cert, key: opts.tls.key, requestCert: true, rejectUnauthorized: false },
        onConnection,
      )
    : net.createServer(onConnection);
  // A failed TLS handshake is the client's problem; the server carries on.
  front.on("tlsClientError", () => {});
  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.listen(opts.port, opts.host, () => {
      front.off("error", reject);
      resolve();
    });
  });
  const addr = front.address() as { port: number };
  // Listening on every interface: advertise loopback, which the -dev-tls certificate also covers.
  const shown =
    opts.host === "0.0.0.0" || opts.host === "" ? "127.0.0.1" : opts.host === "::" ? "::1" : opts.host;
  const host = shown.includes(":") ? `[${shown}]` : shown;
  return {
    address: `${opts.tls ? "https" : "http"}://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        front.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
