/**
 * Sprig's random and clock-dependent functions, tested by their properties (Go goldens cannot
 * pin them): keys and certificates that node:crypto parses and that chain up, bcrypt hashes
 * that verify, AES round trips, ranges and permutations, and dates on the host's clock.
 */
import { describe, expect, test } from "bun:test";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { SPRIG_UNSUPPORTED } from "../../../src/template/funcs/index.ts";
import { ALL_SPRIG } from "../../../src/template/funcs/sprig.ts";
import { run } from "./helpers.ts";

const NOW = Date.UTC(2024, 0, 2, 3, 4, 5, 67);

/** Renders and fails the test on a template error. */
function ok(text: string, now = NOW): string {
  const out = run(text, { now });
  if (out.startsWith("ERR ")) throw new Error(out);
  return out;
}

function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN [A-Z ]+-----\n[A-Za-z0-9+/=\n]+-----END [A-Z ]+-----\n/g) ?? [];
}

/** Splits "CERT|||KEY" as the templates below print them. */
function pair(out: string): { cert: X509Certificate; key: string; certPem: string } {
  const [certPem, key] = out.split("|||") as [string, string];
  expect(pemBlocks(certPem)).toEqual([certPem]);
  expect(pemBlocks(key)).toEqual([key]);
  return { cert: new X509Certificate(certPem), key, certPem };
}

const keyMatches = (cert: X509Certificate, keyPem: string) =>
  createPublicKey(createPrivateKey(keyPem))
    .export({ type: "spki", format: "der" })
    .equals(cert.publicKey.export({ type: "spki", format: "der" }));

describe("the Sprig function set", () => {
  test("every hermetic Sprig name is implemented", () => {
    expect(SPRIG_UNSUPPORTED).toEqual([]);
    expect(ALL_SPRIG).toHaveLength(194);
    expect(ALL_SPRIG).toContain("push");
    expect(ALL_SPRIG).toContain("mustPush");
    expect(ALL_SPRIG).toContain("sha512sum");
  });
});

describe("bcrypt and htpasswd", () => {
  test("a $2a$10$ hash that verifies, with a fresh salt each time", async () => {
    const a = ok('{{ sprig_bcrypt "hunter2" }}');
    const b = ok('{{ sprig_bcrypt "hunter2" }}');
    expect(a).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(a).not.toBe(b);
    // Bun's bcrypt is an independent implementation; it spells the same algorithm $2b$.
    expect(await Bun.password.verify("hunter2", a.replace("$2a$", "$2b$"))).toBe(true);
    expect(await Bun.password.verify("hunter3", a.replace("$2a$", "$2b$"))).toBe(false);
  });
  test("the empty password and a 72-byte one hash; longer ones fail as x/crypto's bcrypt does", async () => {
    expect(ok('{{ sprig_bcrypt "" }}')).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    const p72 = "x".repeat(72);
    const h = ok(`{{ sprig_bcrypt "${p72}" }}`);
    expect(await Bun.password.verify(p72, h.replace("$2a$", "$2b$"))).toBe(true);
    expect(ok(`{{ sprig_bcrypt "${"x".repeat(73)}" }}`)).toBe(
      "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes",
    );
  });
  test("htpasswd is user:bcrypt(password); a colon in the user name is refused in the output", async () => {
    const line = ok('{{ sprig_htpasswd "alice" "s3cret" }}');
    const [user, hash] = line.split(/:(.*)/s) as [string, string];
    expect(user).toBe("alice");
    expect(await Bun.password.verify("s3cret", hash.replace("$2a$", "$2b$"))).toBe(true);
    expect(ok('{{ sprig_htpasswd "a:b" "x" }}')).toBe("invalid username: a:b");
  });
});

