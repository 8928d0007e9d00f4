import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeClock } from "../../src/clock/clock.ts";
import { JsonNumber } from "../../src/common/json.ts";
import { redactor } from "../../src/log/redact.ts";
import { VaultClient, VaultError, VaultNetworkError } from "../../src/vault/client.ts";
import { clientFromEnv, optionsFromEnv } from "../../src/vault/env.ts";
import { envelope, type Fake, json, startFake, until } from "./fake.ts";

const fakes: Fake[] = [];
afterEach(() => {
  while (fakes.length) fakes.pop()!.stop();
});
function fake(...args: Parameters<typeof startFake>): Fake {
  const f = startFake(...args);
  fakes.push(f);
  return f;
}
/** Fast retries on the real clock: waits of 1–2 ms. */
const fast = { minRetryWait: 1, maxRetryWait: 2 };

describe("requests", () => {
  test("sends Vault's headers, the token, a canonical namespace and the wrap TTL", async () => {
    const f = fake(() => envelope({ ok: true }));
    const c = new VaultClient({ address: f.address, namespace: "/team-a", userAgent: "test-agent/1" });
    await c.request({
      method: "PUT",
      path: "secret/data/x",
      token: "hvs.headertoken",
      body: { a: 1 },
      wrapTTL: "5m0s",
    });
    const s = f.seen[0]!;
    expect(s.method).toBe("PUT");
    expect(s.path).toBe("/v1/secret/data/x");
    expect(s.headers["x-vault-request"]).toBe("true");
    expect(s.headers["x-vault-token"]).toBe("hvs.headertoken");
    expect(s.headers["x-vault-namespace"]).toBe("team-a/");
    expect(s.headers["x-vault-wrap-ttl"]).toBe("5m0s");
    expect(s.headers["user-agent"]).toBe("test-agent/1");
    expect(JSON.parse(s.body)).toEqual({ a: 1 });
  });

  test("omits token and namespace headers when there are none; a default token is used otherwise", async () => {
    const f = fake(() => envelope({}));
    const c = new VaultClient({ address: f.address });
    await c.request({ method: "GET", path: "sys/health" });
    expect(f.seen[0]!.headers["x-vault-token"]).toBeUndefined();
    expect(f.seen[0]!.headers["x-vault-namespace"]).toBeUndefined();
    const scoped = c.withToken("hvs.scopedtoken").withNamespace("ns2");
    await scoped.request({ method: "GET", path: "sys/health" });
    expect(f.seen[1]!.headers["x-vault-token"]).toBe("hvs.scopedtoken");
    expect(f.seen[1]!.headers["x-vault-namespace"]).toBe("ns2/");
  });

  test("LIST is sent as GET ?list=true, query parameters are kept", async () => {
    const f = fake(() => envelope({ keys: ["a", "b/"] }));
    const c = new VaultClient({ address: f.address });
    const r = await c.request({ method: "LIST", path: "secret/metadata/", query: { x: "1" } });
    expect(f.seen[0]!.method).toBe("GET");
    expect(f.seen[0]!.path).toBe("/v1/secret/metadata/");
    expect(new URLSearchParams(f.seen[0]!.search).get("list")).toBe("true");
    expect(new URLSearchParams(f.seen[0]!.search).get("x")).toBe("1");
    expect(r?.data?.keys).toEqual(["a", "b/"]);
  });

  test("keeps data numbers as json.Number text and makes envelope numbers plain", async () => {
    const text =
      '{"request_id":"r","lease_id":"l/1","renewable":true,"lease_duration":3600,' +
      '"data":{"big":12345678901234567890,"price":1.50},"wrap_info":null,"warnings":["w"],"auth":null,"mount_type":"kv"}';
    const f = fake(() => new Response(text, { headers: { "content-type": "application/json" } }));
    const r = await new VaultClient({ address: f.address }).request({ method: "GET", path: "x/y" });
    expect(r!.lease_duration).toBe(3600);
    expect(r!.renewable).toBe(true);
    expect(r!.warnings).toEqual(["w"]);
    expect(r!.mount_type).toBe("kv");
    expect(r!.data!.big).toBeInstanceOf(JsonNumber);
    expect(String(r!.data!.big)).toBe("12345678901234567890");
    expect(String(r!.data!.price)).toBe("1.50");
  });

  test("auth and wrap_info numbers are plain, tokens are registered with the redactor", async () => {
    const f = fake(() =>
      envelope(null, {
        auth: {
          client_token: "hvs.fromlogin123",
          accessor: "acc-xyz",
          policies: ["default"],
          lease_duration: 60,
          renewable: true,
          metadata: null,
        },
        wrap_info: {
          token: "hvs.wrapping456",
          accessor: "wacc",
          ttl: 300,
          creation_time: "t",
          creation_path: "p",
        },
      }),
    );
    const r = await new VaultClient({ address: f.address }).request({ method: "PUT", path: "auth/x/login" });
    expect(r!.auth!.lease_duration).toBe(60);
    expect(r!.wrap_info!.ttl).toBe(300);
    expect(redactor.redact("tok hvs.fromlogin123 and hvs.wrapping456")).not.toContain("hvs.");
  });

  test("204 and empty bodies are null; bodies without an envelope come back in data", async () => {
    const f = fake((_r, s) =>
      s.path.endsWith("/empty")
        ? new Response(null, { status: 204 })
        : s.path.endsWith("/blank")
          ? new Response("", { status: 200 })
          : json({ initialized: true, sealed: false }),
    );
    const c = new VaultClient({ address: f.address });
    expect(await c.request({ method: "DELETE", path: "a/empty" })).toBeNull();
    expect(await c.request({ method: "GET", path: "a/blank" })).toBeNull();
    const h = await c.request({ method: "GET", path: "sys/health" });
    expect(h!.data).toEqual({ initialized: true, sealed: false });
  });

  test("read() returns null on 404 and the body when a 404 carries data; list() 404 is null", async () => {
    const f = fake((_r, s) =>
      s.path.includes("deleted")
        ? json({ data: { data: null, metadata: { deletion_time: "2020-01-01T00:00:00Z", version: 2 } } }, 404)
        : json({ errors: [] }, 404),
    );
    const c = new VaultClient({ address: f.address });
    expect(await c.read("secret/data/missing")).toBeNull();
    expect(await c.list("secret/metadata/missing")).toBeNull();
    const d = await c.read("secret/data/deleted");
    expect((d!.data!.metadata as Record<string, unknown>).deletion_time).toBe("2020-01-01T00:00:00Z");
  });

  test("follows one redirect", async () => {
    const f = fake((_r, s) =>
      s.path === "/v1/old"
        ? new Response(null, { status: 307, headers: { location: "/v1/new" } })
        : envelope({ at: s.path }),
    );
    const r = await new VaultClient({ address: f.address }).request({ method: "GET", path: "old" });
    expect(r!.data!.at).toBe("/v1/new");
    expect(f.seen).toHaveLength(2);
  });
});

