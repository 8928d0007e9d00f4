import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { type DevServer, startDevServer, vault } from "../../helpers/devserver.ts";

// One server for the whole file: every case must leave it serving the next.
let server: DevServer;
beforeAll(async () => {
  server = await startDevServer();
});
afterAll(() => server.stop());

async function raw(
  method: string,
  path: string,
  body?: string | Uint8Array,
  headers: Record<string, string> = {},
) {
  const r = await fetch(`${server.address}${path}`, {
    method,
    headers: { "X-Vault-Token": server.rootToken, ...headers },
    body,
  });
  const text = await r.text();
  return { status: r.status, text, json: text ? (JSON.parse(text) as { errors?: string[] }) : null };
}

async function stillServing() {
  expect((await vault(server, "GET", "sys/health")).status).toBe(200);
  await vault(server, "POST", "secret/data/canary", { data: { ok: "yes" } });
  expect((await vault(server, "GET", "secret/data/canary")).json.data.data).toEqual({ ok: "yes" });
}

describe("bad input → Vault's error shape and status; the server keeps serving", () => {
  test("malformed JSON bodies are 400 failed to parse JSON input", async () => {
    for (const body of ["{nope", '{"data": ', "[1,2]", '"just a string"', "42", "\u0000\u0001"]) {
      const r = await raw("POST", "/v1/secret/data/x", body);
      expect(r.status).toBe(400);
      expect(r.json!.errors![0]).toStartWith("failed to parse JSON input");
    }
    expect((await vault(server, "GET", "secret/data/x")).status).toBe(404); // nothing was written
    await stillServing();
  });
  test("unknown paths are 404: unrouted ones say so (to callers allowed there), others have an empty errors list", async () => {
    for (const p of ["/v1/sys/nosuch", "/v2/secret/data/x", "/", "/v1/secret/unknownsection/x"]) {
      const r = await raw("GET", p);
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ errors: [] });
    }
    for (const p of ["nosuchmount/x", "auth/nosuch/login"]) {
      const r = await vault(server, "GET", p);
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ errors: [`no handler for route "${p}". route entry not found.`] });
      const anon = await vault(server, "GET", p, undefined, "");
      expect(anon.status).toBe(403);
      expect(anon.json).toEqual({ errors: ["permission denied"] });
    }
    await stillServing();
  });
  test("operations a path does not support are 405", async () => {
    expect((await raw("POST", "/v1/sys/health")).status).toBe(405);
    expect((await raw("PUT", "/v1/secret/subkeys/x", "{}")).status).toBe(405);
    expect((await raw("GET", "/v1/secret/delete/x")).status).toBe(405);
    expect((await raw("DELETE", "/v1/sys/leases/renew")).status).toBe(405);
    const r = await raw("GET", "/v1/auth/token/create");
    expect(r.status).toBe(405);
    expect(r.json).toEqual({ errors: ["unsupported operation"] });
    await stillServing();
  });
  test("a body over 32 MiB is 413; a body just under is accepted", async () => {
    const big = await raw("POST", "/v1/secret/data/big", "x".repeat(32 * 1024 * 1024 + 1));
    expect(big.status).toBe(413);
    expect(big.json).toEqual({ errors: ["http: request body too large"] });
    const payload = JSON.stringify({ data: { blob: "y".repeat(1024 * 1024) } });
    expect((await raw("POST", "/v1/secret/data/big", payload)).status).toBe(200);
    await stillServing();
  });
  test("a bad percent-encoding, wrong field types, and bad durations are 400s", async () => {
    expect((await raw("GET", "/v1/secret/data/%zz")).status).toBe(400);
    expect((await vault(server, "POST", "sys/mounts/x", { type: 5 })).status).toBe(400);
    expect((await vault(server, "POST", "sys/mounts/x", { type: "kv", config: "nope" })).status).toBe(400);
    expect((await vault(server, "POST", "auth/token/create", { ttl: { a: 1 } })).status).toBe(400);
    expect(
      (await vault(server, "PUT", "sys/leases/renew", { lease_id: "nope", increment: "x" })).status,
    ).toBe(400);
    expect((await vault(server, "PUT", "sys/capabilities-self", {})).status).toBe(400);
    await stillServing();
  });
  test("garbage on the socket gets a 400 and the connection closes; others are unaffected", async () => {
    const url = new URL(server.address);
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = connect(Number(url.port), url.hostname);
      let got = "";
      sock.on("data", (d) => {
        got += d.toString();
      });
      sock.on("close", () => resolve(got));
      sock.on("error", reject);
      sock.write("THIS IS NOT HTTP\r\n\r\n");
    });
    expect(reply).toStartWith("HTTP/1.1 400");
    await stillServing();
  });
  test("many concurrent bad and good requests", async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0
          ? raw("POST", "/v1/secret/data/c", "{bad")
          : vault(server, "GET", "sys/health").then((r) => ({ status: r.status })),
      ),
    );
    expect(results.filter((r) => r.status === 400).length).toBe(100);
    expect(results.filter((r) => r.status === 200).length).toBe(100);
    await stillServing();
  });
});