describe("encryptAES / decryptAES", () => {
  test("round trip with a random IV (AES-256-CBC, key zero-padded to 32 bytes)", () => {
    const enc1 = ok('{{ sprig_encryptAES "secretkey" "plaintext é" }}');
    const enc2 = ok('{{ sprig_encryptAES "secretkey" "plaintext é" }}');
    expect(enc1).not.toBe(enc2);
    expect(Buffer.from(enc1, "base64").length).toBe(32);
    expect(ok(`{{ sprig_decryptAES "secretkey" "${enc1}" }}`)).toBe("plaintext é");
    expect(ok(`{{ "a" | sprig_repeat 16 | sprig_encryptAES "k" | sprig_decryptAES "k" }}`)).toBe(
      "a".repeat(16),
    );
    expect(ok(`{{ sprig_encryptAES "k" "abc" | sprig_decryptAES "k" }}`)).toBe("abc");
    expect(Buffer.from(ok(`{{ "a" | sprig_repeat 16 | sprig_encryptAES "k" }}`), "base64").length).toBe(48);
  });
  test("a long password uses its first 32 bytes", () => {
    const enc = ok(`{{ sprig_encryptAES "${"k".repeat(32)}-ignored" "x" }}`);
    expect(ok(`{{ sprig_decryptAES "${"k".repeat(32)}" "${enc}" }}`)).toBe("x");
  });
});

describe("genPrivateKey", () => {
  test("rsa (the default, 4096 bits) is PKCS#1", () => {
    for (const t of ['""', '"rsa"']) {
      const pem = ok(`{{ sprig_genPrivateKey ${t} }}`);
      expect(pem).toStartWith("-----BEGIN RSA PRIVATE KEY-----\n");
      expect(pemBlocks(pem)).toEqual([pem]);
      const k = createPrivateKey(pem);
      expect(k.asymmetricKeyType).toBe("rsa");
      expect(k.asymmetricKeyDetails?.modulusLength).toBe(4096);
    }
  });
  test("ecdsa is a P-256 SEC 1 key, ed25519 a PKCS#8 key", () => {
    const ec = ok('{{ sprig_genPrivateKey "ecdsa" }}');
    expect(ec).toStartWith("-----BEGIN EC PRIVATE KEY-----\n");
    expect(createPrivateKey(ec).asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    const ed = ok('{{ sprig_genPrivateKey "ed25519" }}');
    expect(ed).toStartWith("-----BEGIN PRIVATE KEY-----\n");
    expect(createPrivateKey(ed).asymmetricKeyType).toBe("ed25519");
  });
  test("dsa is Sprig's DSAKeyFormat with L=2048, N=256 parameters that hold together", () => {
    const pem = ok('{{ sprig_genPrivateKey "dsa" }}');
    expect(pem).toStartWith("-----BEGIN DSA PRIVATE KEY-----\n");
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\n/g, ""), "base64");
    const ints = readIntegers(der);
    expect(ints).toHaveLength(6);
    const [version, p, q, g, y, x] = ints as [bigint, bigint, bigint, bigint, bigint, bigint];
    expect(version).toBe(0n);
    expect(p.toString(2)).toHaveLength(2048);
    expect(q.toString(2)).toHaveLength(256);
    expect((p - 1n) % q).toBe(0n);
    expect(modPow(g, q, p)).toBe(1n);
    expect(modPow(g, x, p)).toBe(y);
  });
  test("an unknown type is reported in the output", () => {
    expect(ok('{{ sprig_genPrivateKey "foo" }}')).toBe("Unknown type foo");
  });
});