describe("errors", () => {
  test("Vault's message layout, status and errors list; no query string and no token in the message", async () => {
    const f = fake(() => json({ errors: ["permission denied"] }, 403));
    const c = new VaultClient({ address: f.address, namespace: "ns1" });
    const e = (await c
      .request({ method: "GET", path: "secret/data/x", token: "hvs.secrettoken999", query: { version: "2" } })
      .catch((x) => x)) as VaultError;
    expect(e).toBeInstanceOf(VaultError);
    expect(e.status).toBe(403);
    expect(e.errors).toEqual(["permission denied"]);
    expect(e.method).toBe("GET");
    expect(e.path).toBe("secret/data/x");
    expect(e.message).toBe(
      `Error making API request.\n\nNamespace: ns1/\nURL: GET ${f.address}/v1/secret/data/x\nCode: 403. Errors:\n\n* permission denied`,
    );
    expect(e.message).not.toContain("hvs.secrettoken999");
  });

  test("a non-JSON error body is shown raw; a secret echoed by the server is redacted", async () => {
    const f = fake((_r, s) =>
      s.path.includes("sys/internal/ui/mounts")
        ? json({ errors: [] }, 404)
        : new Response(`upstream said: ${JSON.parse(s.body).password}`, { status: 400 }),
    );
    const c = new VaultClient({ address: f.address });
    const e = (await c.kvWrite("kv/app", { password: "s3cr3t-value-42" }).catch((x) => x)) as VaultError;
    expect(e.status).toBe(400);
    expect(e.message).toContain("Code: 400. Raw Message:");
    expect(e.message).not.toContain("s3cr3t-value-42");
  });

  test("connection refused is a VaultNetworkError with status 0", async () => {
    const f = fake(() => envelope({}));
    const address = f.address;
    f.stop();
    const c = new VaultClient({ address, maxRetries: 0 });
    const e = await c.request({ method: "GET", path: "sys/health" }).catch((x) => x);
    expect(e).toBeInstanceOf(VaultNetworkError);
    expect((e as VaultError).status).toBe(0);
  });
});

