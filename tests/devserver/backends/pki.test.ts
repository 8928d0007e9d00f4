import { describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pkiFactory } from "../../../src/devserver/engines/pki/backend.ts";
import { call, callError, unitCore } from "./unit-core.ts";

const M = "pki/";

async function setup(rootBody: Record<string, unknown> = {}) {
  const core = unitCore();
  const pki = pkiFactory(core, M, {});
  const root = await call(pki, M, "update", "root/generate/internal", {
    common_name: "Dev Root CA",
    ttl: "87600h",
    ...rootBody,
  });
  await call(pki, M, "update", "roles/web", {
    allowed_domains: "example.com",
    allow_subdomains: true,
    max_ttl: "72h",
  });
  return { core, pki, root };
}

function openssl(args: string[]): { code: number; out: string } {
  const p = Bun.spawnSync(["openssl", ...args], { stderr: "pipe", stdout: "pipe" });
  return { code: p.exitCode ?? -1, out: p.stdout.toString() + p.stderr.toString() };
}

describe("pki engine", () => {
  test("root/generate/internal returns a self-signed CA certificate and no key", async () => {
    const { root } = await setup();
    const d = root.data!;
    expect(d.private_key).toBeUndefined();
    const ca = new X509Certificate(String(d.certificate));
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe("CN=Dev Root CA");
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(d.issuing_ca).toBe(d.certificate);
    expect(String(d.serial_number)).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    expect(d.expiration).toBe(Math.floor(new Date(ca.validTo).getTime() / 1000));
    // "Dev Root CA" is not a hostname, so it must not appear as a DNS SAN.
    expect(ca.subjectAltName).toBeUndefined();
  });

  test("root/generate/exported returns the CA key, which matches the certificate", async () => {
    const core = unitCore();
    const pki = pkiFactory(core, M, {});
    const r = await call(pki, M, "update", "root/generate/exported", {
      common_name: "ca.internal",
      key_type: "ec",
    });
    expect(r.data!.private_key_type).toBe("ec");
    expect(String(r.data!.private_key)).toStartWith("-----BEGIN EC PRIVATE KEY-----");
    const ca = new X509Certificate(String(r.data!.certificate));
    expect(
      ca.checkPrivateKey((await import("node:crypto")).createPrivateKey(String(r.data!.private_key))),
    ).toBe(true);
  });

  test("issue/<role> returns a real certificate signed by the CA, verified by node and openssl", async () => {
    const { core, pki, root } = await setup();
    const res = await call(pki, M, "update", "issue/web", {
      common_name: "www.example.com",
      alt_names: "api.example.com",
      ip_sans: "127.0.0.1,::1",
      ttl: "1h",
    });
    expect(res.lease).toBeUndefined(); // lease_id "" like Vault without generate_lease
    const d = res.data!;
    const leaf = new X509Certificate(String(d.certificate));
    const ca = new X509Certificate(String(root.data!.certificate));
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toBe(
      "DNS:www.example.com, DNS:api.example.com, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
    );
    expect(new Date(leaf.validTo).getTime()).toBe(core.clock.now() + 3600_000);
    expect(d.expiration).toBe(Math.floor(core.clock.now() / 1000) + 3600);
    expect(d.issuing_ca).toBe(root.data!.certificate);
    expect(d.ca_chain).toEqual([root.data!.certificate]);
    expect(d.private_key_type).toBe("rsa");
    expect(leaf.checkPrivateKey((await import("node:crypto")).createPrivateKey(String(d.private_key)))).toBe(
      true,
    );
    expect(d.serial_number).toBe(leaf.serialNumber.toLowerCase().match(/../g)!.join(":"));

    // The fake clock sits in 2026-01-01; openssl checks validity against the real time, so give
    // it the fake clock's notion of "now".
    const dir = mkdtempSync(join(tmpdir(), "pki-"));
    try {
      writeFileSync(join(dir, "ca.pem"), `${root.data!.certificate}\n`);
      writeFileSync(join(dir, "leaf.pem"), `${d.certificate}\n`);
      const at = String(Math.floor(core.clock.now() / 1000));
      const v = openssl(["verify", "-attime", at, "-CAfile", join(dir, "ca.pem"), join(dir, "leaf.pem")]);
      expect(v.out).toContain("leaf.pem: OK");
      expect(v.code).toBe(0);
      const text = openssl(["x509", "-in", join(dir, "leaf.pem"), "-noout", "-text"]).out;
      expect(text).toContain("TLS Web Server Authentication, TLS Web Client Authentication");
      expect(text).toContain("CA:FALSE");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("ec and ed25519 role keys", async () => {
    const { pki, root } = await setup();
    const ca = new X509Certificate(String(root.data!.certificate));
    await call(pki, M, "update", "roles/ec", { allow_any_name: true, key_type: "ec", key_bits: 384 });
    await call(pki, M, "update", "roles/ed", { allow_any_name: true, key_type: "ed25519" });
    const ec = await call(pki, M, "update", "issue/ec", { common_name: "svc" });
    expect(ec.data!.private_key_type).toBe("ec");
    expect(String(ec.data!.private_key)).toContain("BEGIN EC PRIVATE KEY");
    const ecCert = new X509Certificate(String(ec.data!.certificate));
    expect(ecCert.publicKey.asymmetricKeyDetails?.namedCurve).toBe("secp384r1");
    expect(ecCert.verify(ca.publicKey)).toBe(true);
    const ed = await call(pki, M, "update", "issue/ed", { common_name: "svc", private_key_format: "pkcs8" });
    expect(ed.data!.private_key_type).toBe("ed25519");
    expect(String(ed.data!.private_key)).toContain("BEGIN PRIVATE KEY");
    expect(new X509Certificate(String(ed.data!.certificate)).verify(ca.publicKey)).toBe(true);
  });

  test("role name rules: subdomains, bare domains, localhost, any name, wildcards", async () => {
    const { pki } = await setup();
    expect((await callError(pki, M, "update", "issue/web", { common_name: "example.com" })).message).toBe(
      "common name example.com not allowed by this role",
    );
    expect((await callError(pki, M, "update", "issue/web", { common_name: "www.evil.com" })).status).toBe(
      400,
    );
    expect(
      (
        await callError(pki, M, "update", "issue/web", {
          common_name: "a.example.com",
          alt_names: "b.evil.com",
        })
      ).message,
    ).toBe("subject alternate name b.evil.com not allowed by this role");
    expect(
      (await call(pki, M, "update", "issue/web", { common_name: "*.example.com" })).data!.certificate,
    ).toBeString();
    expect(
      (await call(pki, M, "update", "issue/web", { common_name: "localhost" })).data!.certificate,
    ).toBeString();
    await call(pki, M, "update", "roles/bare", {
      allowed_domains: ["example.com"],
      allow_bare_domains: true,
    });
    expect((await call(pki, M, "update", "issue/bare", { common_name: "example.com" })).data).toBeDefined();
    expect((await callError(pki, M, "update", "issue/bare", { common_name: "x.example.com" })).status).toBe(
      400,
    );
    await call(pki, M, "update", "roles/glob", { allowed_domains: "*.svc.local", allow_glob_domains: true });
    expect((await call(pki, M, "update", "issue/glob", { common_name: "db.svc.local" })).data).toBeDefined();
    await call(pki, M, "update", "roles/noip", { allow_any_name: true, allow_ip_sans: false });
    expect(
      (await callError(pki, M, "update", "issue/noip", { common_name: "x", ip_sans: "10.0.0.1" })).message,
    ).toBe("IP Subject Alternative Names are not allowed in this role, but was provided 10.0.0.1");
    expect((await callError(pki, M, "update", "issue/nope", { common_name: "x" })).message).toBe(
      "unknown role: nope",
    );
    expect((await callError(pki, M, "update", "issue/web", {})).message).toContain(
      "the common_name field is required",
    );
  });

  test("ttl is capped by the role's max_ttl with a warning; beyond the CA's expiry is an error", async () => {
    const { core, pki } = await setup({ ttl: "100h" });
    const r = await call(pki, M, "update", "issue/web", { common_name: "a.example.com", ttl: "96h" });
    expect(r.warnings?.[0]).toContain("is longer than permitted maxTTL");
    expect(new Date(new X509Certificate(String(r.data!.certificate)).validTo).getTime()).toBe(
      core.clock.now() + 72 * 3600_000,
    );
    await core.clock.advance(50 * 3600_000);
    const e = await callError(pki, M, "update", "issue/web", { common_name: "a.example.com", ttl: "72h" });
    expect(e.message).toContain("beyond the expiration of the CA certificate");
  });

  test("cert/<serial>, ca/pem, revoke and the CRL", async () => {
    const { pki, root } = await setup();
    const issued = await call(pki, M, "update", "issue/web", { common_name: "a.example.com" });
    const serial = String(issued.data!.serial_number);
    const fetched = await call(pki, M, "read", `cert/${serial.replace(/:/g, "-")}`);
    expect(fetched.data!.certificate).toBe(issued.data!.certificate);
    expect(fetched.data!.revocation_time).toBe(0);
    const caPem = await call(pki, M, "read", "ca/pem");
    expect(caPem.raw!.body).toBe(`${root.data!.certificate}\n`);
    expect(caPem.raw!.contentType).toBe("application/pem-certificate-chain");
    const rev = await call(pki, M, "update", "revoke", { serial_number: serial });
    expect(rev.data!.state).toBe("revoked");
    expect((await call(pki, M, "read", `cert/${serial}`)).data!.revocation_time).toBe(
      rev.data!.revocation_time,
    );
    const crl = await call(pki, M, "read", "crl/pem");
    const dir = mkdtempSync(join(tmpdir(), "crl-"));
    try {
      writeFileSync(join(dir, "crl.pem"), String(crl.raw!.body));
      writeFileSync(join(dir, "ca.pem"), `${root.data!.certificate}\n`);
      const out = openssl([
        "crl",
        "-in",
        join(dir, "crl.pem"),
        "-CAfile",
        join(dir, "ca.pem"),
        "-noout",
        "-text",
      ]);
      expect(out.out).toContain("verify OK");
      expect(out.out.toLowerCase()).toContain(serial.replace(/:/g, "").toLowerCase());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(
      (await callError(pki, M, "update", "revoke", { serial_number: root.data!.serial_number })).message,
    ).toContain("to its own CRL is not allowed");
    expect((await call(pki, M, "read", "cert/00:11")).raw!.status).toBe(404);
  });

  test("generate_lease attaches a non-renewable lease whose revocation revokes the certificate", async () => {
    const { pki } = await setup();
    await call(pki, M, "update", "roles/leased", { allow_any_name: true, generate_lease: true, ttl: "2h" });
    const r = await call(pki, M, "update", "issue/leased", { common_name: "svc" });
    expect(r.lease).toMatchObject({ ttl: 7200, renewable: false });
    r.lease!.onRevoke!();
    expect((await call(pki, M, "read", `cert/${r.data!.serial_number}`)).data!.revocation_time).not.toBe(0);
  });

  test("config/urls are embedded in issued certificates; roles read back; unknown paths 404", async () => {
    const { pki } = await setup();
    await call(pki, M, "update", "config/urls", {
      issuing_certificates: "http://127.0.0.1:8200/v1/pki/ca",
      crl_distribution_points: "http://127.0.0.1:8200/v1/pki/crl",
    });
    const r = await call(pki, M, "update", "issue/web", { common_name: "a.example.com" });
    const leaf = new X509Certificate(String(r.data!.certificate));
    expect(leaf.infoAccess).toContain("CA Issuers - URI:http://127.0.0.1:8200/v1/pki/ca");
    const role = await call(pki, M, "read", "roles/web");
    expect(role.data).toMatchObject({
      allowed_domains: ["example.com"],
      allow_subdomains: true,
      max_ttl: 259200,
      key_type: "rsa",
      key_bits: 2048,
    });
    expect((await call(pki, M, "list", "roles")).data).toEqual({ keys: ["web"] });
    expect((await callError(pki, M, "read", "nonsense/path")).status).toBe(404);
    expect((await callError(pki, M, "delete", "issue/web")).status).toBe(405);
    expect(
      (await callError(pki, M, "update", "roles/bad", { key_type: "rsa", key_bits: 1000 })).message,
    ).toBe("unsupported bit length for RSA key: 1000");
  });

  test("intermediate CA: generate, sign-intermediate, set-signed; leaves carry the full chain", async () => {
    const { core, pki, root } = await setup();
    const gen = await call(pki, M, "update", "intermediate/generate/internal", {
      common_name: "Dev Intermediate",
      key_type: "ec",
    });
    const csrPem = String(gen.data!.csr);
    expect(csrPem).toStartWith("-----BEGIN CERTIFICATE REQUEST-----");
    const signed = await call(pki, M, "update", "root/sign-intermediate", {
      csr: csrPem,
      ttl: "43800h",
      format: "pem_bundle",
    });
    const intPem = String(signed.data!.certificate).split("\n-----BEGIN")[0];
    const intCert = new X509Certificate(intPem);
    expect(intCert.ca).toBe(true);
    expect(intCert.subject).toBe("CN=Dev Intermediate");
    expect(intCert.verify(new X509Certificate(String(root.data!.certificate)).publicKey)).toBe(true);
    const set = await call(pki, M, "update", "intermediate/set-signed", { certificate: intPem });
    const intId = (set.data!.imported_issuers as string[])[0];
    await call(pki, M, "update", "config/issuers", { default: intId });
    const leaf = await call(pki, M, "update", "issue/web", {
      common_name: "svc.example.com",
      format: "pem_bundle",
    });
    expect(leaf.data!.ca_chain).toEqual([intPem, root.data!.certificate]);
    expect(leaf.data!.issuing_ca).toBe(intPem);
    expect(String(leaf.data!.certificate)).toStartWith("-----BEGIN RSA PRIVATE KEY-----");
    const chainPem = (await call(pki, M, "read", "ca_chain")).raw!.body;
    expect(chainPem).toBe(`${intPem}\n${root.data!.certificate}\n`);

    const dir = mkdtempSync(join(tmpdir(), "pki-int-"));
    try {
      const leafPem = String(leaf.data!.certificate).match(
        /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/,
      )![0];
      writeFileSync(join(dir, "root.pem"), `${root.data!.certificate}\n`);
      writeFileSync(join(dir, "int.pem"), `${intPem}\n`);
      writeFileSync(join(dir, "leaf.pem"), `${leafPem}\n`);
      const at = String(Math.floor(core.clock.now() / 1000));
      const v = openssl([
        "verify",
        "-attime",
        at,
        "-CAfile",
        join(dir, "root.pem"),
        "-untrusted",
        join(dir, "int.pem"),
        join(dir, "leaf.pem"),
      ]);
      expect(v.out).toContain("leaf.pem: OK");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(
      (await callError(pki, M, "update", "intermediate/set-signed", { certificate: intPem })).status,
    ).toBe(400);
  });

  test("sign/<role> signs a CSR made with openssl; garbage CSRs are a 400", async () => {
    const { core, pki, root } = await setup();
    const dir = mkdtempSync(join(tmpdir(), "pki-csr-"));
    try {
      const r = openssl([
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        join(dir, "k.pem"),
        "-out",
        join(dir, "r.csr"),
        "-subj",
        "/CN=app.example.com",
      ]);
      expect(r.code).toBe(0);
      const csr = Bun.file(join(dir, "r.csr"));
      const res = await call(pki, M, "update", "sign/web", { csr: await csr.text(), ttl: "2h" });
      expect(res.data!.private_key).toBeUndefined();
      const cert = new X509Certificate(String(res.data!.certificate));
      expect(cert.subject).toBe("CN=app.example.com");
      expect(cert.subjectAltName).toBe("DNS:app.example.com");
      expect(cert.verify(new X509Certificate(String(root.data!.certificate)).publicKey)).toBe(true);
      expect(new Date(cert.validTo).getTime()).toBe(core.clock.now() + 7200_000);
      const k = openssl(["pkey", "-in", join(dir, "k.pem"), "-pubout"]).out;
      expect(cert.publicKey.export({ type: "spki", format: "pem" })).toBe(k);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect((await callError(pki, M, "update", "sign/web", { csr: "nope" })).message).toBe(
      "certificate request could not be parsed",
    );
    const der = await call(pki, M, "update", "issue/web", { common_name: "d.example.com", format: "der" });
    expect(new X509Certificate(Buffer.from(String(der.data!.certificate), "base64")).subject).toBe(
      "CN=d.example.com",
    );
  });
});
