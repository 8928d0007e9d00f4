/**
 * The dev server's HTTP front: node:http (plain) or node:tls feeding node:http (so the cert auth
 * method can read the client certificate), JSON bodies up to 32 MiB, Vault's error shapes.
 */
import http from "node:http";
import tls from "node:tls";
import type { DevCore, RawResponse } from "./core/core.ts";

const MAX_BODY = 32 * 1024 * 1024;

export interface HttpOptions {
  host: string;
  port: number;
  tls?: { cert: string; key: string; ca?: string };
}

function send(res: http.ServerResponse, r: RawResponse): void {
  if (r.status === 204 || r.body === null) {
    res.writeHead(r.status === 200 ? 204 : r.status, { "cache-control": "no-store" });
    res.end();
    return;
  }
  if (r.contentType) {
    res.writeHead(r.status, { "content-type": r.contentType, "cache-control": "no-store" });
    res.end(r.body as string | Uint8Array);
    return;
  }
  const text = JSON.stringify(r.body);
  res.writeHead(r.status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export async function listen(core: DevCore, opts: HttpOptions): Promise<{ address: string; close(): Promise<void> }> {
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        tooBig = true;
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (tooBig) return send(res, { status: 413, body: { errors: ["http: request body too large"] } });
      const url = new URL(req.url ?? "/", "http://dev");
      if (!url.pathname.startsWith("/v1/")) return send(res, { status: 404, body: { errors: [] } });
      let body: Record<string, unknown> = {};
      const text = Buffer.concat(chunks).toString("utf8");
      if (text.trim() !== "") {
        try {
          const parsed = JSON.parse(text) as unknown;
          body = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
        } catch (e) {
          return send(res, { status: 400, body: { errors: [`failed to parse JSON input: ${(e as Error).message}`] } });
        }
      }
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = v;
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const peer = (req.socket as tls.TLSSocket).getPeerCertificate?.(true);
      core
        .handle({
          method: (req.method ?? "GET").toUpperCase(),
          path: decodeURIComponent(url.pathname.slice(4)),
          query,
          headers,
          body,
          peerCertificateDer: peer?.raw ? new Uint8Array(peer.raw) : undefined,
        })
        .then(
          (r) => send(res, r),
          () => send(res, { status: 500, body: { errors: ["internal error"] } }),
        );
    });
  });
  let front: http.Server | tls.Server = server;
  if (opts.tls) {
    const t = tls.createServer({ cert: opts.tls.cert, key: opts.tls.key, requestCert: true, rejectUnauthorized: false }, (sock) => {
      server.emit("connection", sock);
    });
    front = t;
  }
  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.listen(opts.port, opts.host, () => resolve());
  });
  const addr = front.address() as { port: number };
  const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    address: `${opts.tls ? "https" : "http"}://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        front.close(() => resolve());
        setImmediate(resolve);
      }),
  };
}