describe("retries", () => {
  test("5xx is retried until success", async () => {
    const f = fake((_r, _s, n) => (n < 3 ? json({ errors: ["boom"] }, 500) : envelope({ ok: true })));
    const r = await new VaultClient({ address: f.address, maxRetries: 2, ...fast }).request({
      method: "GET",
      path: "a",
    });
    expect(r!.data).toEqual({ ok: true });
    expect(f.seen).toHaveLength(3);
  });

  test("gives up after maxRetries and reports the last status", async () => {
    const f = fake(() => json({ errors: ["sealed"] }, 503));
    const e = (await new VaultClient({ address: f.address, maxRetries: 4, ...fast })
      .request({ method: "GET", path: "a" })
      .catch((x) => x)) as VaultError;
    expect(e.status).toBe(503);
    expect(f.seen).toHaveLength(5);
  });

  test.each([412, 429, 502])("%d is retried", async (status) => {
    const f = fake((_r, _s, n) => (n === 1 ? json({ errors: ["x"] }, status) : envelope({})));
    await new VaultClient({ address: f.address, ...fast }).request({ method: "GET", path: "a" });
    expect(f.seen).toHaveLength(2);
  });

  test.each([400, 403, 404, 501])("%d is not retried", async (status) => {
    const f = fake(() => json({ errors: ["x"] }, status));
    const e = (await new VaultClient({ address: f.address, ...fast })
      .request({ method: "GET", path: "a" })
      .catch((x) => x)) as VaultError;
    expect(e.status).toBe(status);
    expect(f.seen).toHaveLength(1);
  });

  test("a per-request retry count overrides the client's (logins use 0)", async () => {
    const f = fake(() => json({ errors: ["x"] }, 500));
    await new VaultClient({ address: f.address, maxRetries: 5, ...fast })
      .request({ method: "PUT", path: "auth/approle/login", retries: 0 })
      .catch(() => {});
    expect(f.seen).toHaveLength(1);
  });

  test("network errors are retried", async () => {
    let connections = 0;
    const listener = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        open(s) {
          connections++;
          s.end();
        },
        data() {},
      },
    });
    try {
      const c = new VaultClient({ address: `http://127.0.0.1:${listener.port}`, maxRetries: 3, ...fast });
      const e = await c.request({ method: "GET", path: "a" }).catch((x) => x);
      expect(e).toBeInstanceOf(VaultNetworkError);
      expect(connections).toBe(4);
    } finally {
      listener.stop(true);
    }
  });

  test("waits n × U(min, max) before the n-th retry, on the injected clock", async () => {
    const clock = new FakeClock();
    const f = fake((_r, _s, n) => (n < 3 ? json({ errors: [] }, 500) : envelope({ ok: "yes" })));
    const c = new VaultClient({ address: f.address, maxRetries: 2 }, { clock, random: () => 0.5 });
    const p = c.request({ method: "GET", path: "a" });
    // Pending timers: the request timeout and, once the 500 is read, the backoff.
    await until(() => clock.pendingTimers() === 2);
    expect(clock.nextTimerIn()).toBe(1250);
    await clock.advance(1249);
    expect(f.seen).toHaveLength(1);
    await clock.advance(1);
    await f.arrived(2);
    await until(() => clock.pendingTimers() === 2);
    expect(clock.nextTimerIn()).toBe(2500);
    await clock.advance(2500);
    expect((await p)!.data).toEqual({ ok: "yes" });
  });

  test("honours Retry-After on 429", async () => {
    const clock = new FakeClock();
    const f = fake((_r, _s, n) =>
      n === 1 ? json({ errors: [] }, 429, { "retry-after": "7" }) : envelope({}),
    );
    const c = new VaultClient({ address: f.address }, { clock, random: () => 0 });
    const p = c.request({ method: "GET", path: "a" });
    await until(() => clock.pendingTimers() === 2);
    expect(clock.nextTimerIn()).toBe(7000);
    await clock.advance(7000);
    await p;
    expect(f.seen).toHaveLength(2);
  });
});

