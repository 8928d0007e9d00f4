/**
 * A scriptable Bun.serve that answers like Vault, for the faults a real server cannot be made to
 * produce on demand (5xx bursts, 412/429, stalls, counting concurrent requests, redirects). The
 * functional behaviour (KV, wrapping, leases, ACL) is tested against the dev server instead.
 */
import type { Server } from "bun";

export interface Seen {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  body: string;
  remotePort: number;
}

export type Handler = (req: Request, seen: Seen, n: number) => Response | Promise<Response>;

export interface Fake {
  address: string;
  seen: Seen[];
  /** Current and highest number of requests being handled at once. */
  concurrency: { now: number; max: number };
  /** Resolves when the n-th request (1-based) has arrived. */
  arrived(n: number): Promise<void>;
  stop(): void;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function envelope(
  data: Record<string, unknown> | null,
  extra: Record<string, unknown> = {},
): Response {
  return json({
    request_id: "req-1",
    lease_id: "",
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
    ...extra,
  });
}

export function startFake(
  handler: Handler,
  opts: { tls?: { cert: string; key: string; ca?: string; requestCert?: boolean }; unix?: string } = {},
): Fake {
  const seen: Seen[] = [];
  const concurrency = { now: 0, max: 0 };
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server: Server<undefined> = Bun.serve({
    hostname: opts.unix ? undefined : "127.0.0.1",
    port: opts.unix ? undefined : 0,
    unix: opts.unix,
    tls: opts.tls
      ? {
          cert: opts.tls.cert,
          key: opts.tls.key,
          ca: opts.tls.ca,
          requestCert: opts.tls.requestCert,
          rejectUnauthorized: opts.tls.requestCert,
        }
      : undefined,
    async fetch(req, srv) {
      const url = new URL(req.url);
      const entry: Seen = {
        method: req.method,
        path: url.pathname,
        search: url.search,
        headers: Object.fromEntries(req.headers),
        body: await req.text(),
        remotePort: srv.requestIP(req)?.port ?? 0,
      };
      seen.push(entry);
      const n = seen.length;
      for (const w of waiters.filter((w) => w.n <= n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      concurrency.now++;
      concurrency.max = Math.max(concurrency.max, concurrency.now);
      try {
        return await handler(req, entry, n);
      } finally {
        concurrency.now--;
      }
    },
  } as Parameters<typeof Bun.serve>[0]) as Server<undefined>;
  const address = opts.unix
    ? `unix://${opts.unix}`
    : `${opts.tls ? "https" : "http"}://127.0.0.1:${server.port}`;
  return {
    address,
    seen,
    concurrency,
    arrived(n) {
      if (seen.length >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    stop: () => server.stop(true),
  };
}

/** Lets pending I/O callbacks and promise jobs run until `cond` holds (bounded; no timers). */
export async function until(cond: () => boolean, rounds = 50_000): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (cond()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new Error("condition not reached");
}
