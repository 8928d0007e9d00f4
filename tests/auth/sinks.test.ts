import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createDecipheriv, diffieHellman, generateKeyPairSync } from "node:crypto";
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  createSink,
  parseFileSinkConfig,
  rawPublicKey,
  SinkServer,
  sharedKey,
  x25519PublicKey,
} from "../../src/auth/sinks/index.ts";
import { FakeClock } from "../../src/clock/clock.ts";
import type { SinkConfig } from "../../src/config/types.ts";
import { type DevServer, startDevServer, vault } from "../helpers/devserver.ts";
import { clientFor, memoryLogger, tempDir, until } from "./helpers.ts";

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

function sink(config: Record<string, unknown>, over: Partial<SinkConfig> = {}): SinkConfig {
  return {
    type: "file",
    wrapTTL: 0,
    dhType: "",
    dhPath: "",
    aad: "",
    aadEnvVar: "",
    deriveKey: false,
    config,
    ...over,
  };
}

const noApi = { request: async () => null };

describe("file sink", () => {
  test("mode 0640 by default, exact configured mode even under a restrictive umask, no temp files left", async () => {
    const clock = new FakeClock();
    const { logger, sink: logs } = memoryLogger(clock);
    const old = process.umask(0o077);
    try {
      const a = createSink(sink({ path: join(dir, "a") }));
      const b = createSink(sink({ path: join(dir, "b"), mode: 0o600 }));
      const c = createSink(sink({ path: join(dir, "c"), mode: "0644" }));
      const server = new SinkServer([a, b, c], { api: noApi, clock, logger });
      await server.write("s.token-value-1");
      expect(statSync(join(dir, "a")).mode & 0o7777).toBe(0o640);
      expect(statSync(join(dir, "b")).mode & 0o7777).toBe(0o600);
      expect(statSync(join(dir, "c")).mode & 0o7777).toBe(0o644);
      expect(readFileSync(join(dir, "a"), "utf8")).toBe("s.token-value-1");
      expect(readdirSync(dir).sort()).toEqual(["a", "b", "c"]);
      expect(logs.text()).toContain("agent.sink.server: token written: path=");
    } finally {
      process.umask(old);
    }
  });

  test("a rewrite replaces the file atomically and keeps the mode", async () => {
    const clock = new FakeClock();
    const s = createSink(sink({ path: join(dir, "t"), mode: 0o600 }));
    const server = new SinkServer([s], { api: noApi, clock, logger: memoryLogger().logger });
    writeFileSync(join(dir, "t"), "old");
    chmodSync(join(dir, "t"), 0o666);
    await server.write("new-token");
    expect(readFileSync(join(dir, "t"), "utf8")).toBe("new-token");
    expect(statSync(join(dir, "t")).mode & 0o777).toBe(0o600);
  });

  test("Vault's config errors", () => {
    expect(() => parseFileSinkConfig({ config: {} })).toThrow("'path' not specified for file sink");
    expect(() => parseFileSinkConfig({ config: { path: 5 } })).toThrow("could not parse 'path' as string");
    expect(() => parseFileSinkConfig({ config: { path: "x", mode: "rw" } })).toThrow(
      "could not parse 'mode' as integer",
    );
    expect(() => parseFileSinkConfig({ config: { path: "x", mode: 0o40755 } })).toThrow(
      "file mode does not represent a regular file",
    );
    expect(() => parseFileSinkConfig({ config: { path: "x", uid: "root" } })).toThrow(
      "could not parse 'uid' as integer",
    );
    expect(() => createSink(sink({}, { type: "s3" }))).toThrow('Unknown sink type "s3"');
    expect(() => createSink(sink({ path: join(dir, "x") }, { dhType: "p256", dhPath: "k" }))).toThrow(
      "invalid value for 'dh_type'",
    );
    expect(() => createSink(sink({ path: join(dir, "missing", "t") }))).toThrow(
      "error creating file sink: error during write check:",
    );
  });

  test("a failed write is retried after 1–3 s on the clock; a newer token supersedes the old one", async () => {
    const clock = new FakeClock();
    const { logger, sink: logs } = memoryLogger(clock);
    const sub = dir;
    const s = createSink(sink({ path: join(sub, "t") }));
    // The rename cannot replace a non-empty directory (permissions would not stop root).
    mkdirSync(join(sub, "t", "blocker"), { recursive: true });
    const server = new SinkServer([s], { api: noApi, clock, logger, random: () => 0.25 });
    let done = false;
    const first = server.write("token-one").then(() => (done = true));
    await until(() => clock.pendingTimers() === 1, "the retry timer");
    expect(clock.nextTimerIn()).toBe(1500); // 1 s + 0.25·2 s
    expect(logs.text()).toContain("error returned by sink function, retrying");
    await clock.advance(1500);
    await until(() => clock.pendingTimers() === 1, "the second retry timer");
    expect(done).toBe(false);
    rmSync(join(sub, "t"), { recursive: true });
    const second = server.write("token-two");
    await second;
    expect(readFileSync(join(sub, "t"), "utf8")).toBe("token-two");
    await clock.advance(1500); // the old token's retry wakes up and gives up: it was superseded
    await first;
    expect(readFileSync(join(sub, "t"), "utf8")).toBe("token-two");
    expect(clock.pendingTimers()).toBe(0);
  });

  test("stop() ends pending retries", async () => {
    const clock = new FakeClock();
    const s = createSink(sink({ path: join(dir, "t") }));
    mkdirSync(join(dir, "t", "blocker"), { recursive: true });
    const server = new SinkServer([s], { api: noApi, clock, logger: memoryLogger().logger });
    const w = server.write("token-x");
    await until(() => clock.pendingTimers() === 1, "the retry timer");
    server.stop();
    await w;
    expect(clock.pendingTimers()).toBe(0);
    expect(readdirSync(dir)).toEqual(["t"]); // no temp file left behind
  });
});