describe("timeouts and cancellation", () => {
  test("the client timeout aborts a stalled request", async () => {
    const clock = new FakeClock();
    let release!: () => void;
    const stalled = new Promise<void>((r) => {
      release = r;
    });
    const f = fake(async () => {
      await stalled;
      return envelope({});
    });
    const c = new VaultClient({ address: f.address, timeout: 5000, maxRetries: 0 }, { clock });
    const p = c.request({ method: "GET", path: "slow" }).catch((x) => x);
    await f.arrived(1);
    await clock.advance(5000);
    const e = (await p) as VaultNetworkError;
    release();
    expect(e).toBeInstanceOf(VaultNetworkError);
    expect(e.timedOut).toBe(true);
    expect(e.message).toContain("context deadline exceeded");
  });

  test("a caller's abort signal cancels, without retries", async () => {
    let release!: () => void;
    const stalled = new Promise<void>((r) => {
      release = r;
    });
    const f = fake(async () => {
      await stalled;
      return envelope({});
    });
    const ac = new AbortController();
    const p = new VaultClient({ address: f.address, ...fast })
      .request({ method: "GET", path: "a", signal: ac.signal })
      .catch((x) => x);
    await f.arrived(1);
    ac.abort(new Error("shutting down"));
    const e = (await p) as VaultNetworkError;
    release();
    expect(e).toBeInstanceOf(VaultNetworkError);
    expect(e.timedOut).toBe(false);
    expect(f.seen).toHaveLength(1);
  });
});

describe("per-host concurrency cap", () => {
  async function burst(limit: number, count: number) {
    const gates: Array<() => void> = [];
    const f = fake(
      () =>
        new Promise<Response>((resolve) => {
          gates.push(() => resolve(envelope({})));
        }),
    );
    const c = new VaultClient({ address: f.address, maxConnectionsPerHost: limit });
    const all = Promise.all(
      Array.from({ length: count }, (_, i) => c.request({ method: "GET", path: `k/${i}` })),
    );
    // Release requests one at a time as they arrive, until all have been served.
    for (let served = 0; served < count; served++) {
      await until(() => gates.length > 0);
      await until(() => f.concurrency.now === Math.min(limit > 0 ? limit : count, count - served));
      gates.shift()!();
    }
    await all;
    return f;
  }

  test("never more than maxConnectionsPerHost requests in flight, served in order", async () => {
    const f = await burst(3, 12);
    expect(f.concurrency.max).toBe(3);
    expect(f.seen.map((s) => s.path)).toEqual(Array.from({ length: 12 }, (_, i) => `/v1/k/${i}`));
  });

  test("without a cap the same burst runs fully in parallel", async () => {
    const f = await burst(0, 12);
    expect(f.concurrency.max).toBe(12);
  });
});