describe("certificates", () => {
  test("genCA: a self-signed CA valid for the given days from the host clock", () => {
    const { cert, key } = pair(ok('{{ $c := sprig_genCA "my-ca" 30 }}{{ $c.Cert }}|||{{ $c.Key }}'));
    expect(cert.subject).toBe("CN=my-ca");
    expect(cert.issuer).toBe("CN=my-ca");
    expect(cert.ca).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(keyMatches(cert, key)).toBe(true);
    expect(key).toStartWith("-----BEGIN RSA PRIVATE KEY-----\n");
    expect(createPrivateKey(key).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(new Date(cert.validFrom).getTime()).toBe(Math.floor(NOW / 1000) * 1000);
    expect(new Date(cert.validTo).getTime()).toBe(Math.floor((NOW + 30 * 86400000) / 1000) * 1000);
    expect(cert.keyUsage ?? []).toEqual(expect.arrayContaining(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]));
  });
  test("genSelfSignedCert carries the IPs and DNS names; not a CA", () => {
    const { cert, key } = pair(
      ok(
        '{{ $c := sprig_genSelfSignedCert "web" (sprig_list "10.0.0.1" "::1") (sprig_list "a.example" "b.example") 3 }}{{ $c.Cert }}|||{{ $c.Key }}',
      ),
    );
    expect(cert.ca).toBe(false);
    expect(cert.subjectAltName).toBe(
      "DNS:a.example, DNS:b.example, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1",
    );
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(keyMatches(cert, key)).toBe(true);
  });
  test("genSignedCert: signed by the CA (issuer, signature, authority key id)", () => {
    const out = ok(
      '{{ $ca := sprig_genCA "root" 10 }}{{ $c := sprig_genSignedCert "leaf" nil (sprig_list "leaf.example") 5 $ca }}{{ $ca.Cert }}|||{{ $c.Cert }}|||{{ $c.Key }}',
    );
    const [caPem, leafPem, leafKey] = out.split("|||") as [string, string, string];
    const ca = new X509Certificate(caPem);
    const leaf = new X509Certificate(leafPem);
    expect(leaf.issuer).toBe("CN=root");
    expect(leaf.subject).toBe("CN=leaf");
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(keyMatches(leaf, leafKey)).toBe(true);
  });
  test("the WithKey forms use the given key (PKCS#8 RSA comes back as PKCS#1, EC and Ed25519 too)", () => {
    for (const [type, header] of [
      ["ecdsa", "EC PRIVATE KEY"],
      ["ed25519", "PRIVATE KEY"],
    ] as const) {
      const out = ok(
        `{{ $k := sprig_genPrivateKey "${type}" }}{{ $ca := sprig_genCAWithKey "ca" 1 $k }}{{ $s := sprig_genSelfSignedCertWithKey "s" nil nil 1 $k }}{{ $l := sprig_genSignedCertWithKey "l" nil nil 1 $ca $k }}{{ $k }}|||{{ $ca.Cert }}|||{{ $ca.Key }}|||{{ $s.Cert }}|||{{ $l.Cert }}`,
      );
      const [k, caPem, caKey, sPem, lPem] = out.split("|||") as [string, string, string, string, string];
      expect(caKey).toBe(k);
      expect(k).toStartWith(`-----BEGIN ${header}-----\n`);
      const ca = new X509Certificate(caPem);
      expect(keyMatches(ca, k)).toBe(true);
      expect(keyMatches(new X509Certificate(sPem), k)).toBe(true);
      expect(new X509Certificate(lPem).verify(ca.publicKey)).toBe(true);
    }
    const pkcs8 = createPrivateKey(ok('{{ sprig_genPrivateKey "rsa" }}')).export({
      type: "pkcs8",
      format: "pem",
    }) as string;
    const key = ok(`{{ (sprig_genCAWithKey "ca" 1 "${pkcs8.replace(/\n/g, "\\n")}").Key }}`);
    expect(key).toStartWith("-----BEGIN RSA PRIVATE KEY-----\n");
  });
  test("buildCustomCert takes base64 PEM pairs back as they were", () => {
    const out = ok('{{ $ca := sprig_genCA "ca" 1 }}{{ $ca.Cert }}|||{{ $ca.Key }}');
    const [certPem, keyPem] = out.split("|||") as [string, string];
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const back = ok(
      `{{ $c := sprig_buildCustomCert "${b64(certPem)}" "${b64(keyPem)}" }}{{ $c.Cert }}|||{{ $c.Key }}`,
    );
    expect(back).toBe(out);
    expect(ok(`{{ sprig_buildCustomCert "${b64(certPem)}" "${b64(keyPem)}" | sprig_typeOf }}`)).toBe(
      "sprig.certificate",
    );
    const signed = ok(
      `{{ $ca := sprig_buildCustomCert "${b64(certPem)}" "${b64(keyPem)}" }}{{ (sprig_genSignedCert "x" nil nil 1 $ca).Cert }}`,
    );
    expect(new X509Certificate(signed).verify(new X509Certificate(certPem).publicKey)).toBe(true);
  });
  test("DSA keys print but cannot sign or be certified (Go's x509 errors)", () => {
    const dsa = ok('{{ sprig_genPrivateKey "dsa" }}').replace(/\n/g, "\\n");
    expect(run(`{{ sprig_genCAWithKey "ca" 1 "${dsa}" }}`, { now: NOW })).toEndWith(
      "error calling sprig_genCAWithKey: error creating certificate: x509: certificate private key does not implement crypto.Signer",
    );
    expect(
      run(`{{ sprig_genSignedCertWithKey "x" nil nil 1 (sprig_genCA "ca" 1) "${dsa}" }}`, { now: NOW }),
    ).toEndWith(
      "error calling sprig_genSignedCertWithKey: error creating certificate: x509: unsupported public key type: *dsa.PublicKey",
    );
  });
  test("a CA whose key is not its certificate's is refused", () => {
    const out = run(
      '{{ $a := sprig_genCA "a" 1 }}{{ $b := sprig_genCA "b" 1 }}{{ sprig_genSignedCert "x" nil nil 1 (sprig_buildCustomCert (sprig_b64enc $a.Cert) (sprig_b64enc $b.Key)) }}',
      { now: NOW },
    );
    expect(out).toEndWith(
      "error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey",
    );
  });
});