describe("DH-encrypted sink", () => {
  for (const deriveKey of [false, true]) {
    test(`round trip (derive_key = ${deriveKey}, aad from env)`, async () => {
      const ours = generateKeyPairSync("x25519");
      const ourPub = rawPublicKey(ours.publicKey);
      writeFileSync(
        join(dir, "dh.json"),
        JSON.stringify({ curve25519_public_key: ourPub.toString("base64") }),
      );
      const s = createSink(
        sink(
          { path: join(dir, "t") },
          { dhType: "curve25519", dhPath: join(dir, "dh.json"), aadEnvVar: "SINK_AAD", deriveKey },
        ),
        { env: { SINK_AAD: "bound-to-this" } },
      );
      const server = new SinkServer([s], {
        api: noApi,
        clock: new FakeClock(),
        logger: memoryLogger().logger,
      });
      await server.write("hvs.secret-token");
      const env = JSON.parse(readFileSync(join(dir, "t"), "utf8"));
      expect(Object.keys(env)).toEqual(["curve25519_public_key", "nonce", "encrypted_payload"]);
      const theirPub = Buffer.from(env.curve25519_public_key, "base64");
      const nonce = Buffer.from(env.nonce, "base64");
      expect(nonce.length).toBe(12);
      const payload = Buffer.from(env.encrypted_payload, "base64");
      const secret = diffieHellman({ privateKey: ours.privateKey, publicKey: x25519PublicKey(theirPub) });
      const key = sharedKey(secret, ourPub, theirPub, deriveKey);
      const decipher = createDecipheriv("aes-256-gcm", key, nonce);
      decipher.setAAD(Buffer.from("bound-to-this"));
      decipher.setAuthTag(payload.subarray(payload.length - 16));
      const plain = Buffer.concat([
        decipher.update(payload.subarray(0, payload.length - 16)),
        decipher.final(),
      ]);
      expect(plain.toString()).toBe("hvs.secret-token");
      // The wrong AAD must not decrypt.
      const bad = createDecipheriv("aes-256-gcm", key, nonce);
      bad.setAAD(Buffer.from("other"));
      bad.setAuthTag(payload.subarray(payload.length - 16));
      bad.update(payload.subarray(0, payload.length - 16));
      expect(() => bad.final()).toThrow();
    });
  }

  test("missing dh file: Vault's error, retried until the key appears (then trusted)", async () => {
    const clock = new FakeClock();
    const { logger, sink: logs } = memoryLogger(clock);
    const s = createSink(
      sink({ path: join(dir, "t") }, { dhType: "curve25519", dhPath: join(dir, "dh.json") }),
    );
    const server = new SinkServer([s], { api: noApi, clock, logger, random: () => 0 });
    const w = server.write("hvs.abc-token");
    await until(() => clock.pendingTimers() === 1, "the retry");
    expect(logs.text()).toContain("no dh parameters file found, and no cached pub key");
    const ours = generateKeyPairSync("x25519");
    writeFileSync(
      join(dir, "dh.json"),
      JSON.stringify({ curve25519_public_key: rawPublicKey(ours.publicKey).toString("base64") }),
    );
    await clock.advance(1000);
    await w;
    expect(JSON.parse(readFileSync(join(dir, "t"), "utf8")).encrypted_payload).toBeString();
  });
});

describe("sink wrap_ttl against the dev server", () => {
  let server: DevServer;
  beforeEach(async () => {
    server = await startDevServer();
  });
  afterEach(async () => {
    await server.stop();
  });

  test("the file holds wrap_info JSON whose token unwraps to the agent's token", async () => {
    const clock = new FakeClock();
    const s = createSink(sink({ path: join(dir, "t"), mode: 0o600 }, { wrapTTL: 300_000 }));
    const sinks = new SinkServer([s], { api: clientFor(server), clock, logger: memoryLogger().logger });
    await sinks.write(server.rootToken);
    const info = JSON.parse(readFileSync(join(dir, "t"), "utf8"));
    expect(Object.keys(info)).toEqual([
      "token",
      "accessor",
      "ttl",
      "creation_time",
      "creation_path",
      "wrapped_accessor",
    ]);
    expect(info.ttl).toBe(300);
    expect(info.creation_path).toBe("sys/wrapping/wrap");
    const un = await vault(server, "PUT", "sys/wrapping/unwrap", undefined, info.token);
    expect(un.json.data.token).toBe(server.rootToken);
  });
});
