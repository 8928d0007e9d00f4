/**
 * A small HTTP/1.1 server over node:net / node:tls sockets. Why not node:http or Bun.serve: both
 * reject the `LIST` method that Vault's API documents (`curl -X LIST …`) with a bare 400 before any
 * handler runs. This one accepts any method token and supports what Vault's clients use:
 * Content-Length and chunked bodies, `Expect: 100-continue`, keep-alive and pipelining, HEAD.
 * Requests are answered strictly in order on each connection.
 */
import type { Socket } from "node:net";

export interface Http1Request {
  method: string;
  /** The request target as sent ("/v1/secret/data/x?version=2"). */
  target: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Map<string, string>;
  body: Buffer;
  /** Set when the body exceeded the limit (it was read and discarded). */
  bodyTooLarge: boolean;
}

export interface Http1Response {
  status: number;
  headers: Record<string, string | number>;
  body?: string | Uint8Array;
}

export type Http1Handler = (req: Http1Request, socket: Socket) => Promise<Http1Response>;

const MAX_HEADER_BYTES = 64 * 1024;
const CRLF2 = Buffer.from("\r\n\r\n");
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const REASONS: Record<number, string> = {
  100: "Continue",
  200: "OK",
  204: "No Content",
  307: "Temporary Redirect",
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  412: "Precondition Failed",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  472: "Disaster Recovery Secondary",
  473: "Performance Standby",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
};

class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Head {
  method: string;
  target: string;
  version: string;
  headers: Map<string, string>;
}

function parseHead(text: string): Head {
  const lines = text.split("\r\n");
  const parts = lines[0]!.split(" ");
  if (parts.length !== 3) throw new BadRequest(400, "malformed request line");
  const [method, target, version] = parts as [string, string, string];
  if (!TOKEN.test(method)) throw new BadRequest(400, "malformed method");
  if (version !== "HTTP/1.1" && version !== "HTTP/1.0") throw new BadRequest(400, "unsupported HTTP version");
  if (!target.startsWith("/")) throw new BadRequest(400, "malformed request target");
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new BadRequest(400, "malformed header line");
    const name = line.slice(0, colon).toLowerCase();
    if (!TOKEN.test(name)) throw new BadRequest(400, "malformed header name");
    const value = line.slice(colon + 1).trim();
    const prev = headers.get(name);
    headers.set(name, prev === undefined ? value : `${prev}, ${value}`);
  }
  return { method, target, version, headers };
}

