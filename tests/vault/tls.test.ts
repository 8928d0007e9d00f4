/**
 * TLS against a Bun.serve over real sockets, with a CA, server and client certificates generated
 * by the openssl CLI for this run.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeClock } from "../../src/clock/clock.ts";
import { VaultClient, VaultNetworkError } from "../../src/vault/client.ts";
import { envelope, type Fake, startFake, until } from "./fake.ts";

let dir = "";
const pem = (name: string) => readFileSync(join(dir, name), "utf8");

function openssl(args: string[]): void {
  const r = Bun.spawnSync(["openssl", ...args], { cwd: dir, stderr: "pipe", stdout: "pipe" });
  if (r.exitCode !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr.toString()}`);
}

/** A key and a certificate signed by the test CA, with the given subjectAltName. */
function issue(name: string, san: string, usage: "serverAuth" | "clientAuth"): void {
  openssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.csr`,
    "-subj",
    `/CN=${name}`,
  ]);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=${usage}\n`);
  openssl([
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    `${name}.pem`,
    "-days",
    "2",
    "-extfile",
    `${name}.ext`,
  ]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultrun-tls-"));
  openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=vaultrun test CA",
  ]);
  issue("server", "IP:127.0.0.1,DNS:localhost", "serverAuth");
  issue("named", "DNS:vault.test", "serverAuth");
  issue("client", "DNS:agent", "clientAuth");
  mkdirSync(join(dir, "cadir"));
  writeFileSync(join(dir, "cadir", "ca.crt"), pem("ca.pem"));
  writeFileSync(join(dir, "cadir", "notes.txt"), "not a certificate\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function serve(name: string, requestCert = false): Fake {
  return startFake((_r, s) => envelope({ tls: true, path: s.path }), {
    tls: { cert: pem(`${name}.pem`), key: pem(`${name}.key`), ca: pem("ca.pem"), requestCert },
  });
}

async function attempt(c: VaultClient): Promise<unknown> {
  return c.request({ method: "GET", path: "sys/health" }).then(
    (r) => r?.data,
    (e) => e,
  );
}

describe("server verification", () => {
  test("ca_cert trusts the test CA", async () => {
    const f = serve("server");
    try {
      expect(
        await attempt(new VaultClient({ address: f.address, tls: { caCert: join(dir, "ca.pem") } })),
      ).toMatchObject({ tls: true });
    } finally {
      f.stop();
    }
  });

  test("ca_path loads the PEMs of a directory", async () => {
    const f = serve("server");
    try {
      expect(
        await attempt(new VaultClient({ address: f.address, tls: { caPath: join(dir, "cadir") } })),
      ).toMatchObject({ tls: true });
    } finally {
      f.stop();
    }
  });

  test("an unknown CA fails at once, without retries; tls_skip_verify accepts it", async () => {
    const f = serve("server");
    try {
      const clock = new FakeClock();
      const strict = new VaultClient({ address: f.address, maxRetries: 5 }, { clock });
      let settled: unknown;
      strict.request({ method: "GET", path: "sys/health" }).catch((e) => {
        settled = e;
      });
      // A retry would park on the fake clock (a second pending timer) instead of settling.
      await until(() => settled !== undefined || clock.pendingTimers() > 1);
      expect(settled).toBeInstanceOf(VaultNetworkError);
      expect(f.seen).toHaveLength(0);
      const lax = new VaultClient({ address: f.address, tls: { skipVerify: true } });
      expect(await attempt(lax)).toMatchObject({ tls: true });
    } finally {
      f.stop();
    }
  });

  test("tls_server_name verifies against another name than the address", async () => {
    const f = serve("named");
    try {
      const ca = join(dir, "ca.pem");
      expect(
        await attempt(new VaultClient({ address: f.address, maxRetries: 0, tls: { caCert: ca } })),
      ).toBeInstanceOf(VaultNetworkError);
      const named = new VaultClient({ address: f.address, tls: { caCert: ca, serverName: "vault.test" } });
      expect(await attempt(named)).toMatchObject({ tls: true });
    } finally {
      f.stop();
    }
  });
});

describe("mutual TLS", () => {
  test("a server requiring client certificates accepts client_cert/client_key and refuses without", async () => {
    const f = serve("server", true);
    try {
      const ca = join(dir, "ca.pem");
      const without = new VaultClient({ address: f.address, maxRetries: 0, tls: { caCert: ca } });
      expect(await attempt(without)).toBeInstanceOf(VaultNetworkError);
      const withCert = new VaultClient({
        address: f.address,
        tls: { caCert: ca, clientCert: join(dir, "client.pem"), clientKey: join(dir, "client.key") },
      });
      expect(await attempt(withCert)).toMatchObject({ tls: true });
    } finally {
      f.stop();
    }
  });
});

describe("redirects", () => {
  test("an https → http redirect is refused", async () => {
    const f = startFake(
      () => new Response(null, { status: 307, headers: { location: "http://127.0.0.1:1/v1/x" } }),
      {
        tls: { cert: pem("server.pem"), key: pem("server.key") },
      },
    );
    try {
      const c = new VaultClient({ address: f.address, tls: { caCert: join(dir, "ca.pem") } });
      const e = (await attempt(c)) as Error;
      expect(e.message).toBe("redirect would cause protocol downgrade");
    } finally {
      f.stop();
    }
  });
});