describe("connections", () => {
  test("disableKeepAlives opens a new connection per request; the default reuses one", async () => {
    const f = fake(() => envelope({}));
    const keep = new VaultClient({ address: f.address });
    for (let i = 0; i < 3; i++) await keep.request({ method: "GET", path: "a" });
    const reused = new Set(f.seen.map((s) => s.remotePort));
    expect(reused.size).toBe(1);
    f.seen.length = 0;
    const close = new VaultClient({ address: f.address, disableKeepAlives: true });
    for (let i = 0; i < 3; i++) await close.request({ method: "GET", path: "a" });
    expect(new Set(f.seen.map((s) => s.remotePort)).size).toBe(3);
  });

  test("talks HTTP over a unix socket", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vaultrun-sock-"));
    try {
      const f = fake((_r, s) => envelope({ path: s.path }), { unix: join(dir, "vault.sock") });
      const r = await new VaultClient({ address: f.address }).request({ method: "GET", path: "secret/x" });
      expect(r!.data!.path).toBe("/v1/secret/x");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("environment", () => {
  test("reads the VAULT_* variables as the api does", () => {
    const o = optionsFromEnv({
      VAULT_ADDR: "http://vault:8200",
      VAULT_TOKEN: "hvs.envtoken",
      VAULT_NAMESPACE: "ns1",
      VAULT_MAX_RETRIES: "7",
      VAULT_CLIENT_TIMEOUT: "90",
      VAULT_SKIP_VERIFY: "true",
      VAULT_TLS_SERVER_NAME: "vault.internal",
      VAULT_CACERT: "/ca.pem",
    });
    expect(o.address).toBe("http://vault:8200");
    expect(o.token).toBe("hvs.envtoken");
    expect(o.namespace).toBe("ns1");
    expect(o.maxRetries).toBe(7);
    expect(o.timeout).toBe(90_000);
    expect(o.tls).toMatchObject({ skipVerify: true, serverName: "vault.internal", caCert: "/ca.pem" });
    expect(optionsFromEnv({}).address).toBe("https://127.0.0.1:8200");
    expect(optionsFromEnv({ VAULT_CLIENT_TIMEOUT: "2m" }).timeout).toBe(120_000);
  });

  test("bad values are clear errors", () => {
    expect(() => optionsFromEnv({ VAULT_MAX_RETRIES: "lots" })).toThrow(
      'could not parse "VAULT_MAX_RETRIES"',
    );
    expect(() => optionsFromEnv({ VAULT_SKIP_VERIFY: "maybe" })).toThrow("could not parse VAULT_SKIP_VERIFY");
    expect(() => optionsFromEnv({ VAULT_CLIENT_TIMEOUT: "soon" })).toThrow(
      'could not parse "VAULT_CLIENT_TIMEOUT"',
    );
    expect(() => clientFromEnv({ VAULT_ADDR: "ftp://x" })).toThrow('unsupported protocol scheme "ftp"');
    expect(() => clientFromEnv({ VAULT_ADDR: "http://x:1", VAULT_CACERT: "/nonexistent/ca.pem" })).toThrow(
      "Error loading CA File: open /nonexistent/ca.pem: no such file or directory",
    );
    expect(() => clientFromEnv({ VAULT_ADDR: "http://x:1", VAULT_CLIENT_CERT: "/c.pem" })).toThrow(
      "both client cert and client key must be provided",
    );
  });

  test("overrides win over the environment", () => {
    const c = clientFromEnv(
      { VAULT_ADDR: "http://a:1", VAULT_NAMESPACE: "env-ns" },
      { address: "http://b:2" },
    );
    expect(c.address).toBe("http://b:2");
    expect(c.options.namespace).toBe("env-ns/");
  });
});