function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${REASONS[status] ?? "Unknown"}\r\n`;
}

/**
 * Serves HTTP/1.1 on one connection until the peer closes it, a request asks to close, or the
 * request is malformed (answered with a 4xx and closed).
 */
export function serveConnection(
  socket: Socket,
  handler: Http1Handler,
  maxBody: number,
  onBadRequest: (status: number, message: string) => Http1Response,
): void {
  let buf: Buffer = Buffer.alloc(0);
  let busy = false;
  let closed = false;

  // Body reading state for the request in progress.
  let head: Head | undefined;
  let mode: "length" | "chunked" | undefined;
  let remaining = 0;
  let chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  let chunkState: "size" | "data" | "data-crlf" | "trailer" = "size";

  const write = (res: Http1Response, method: string, keepAlive: boolean) => {
    if (closed) return;
    const noBody = res.status === 204 || res.status === 304;
    let out = statusLine(res.status);
    for (const k in res.headers) out += `${k}: ${res.headers[k]}\r\n`;
    if (!noBody && !("content-length" in res.headers)) {
      const len =
        res.body === undefined
          ? 0
          : typeof res.body === "string"
            ? Buffer.byteLength(res.body)
            : res.body.byteLength;
      out += `content-length: ${len}\r\n`;
    }
    if (!keepAlive) out += "connection: close\r\n";
    out += "\r\n";
    // One write per response: a string body goes out with the head in a single utf-8 write.
    if (res.body === undefined || method === "HEAD" || noBody) socket.write(out, "latin1");
    else if (typeof res.body === "string") socket.write(out + res.body, "utf8");
    else socket.write(Buffer.concat([Buffer.from(out, "latin1"), res.body]));
    if (!keepAlive) {
      closed = true;
      socket.end();
    }
  };

  const fail = (e: unknown) => {
    const status = e instanceof BadRequest ? e.status : 400;
    const message = e instanceof Error ? e.message : "bad request";
    write(onBadRequest(status, message), "GET", false);
    buf = Buffer.alloc(0);
  };

  const resetBody = () => {
    head = undefined;
    mode = undefined;
    remaining = 0;
    chunks = [];
    size = 0;
    tooBig = false;
    chunkState = "size";
  };

  const take = (data: Buffer) => {
    size += data.length;
    if (size > maxBody) tooBig = true;
    else chunks.push(data);
  };

  /** Consumes body bytes from buf; true when the body is complete. */
  const readBody = (): boolean => {
    if (mode === "length") {
      const n = Math.min(remaining, buf.length);
      if (n > 0) {
        take(buf.subarray(0, n));
        buf = buf.subarray(n);
        remaining -= n;
      }
      return remaining === 0;
    }
    for (;;) {
      if (chunkState === "size" || chunkState === "trailer" || chunkState === "data-crlf") {
        const eol = buf.indexOf("\r\n");
        if (eol < 0) {
          if (buf.length > MAX_HEADER_BYTES) throw new BadRequest(400, "malformed chunked body");
          return false;
        }
        const line = buf.subarray(0, eol).toString("latin1");
        buf = buf.subarray(eol + 2);
        if (chunkState === "data-crlf") {
          if (line !== "") throw new BadRequest(400, "malformed chunked body");
          chunkState = "size";
          continue;
        }
        if (chunkState === "trailer") {
          if (line === "") return true;
          continue;
        }
        const sizeText = line.split(";")[0]!.trim();
        if (!/^[0-9a-fA-F]{1,12}$/.test(sizeText)) throw new BadRequest(400, "malformed chunk size");
        remaining = Number.parseInt(sizeText, 16);
        chunkState = remaining === 0 ? "trailer" : "data";
        continue;
      }
      // data
      const n = Math.min(remaining, buf.length);
      if (n === 0) return false;
      take(buf.subarray(0, n));
      buf = buf.subarray(n);
      remaining -= n;
      if (remaining === 0) chunkState = "data-crlf";
    }
  };

  const pump = () => {
    while (!busy && !closed) {
      if (!head) {
        const end = buf.indexOf(CRLF2);
        if (end < 0) {
          if (buf.length > MAX_HEADER_BYTES) fail(new BadRequest(431, "request headers too large"));
          return;
        }
        if (end > MAX_HEADER_BYTES) return fail(new BadRequest(431, "request headers too large"));
        try {
          head = parseHead(buf.subarray(0, end).toString("latin1"));
        } catch (e) {
          return fail(e);
        }
        buf = buf.subarray(end + 4);
        const te = head.headers.get("transfer-encoding");
        const cl = head.headers.get("content-length");
        if (te !== undefined) {
          if (te.toLowerCase() !== "chunked")
            return fail(new BadRequest(501, "unsupported transfer encoding"));
          mode = "chunked";
        } else if (cl !== undefined) {
          if (!/^\d{1,15}$/.test(cl)) return fail(new BadRequest(400, "malformed Content-Length"));
          mode = "length";
          remaining = Number(cl);
        } else {
          mode = "length";
          remaining = 0;
        }
        if (
          (head.headers.get("expect") ?? "").toLowerCase() === "100-continue" &&
          head.version === "HTTP/1.1"
        ) {
          if (mode === "length" && remaining > maxBody) {
            // Refuse before the client sends the body.
            write(onBadRequest(413, "http: request body too large"), head.method, false);
            return;
          }
          socket.write("HTTP/1.1 100 Continue\r\n\r\n");
        }
      }
      let complete: boolean;
      try {
        complete = readBody();
      } catch (e) {
        return fail(e);
      }
      if (!complete) return;
      const h = head;
      const conn = (h.headers.get("connection") ?? "").toLowerCase();
      const keepAlive = h.version === "HTTP/1.1" ? !conn.includes("close") : conn.includes("keep-alive");
      const req: Http1Request = {
        method: h.method,
        target: h.target,
        headers: h.headers,
        body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
        bodyTooLarge: tooBig,
      };
      resetBody();
      busy = true;
      handler(req, socket).then(
        (res) => {
          busy = false;
          write(res, req.method, keepAlive);
          pump();
        },
        () => {
          busy = false;
          write(onBadRequest(500, "internal error"), req.method, keepAlive);
          pump();
        },
      );
    }
  };

  socket.on("data", (d: Buffer) => {
    if (closed) return;
    buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
    pump();
  });
  socket.on("error", () => {
    closed = true;
    socket.destroy();
  });
  socket.on("close", () => {
    closed = true;
  });
}
