import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { type DevServer, startDevServer, vault } from "../../helpers/devserver.ts";

let server: DevServer;
let port: number;
beforeAll(async () => {
  server = await startDevServer();
  port = Number(new URL(server.address).port);
  await vault(server, "POST", "secret/data/dir/a", { data: { x: "1" } });
  await vault(server, "POST", "secret/data/top", { data: { x: "1" } });
});
afterAll(() => server.stop());

/** Writes raw bytes (in pieces, to exercise partial reads) and collects the reply until the server closes or `until` matches. */
function exchange(pieces: (string | Buffer)[], until?: (got: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, "127.0.0.1");
    let got = "";
    sock.on("data", (d) => {
      got += d.toString("latin1");
      if (until?.(got)) {
        sock.destroy();
        resolve(got);
      }
    });
    sock.on("close", () => resolve(got));
    sock.on("error", reject);
    sock.on("connect", async () => {
      for (const p of pieces) {
        sock.write(p);
        await new Promise((r) => setImmediate(r));
      }
    });
  });
}

function responses(raw: string): { status: number; body: string }[] {
  const out: { status: number; body: string }[] = [];
  let rest = raw;
  while (rest.startsWith("HTTP/1.1 ")) {
    const headEnd = rest.indexOf("\r\n\r\n");
    const head = rest.slice(0, headEnd);
    const status = Number(head.slice(9, 12));
    const len = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
    out.push({ status, body: rest.slice(headEnd + 4, headEnd + 4 + len) });
    rest = rest.slice(headEnd + 4 + len);
  }
  return out;
}

const AUTH = "X-Vault-Token: root\r\n";

describe("the HTTP/1.1 front", () => {
  test("the LIST method works like GET ?list=true", async () => {
    const raw = await exchange([
      `LIST /v1/secret/metadata/ HTTP/1.1\r\nHost: x\r\n${AUTH}Connection: close\r\n\r\n`,
    ]);
    const [r] = responses(raw);
    expect(r!.status).toBe(200);
    expect(JSON.parse(r!.body).data.keys).toEqual(["dir/", "top"]);
  });

  test("keep-alive with pipelined requests, answered in order", async () => {
    const req = (m: string, p: string, extra = "") => `${m} ${p} HTTP/1.1\r\nHost: x\r\n${AUTH}${extra}\r\n`;
    const raw = await exchange([
      req("GET", "/v1/sys/health") + req("LIST", "/v1/secret/metadata/dir") + req("GET", "/v1/nosuch/x"),
      req("GET", "/v1/secret/data/top", "Connection: close\r\n"),
    ]);
    const rs = responses(raw);
    expect(rs.map((r) => r.status)).toEqual([200, 200, 404, 200]);
    expect(JSON.parse(rs[1]!.body).data.keys).toEqual(["a"]);
    expect(JSON.parse(rs[3]!.body).data.data).toEqual({ x: "1" });
  });

  test("chunked bodies, split across packets", async () => {
    const body = JSON.stringify({ data: { chunked: "yes" } });
    const half = Math.floor(body.length / 2);
    const raw = await exchange([
      `POST /v1/secret/data/chunky HTTP/1.1\r\nHost: x\r\n${AUTH}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
      `${half.toString(16)}\r\n${body.slice(0, half)}\r\n`,
      `${(body.length - half).toString(16)};ext=1\r\n${body.slice(half)}\r\n`,
      "0\r\n\r\n",
    ]);
    expect(responses(raw)[0]!.status).toBe(200);
    expect((await vault(server, "GET", "secret/data/chunky")).json.data.data).toEqual({ chunked: "yes" });
  });

  test("Expect: 100-continue gets a 100 before the body; an oversized declared body is refused up front", async () => {
    const body = JSON.stringify({ data: { e: "1" } });
    const raw = await exchange([
      `PUT /v1/secret/data/expect HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      body,
    ]);
    expect(raw).toStartWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200");
    const big = await exchange([
      `PUT /v1/secret/data/expect HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Length: ${64 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`,
    ]);
    expect(responses(big)[0]).toEqual({
      status: 413,
      body: JSON.stringify({ errors: ["http: request body too large"] }),
    });
  });

  test("HTTP/1.0 closes after the response; HEAD has headers and no body", async () => {
    const raw = await exchange(["GET /v1/sys/health HTTP/1.0\r\n\r\n"]);
    expect(raw).toStartWith("HTTP/1.1 200 OK\r\n");
    expect(raw.toLowerCase()).toContain("connection: close");
    const head = await exchange(["HEAD /v1/sys/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]);
    expect(head.endsWith("\r\n\r\n")).toBe(true);
    expect(head.toLowerCase()).toMatch(/content-length: [1-9]/);
  });

  test("malformed requests get Vault's error shape and the connection closes", async () => {
    for (const bad of [
      "GARBAGE\r\n\r\n",
      "GET /v1/sys/health HTTP/2.0\r\n\r\n",
      "GET /v1/sys/health HTTP/1.1\r\nno colon here\r\n\r\n",
      "POST /v1/secret/data/x HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
      "POST /v1/secret/data/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET v1/no-slash HTTP/1.1\r\n\r\n",
    ]) {
      const [r] = responses(await exchange([bad]));
      expect(r!.status).toBe(400);
      expect(JSON.parse(r!.body).errors.length).toBe(1);
    }
    const huge = responses(
      await exchange([`GET /v1/sys/health HTTP/1.1\r\nX-Big: ${"a".repeat(70 * 1024)}\r\n\r\n`]),
    );
    expect(huge[0]!.status).toBe(431);
    const te = responses(
      await exchange(["POST /v1/secret/data/x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"]),
    );
    expect(te[0]!.status).toBe(501);
    expect((await vault(server, "GET", "sys/health")).status).toBe(200);
  });

  test("an oversized chunked body is read, refused with 413, and the connection stays usable", async () => {
    const piece = "a".repeat(1024 * 1024);
    const pieces: string[] = [
      `POST /v1/secret/data/big HTTP/1.1\r\nHost: x\r\n${AUTH}Transfer-Encoding: chunked\r\n\r\n`,
    ];
    for (let i = 0; i < 33; i++) pieces.push(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    pieces.push("0\r\n\r\n", `GET /v1/sys/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    const rs = responses(await exchange(pieces));
    expect(rs.map((r) => r.status)).toEqual([413, 200]);
  });

  test("methods Vault does not know are 405 in Vault's shape", async () => {
    for (const m of ["TRACE", "FROB"]) {
      const [r] = responses(
        await exchange([`${m} /v1/secret/data/top HTTP/1.1\r\nHost: x\r\n${AUTH}Connection: close\r\n\r\n`]),
      );
      expect(r).toEqual({ status: 405, body: JSON.stringify({ errors: ["unsupported operation"] }) });
    }
  });
});