describe("randomness", () => {
  test("randInt stays in [min, max)", () => {
    const seen = new Set(
      ok("{{ range sprig_until 300 }}{{ sprig_randInt -2 3 }} {{ end }}").trim().split(" "),
    );
    expect([...seen].sort()).toEqual(["-1", "-2", "0", "1", "2"]);
  });
  test("shuffle permutes the runes", () => {
    const s = "héllo wörld 😀";
    const outs = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const out = ok(`{{ sprig_shuffle "${s}" }}`);
      expect([...out].sort()).toEqual([...s].sort());
      outs.add(out);
    }
    expect(outs.size).toBeGreaterThan(1);
  });
});

describe("limits", () => {
  test("a sequence too long for a render fails the call instead of exhausting memory", () => {
    expect(run("{{ sprig_until 1000000000 }}")).toEndWith(
      "error calling sprig_until: runtime error: makeslice: len out of range",
    );
    expect(run("{{ sprig_seq 1 2000000000 }}")).toEndWith("runtime error: makeslice: len out of range");
    expect(ok("{{ sprig_until 100000 | len }}")).toBe("100000");
  });
});

describe("dates on the host clock", () => {
  test("ago measures from host.now() and rounds to seconds", () => {
    expect(ok('{{ sprig_toDate "2006-01-02T15:04:05Z" "2024-01-02T02:03:04Z" | sprig_ago }}')).toBe("1h1m1s");
    expect(ok("{{ sprig_ago (sprig_int64 1704164645) }}")).toBe("0s");
    expect(ok("{{ sprig_ago 1704160000 }}")).toBe("1h17m25s");
    expect(ok('{{ sprig_toDate "2006-01-02" "2024-01-03" | sprig_ago }}')).toBe("-20h55m55s");
  });
  test("durationRound of a time is the time since it", () => {
    expect(ok('{{ sprig_toDate "2006-01-02" "2023-12-01" | sprig_durationRound }}')).toBe("1mo");
    expect(ok('{{ sprig_toDate "2006-01-02" "2020-01-01" | sprig_durationRound }}')).toBe("4y");
    expect(ok('{{ sprig_toDate "2006" "1" | sprig_durationRound }}')).toBe("292y");
  });
  test("toDate/mustDateModify/unixEpoch and the time methods", () => {
    expect(
      ok(
        '{{ $t := sprig_toDate "2006-01-02 15:04" "2024-03-04 05:06" }}{{ $t.Year }} {{ $t.Day }} {{ $t.Hour }} {{ $t.Unix }} {{ $t.Format "Jan 2" }}',
      ),
    ).toBe("2024 4 5 1709528760 Mar 4");
    expect(
      ok('{{ (sprig_mustDateModify "-1h" (sprig_toDate "2006" "2024")).Format "2006-01-02T15:04" }}'),
    ).toBe("2023-12-31T23:00");
  });
});

function readIntegers(der: Buffer): bigint[] {
  const out: bigint[] = [];
  let p = 2;
  if (der[1]! & 0x80) p = 2 + (der[1]! & 0x7f);
  while (p < der.length) {
    const tag = der[p]!;
    let len = der[p + 1]!;
    let q = p + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + der[q + i]!;
      q += n;
    }
    if (tag !== 2) throw new Error(`not an INTEGER at ${p}`);
    out.push(BigInt(`0x${der.subarray(q, q + len).toString("hex") || "0"}`));
    p = q + len;
  }
  return out;
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}
