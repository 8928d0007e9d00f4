/**
 * Sprig's crypto functions (crypto.go): bcrypt and htpasswd, derivePassword (the Master Password
 * algorithm: scrypt N=32768 r=8 p=2, then HMAC-SHA256 over the site), AES-256-CBC with Sprig's
 * padding and its unchecked slicing, genPrivateKey, and the certificate helpers, which build
 * X.509 certificates with the shared writer in src/common/x509 and sign them with node:crypto.
 *
 * Key generation and signing follow Go's crypto/x509 rules where they decide the outcome: a DSA
 * key can be generated, printed and parsed, but Go cannot sign with one or certify one, so those
 * calls fail with Go's errors.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  generatePrimeSync,
  type KeyObject,
  randomBytes,
  scryptSync,
  X509Certificate,
} from "node:crypto";
import * as der from "../../../common/x509/der.ts";
import {
  buildCertificate,
  certificateSubject,
  encodeName,
  extensionValue,
  OID,
} from "../../../common/x509/x509.ts";
import type { FuncContext } from "../../api.ts";
import { decodeGoBytes, encodeGoString } from "../../bytes.ts";
import { GoStruct } from "../../value.ts";
import { goBase64Decode } from "../index.ts";
import { bcryptGenerate } from "./bcrypt.ts";
import { strval } from "./convert.ts";
import { type Fn, fn } from "./fn.ts";
import { sliceBounds } from "./panics.ts";
import { base64Bytes, ipText, parseIP, pemDecode, pemEncode } from "./pem.ts";

// --- bcrypt, htpasswd ---------------------------------------------------------------------------

/** bcrypt.GenerateFromPassword(input, DefaultCost), as Sprig reports failures: in the output. */
function bcrypt(input: string): string {
  const pw = encodeGoString(input);
  if (pw.length > 72) return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes";
  return bcryptGenerate(pw);
}

function htpasswd(user: string, password: string): string {
  if (user.includes(":")) return `invalid username: ${user}`;
  return `${user}:${bcrypt(password)}`;
}

// --- derivePassword --------------------------------------------------------------------------------

const SEED = "com.lyndir.masterpassword";

const TEMPLATES: Record<string, string[]> = {
  maximum: ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
  long: [
    "CvcvnoCvcvCvcv",
    "CvcvCvcvnoCvcv",
    "CvcvCvcvCvcvno",
    "CvccnoCvcvCvcv",
    "CvccCvcvnoCvcv",
    "CvccCvcvCvcvno",
    "CvcvnoCvccCvcv",
    "CvcvCvccnoCvcv",
    "CvcvCvccCvcvno",
    "CvcvnoCvcvCvcc",
    "CvcvCvcvnoCvcc",
    "CvcvCvcvCvccno",
    "CvccnoCvccCvcv",
    "CvccCvccnoCvcv",
    "CvccCvccCvcvno",
    "CvcvnoCvccCvcc",
    "CvcvCvccnoCvcc",
    "CvcvCvccCvccno",
    "CvccnoCvcvCvcc",
    "CvccCvcvnoCvcc",
    "CvccCvcvCvccno",
  ],
  medium: ["CvcnoCvc", "CvcCvcno"],
  short: ["Cvcn"],
  basic: ["aaanaaan", "aannaaan", "aaannaaa"],
  pin: ["nnnn"],
};

const CHARACTERS: Record<string, string> = {
  V: "AEIOU",
  C: "BCDFGHJKLMNPQRSTVWXYZ",
  v: "aeiou",
  c: "bcdfghjklmnpqrstvwxyz",
  A: "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
  a: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
  n: "0123456789",
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
};

function uint32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function derivePassword(
  counter: { value: bigint },
  type: string,
  password: string,
  user: string,
  site: string,
): string {
  const templates = TEMPLATES[type];
  if (!templates) return `cannot find password template ${type}`;
  const userBytes = Buffer.from(encodeGoString(user));
  const siteBytes = Buffer.from(encodeGoString(site));
  const salt = Buffer.concat([Buffer.from(SEED), uint32be(userBytes.length), userBytes]);
  const key = scryptSync(Buffer.from(encodeGoString(password)), salt, 64, {
    N: 32768,
    r: 8,
    p: 2,
    maxmem: 128 * 1024 * 1024,
  });
  const message = Buffer.concat([
    Buffer.from(SEED),
    uint32be(siteBytes.length),
    siteBytes,
    uint32be(Number(counter.value)),
  ]);
  const seed = createHmac("sha256", key).update(message).digest();
  const template = templates[seed[0]! % templates.length]!;
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const chars = CHARACTERS[template[i]!]!;
    out += chars[seed[i + 1]! % chars.length];
  }
  return out;
}

// --- AES ------------------------------------------------------------------------------------------------

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(encodeGoString(password)).copy(key, 0, 0, 32);
  return key;
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === "") return "";
  const content = Buffer.from(encodeGoString(plaintext));
  const padding = 16 - (content.length % 16);
  const padded = Buffer.concat([content, Buffer.alloc(padding, padding)]);
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", aesKey(password), iv).setAutoPadding(false);
  return Buffer.concat([iv, cipher.update(padded), cipher.final()]).toString("base64");
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === "") return "";
  const key = aesKey(password);
  const crypt = Buffer.from(encodeGoString(goBase64Decode(crypt64, false)));
  // The decoded slice's capacity is DecodedLen of the input, which Go's panic message reports.
  sliceBounds(null, 16n, BigInt(Math.floor(encodeGoString(crypt64).length / 4) * 3), "capacity");
  const iv = crypt.subarray(0, 16);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new Error("crypto/cipher: input not full blocks");
  const decipher = createDecipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(body), decipher.final()]);
  if (plain.length === 0) throw new Error("runtime error: index out of range [-1]");
  const end = plain.length - plain[plain.length - 1]!;
  sliceBounds(null, BigInt(end), BigInt(plain.length), "capacity");
  return decodeGoBytes(plain.subarray(0, end));
}

// --- keys ------------------------------------------------------------------------------------------------

/** A DSA key as Sprig's DSAKeyFormat holds it (node:crypto cannot generate or use DSA keys). */
interface DsaKey {
  p: bigint;
  q: bigint;
  g: bigint;
  y: bigint;
  x: bigint;
}

type PrivateKey = { kind: "node"; key: KeyObject } | { kind: "dsa"; key: DsaKey };

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

function randomBigBelow(n: bigint): bigint {
  const bytes = Math.ceil(n.toString(16).length / 2) + 8;
  return BigInt(`0x${randomBytes(bytes).toString("hex")}`) % n;
}

/** DSA parameters of sizes L=2048, N=256 (as dsa.L2048N256) and a key pair. */
function generateDsa(): DsaKey {
  const q = generatePrimeSync(256, { bigint: true }) as bigint;
  const p = generatePrimeSync(2048, { bigint: true, add: q, rem: 1n }) as bigint;
  let g = 1n;
  for (let h = 2n; g === 1n; h++) g = modPow(h, (p - 1n) / q, p);
  const x = randomBigBelow(q - 1n) + 1n;
  return { p, q, g, y: modPow(g, x, p), x };
}

function bigIntBytes(n: bigint): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return new Uint8Array(Buffer.from(hex, "hex"));
}

function dsaDer(k: DsaKey): Uint8Array {
  return der.seq(der.int(0), ...[k.p, k.q, k.g, k.y, k.x].map((v) => der.uintBytes(bigIntBytes(v))));
}

/** Sprig's pemBlockForKey: PKCS#1 for RSA, SEC 1 for EC, DSAKeyFormat for DSA, else PKCS#8. */
function pemForKey(k: PrivateKey): string {
  if (k.kind === "dsa") return pemEncode("DSA PRIVATE KEY", dsaDer(k.key));
  const key = k.key;
  switch (key.asymmetricKeyType) {
    case "rsa":
      return pemEncode("RSA PRIVATE KEY", new Uint8Array(key.export({ type: "pkcs1", format: "der" })));
    case "ec":
      return pemEncode("EC PRIVATE KEY", new Uint8Array(key.export({ type: "sec1", format: "der" })));
    default:
      return pemEncode("PRIVATE KEY", new Uint8Array(key.export({ type: "pkcs8", format: "der" })));
  }
}

function generatePrivateKey(typ: string): string {
  switch (typ) {
    case "":
    case "rsa":
      return pemForKey({ kind: "node", key: generateKeyPairSync("rsa", { modulusLength: 4096 }).privateKey });
    case "dsa":
      return pemForKey({ kind: "dsa", key: generateDsa() });
    case "ecdsa":
      return pemForKey({ kind: "node", key: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey });
    case "ed25519":
      return pemForKey({ kind: "node", key: generateKeyPairSync("ed25519").privateKey });
  }
  return `Unknown type ${typ}`;
}

function importKey(bytes: Uint8Array, type: "pkcs1" | "sec1" | "pkcs8"): KeyObject | null {
  try {
    return createPrivateKey({ key: Buffer.from(bytes), format: "der", type });
  } catch {
    return null;
  }
}

/** Go's x509 message for a key in the wrong container, or a generic parse failure. */
function keyFormatError(bytes: Uint8Array, expected: "pkcs1" | "sec1" | "pkcs8"): string {
  const hints: ["pkcs1" | "sec1" | "pkcs8", string][] = [
    ["pkcs8", "ParsePKCS8PrivateKey"],
    ["sec1", "ParseECPrivateKey"],
    ["pkcs1", "ParsePKCS1PrivateKey"],
  ];
  for (const [type, fnName] of hints) {
    if (type !== expected && importKey(bytes, type)) {
      return `x509: failed to parse private key (use ${fnName} instead for this key format)`;
    }
  }
  return expected === "sec1" ? "x509: failed to parse EC private key" : "x509: failed to parse private key";
}

function readDsa(bytes: Uint8Array): DsaKey {
  const fields = der.children(der.readNode(bytes));
  const ints = fields.map((f) => {
    if (f.tag !== 0x02) throw new Error("asn1: structure error: tags don't match");
    return BigInt(`0x${Buffer.from(f.content).toString("hex") || "0"}`);
  });
  if (ints.length < 6) throw new Error("asn1: syntax error: sequence truncated");
  const [, p, q, g, y, x] = ints as [bigint, bigint, bigint, bigint, bigint, bigint];
  return { p, q, g, y, x };
}

/** Sprig's parsePrivateKeyPEM. */
function parsePrivateKeyPem(text: string): PrivateKey {
  const block = pemDecode(text);
  if (!block) throw new Error("no PEM data in input");
  if (block.type === "PRIVATE KEY") {
    const key = importKey(block.bytes, "pkcs8");
    if (!key) throw new Error(`decoding PEM as PKCS#8: ${keyFormatError(block.bytes, "pkcs8")}`);
    return { kind: "node", key };
  }
  if (!block.type.endsWith(" PRIVATE KEY"))
    throw new Error(`no private key data in PEM block of type ${block.type}`);
  switch (block.type.slice(0, -12)) {
    case "RSA": {
      const key = importKey(block.bytes, "pkcs1");
      if (!key) throw new Error(`parsing RSA private key from PEM: ${keyFormatError(block.bytes, "pkcs1")}`);
      return { kind: "node", key };
    }
    case "EC": {
      const key = importKey(block.bytes, "sec1");
      if (!key) throw new Error(`parsing EC private key from PEM: ${keyFormatError(block.bytes, "sec1")}`);
      return { kind: "node", key };
    }
    case "DSA":
      try {
        return { kind: "dsa", key: readDsa(block.bytes) };
      } catch (e) {
        throw new Error(`parsing DSA private key from PEM: ${(e as Error).message}`);
      }
  }
  throw new Error(`invalid private key type ${block.type}`);
}

// --- certificates ----------------------------------------------------------------------------------

/** Sprig's certificate struct: PEM text of the certificate and of its key. */
export class Certificate extends GoStruct {
  readonly goType = "sprig.certificate";
  override readonly goFields = ["Cert", "Key"] as const;
  constructor(
    readonly Cert: string,
    readonly Key: string,
  ) {
    super();
  }
}

const CERT = "sprig.certificate";

function parseCertificate(bytes: Uint8Array): X509Certificate {
  try {
    return new X509Certificate(Buffer.from(bytes));
  } catch {
    throw new Error("x509: malformed certificate");
  }
}

function toStrings(list: unknown[] | null, what: (v: unknown) => string): string[] {
  return (list ?? []).map((v) => {
    if (typeof v !== "string") throw new Error(what(v));
    return v;
  });
}

interface Template {
  cn: string;
  ips: string[];
  dns: string[];
  days: bigint;
  isCA: boolean;
}

function baseTemplate(cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint): Template {
  const ipTexts = toStrings(ips, (v) => `error parsing ip: ${strval(v)} is not a string`).map((s) => {
    const b = parseIP(s);
    if (!b) throw new Error(`error parsing ip: ${s}`);
    return ipText(b);
  });
  const names = toStrings(dns, (v) => `error processing alternate dns name: ${strval(v)} is not a string`);
  return { cn, ips: ipTexts, dns: names, days, isCA: false };
}

interface Signer {
  key: PrivateKey;
  /** The issuer's encoded subject and key id; undefined when self-signed. */
  issuer?: { subject: Uint8Array; keyId: Uint8Array | null; publicKey: KeyObject };
}

function publicOf(k: PrivateKey): KeyObject {
  if (k.kind === "dsa") throw new Error("x509: unsupported public key type: *dsa.PublicKey");
  return createPublicKey(k.key);
}

/** x509.CreateCertificate (with Sprig's template) and the PEM pair Sprig returns. */
function certAndKey(ctx: FuncContext, t: Template, signee: PrivateKey, signer: Signer): Certificate {
  try {
    if (signer.key.kind === "dsa")
      throw new Error("x509: certificate private key does not implement crypto.Signer");
    const signingKey = signer.key.key;
    const publicKey = publicOf(signee);
    if (signer.issuer) {
      const want = signer.issuer.publicKey.export({ type: "spki", format: "der" });
      const have = createPublicKey(signingKey).export({ type: "spki", format: "der" });
      if (!Buffer.from(want).equals(Buffer.from(have))) {
        throw new Error("x509: provided PrivateKey doesn't match parent's PublicKey");
      }
    }
    const now = ctx.host.now();
    const subject = encodeName({ commonName: t.cn });
    const serial = new Uint8Array(randomBytes(16));
    const certDer = buildCertificate({
      serial,
      subject,
      issuer: signer.issuer ? signer.issuer.subject : subject,
      notBefore: now,
      notAfter: now + Number(t.days) * 86400000,
      publicKey,
      signingKey,
      authorityKeyId: signer.issuer?.keyId ?? undefined,
      isCA: t.isCA,
      keyUsage: t.isCA
        ? ["KeyEncipherment", "DigitalSignature", "CertSign"]
        : ["KeyEncipherment", "DigitalSignature"],
      extKeyUsage: ["ServerAuth", "ClientAuth"],
      sans: { dns: t.dns, ips: t.ips },
    });
    return new Certificate(pemEncode("CERTIFICATE", certDer), pemForKey(signee));
  } catch (e) {
    throw new Error(`error creating certificate: ${(e as Error).message}`);
  }
}

const rsa2048 = (): PrivateKey => ({
  kind: "node",
  key: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
});

function withKey(privPem: string): PrivateKey {
  try {
    return parsePrivateKeyPem(privPem);
  } catch (e) {
    throw new Error(`parsing private key: ${(e as Error).message}`);
  }
}

function genCA(ctx: FuncContext, cn: string, days: bigint, key: PrivateKey): Certificate {
  const t = baseTemplate(cn, null, null, days);
  t.isCA = true;
  return certAndKey(ctx, t, key, { key });
}

function genSelfSigned(
  ctx: FuncContext,
  cn: string,
  ips: unknown[] | null,
  dns: unknown[] | null,
  days: bigint,
  key: PrivateKey,
): Certificate {
  return certAndKey(ctx, baseTemplate(cn, ips, dns, days), key, { key });
}

function genSigned(
  ctx: FuncContext,
  cn: string,
  ips: unknown[] | null,
  dns: unknown[] | null,
  days: bigint,
  ca: Certificate,
  key: PrivateKey,
): Certificate {
  const block = pemDecode(ca.Cert);
  if (!block) throw new Error("unable to decode certificate");
  let signerCert: X509Certificate;
  try {
    signerCert = parseCertificate(block.bytes);
  } catch (e) {
    throw new Error(`error parsing certificate: decodedSignerCert.Bytes: ${(e as Error).message}`);
  }
  let signerKey: PrivateKey;
  try {
    signerKey = parsePrivateKeyPem(ca.Key);
  } catch (e) {
    throw new Error(`error parsing private key: ${(e as Error).message}`);
  }
  const t = baseTemplate(cn, ips, dns, days);
  const skid = extensionValue(new Uint8Array(signerCert.raw), OID.subjectKeyId);
  return certAndKey(ctx, t, key, {
    key: signerKey,
    issuer: {
      subject: certificateSubject(new Uint8Array(signerCert.raw)),
      keyId: skid ? der.readNode(skid).content : null,
      publicKey: signerCert.publicKey,
    },
  });
}

function buildCustomCert(b64cert: string, b64key: string): Certificate {
  const cert = base64Bytes(b64cert);
  if (!cert) throw new Error("unable to decode base64 certificate");
  const key = base64Bytes(b64key);
  if (!key) throw new Error("unable to decode base64 private key");
  const certText = decodeGoBytes(cert);
  const block = pemDecode(certText);
  if (!block) throw new Error("unable to decode certificate");
  try {
    parseCertificate(block.bytes);
  } catch (e) {
    throw new Error(`error parsing certificate: decodedCert.Bytes: ${(e as Error).message}`);
  }
  const keyText = decodeGoBytes(key);
  try {
    parsePrivateKeyPem(keyText);
  } catch (e) {
    throw new Error(`error parsing private key: ${(e as Error).message}`);
  }
  return new Certificate(certText, keyText);
}

export function cryptoFuncs(ctx: FuncContext): Record<string, Fn> {
  const L = "[]interface {}";
  return {
    bcrypt: fn("func(string) string", bcrypt),
    htpasswd: fn("func(string, string) string", htpasswd),
    derivePassword: fn("func(uint32, string, string, string, string) string", derivePassword),
    encryptAES: fn("func(string, string) (string, error)", encryptAES),
    decryptAES: fn("func(string, string) (string, error)", decryptAES),
    genPrivateKey: fn("func(string) string", generatePrivateKey),
    buildCustomCert: fn(`func(string, string) (${CERT}, error)`, buildCustomCert),
    genCA: fn(`func(string, int) (${CERT}, error)`, (cn: string, days: bigint) =>
      genCA(ctx, cn, days, rsa2048()),
    ),
    genCAWithKey: fn(`func(string, int, string) (${CERT}, error)`, (cn: string, days: bigint, pem: string) =>
      genCA(ctx, cn, days, withKey(pem)),
    ),
    genSelfSignedCert: fn(
      `func(string, ${L}, ${L}, int) (${CERT}, error)`,
      (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint) =>
        genSelfSigned(ctx, cn, ips, dns, days, rsa2048()),
    ),
    genSelfSignedCertWithKey: fn(
      `func(string, ${L}, ${L}, int, string) (${CERT}, error)`,
      (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, pem: string) =>
        genSelfSigned(ctx, cn, ips, dns, days, withKey(pem)),
    ),
    genSignedCert: fn(
      `func(string, ${L}, ${L}, int, ${CERT}) (${CERT}, error)`,
      (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, ca: Certificate) =>
        genSigned(ctx, cn, ips, dns, days, ca, rsa2048()),
    ),
    genSignedCertWithKey: fn(
      `func(string, ${L}, ${L}, int, ${CERT}, string) (${CERT}, error)`,
      (
        cn: string,
        ips: unknown[] | null,
        dns: unknown[] | null,
        days: bigint,
        ca: Certificate,
        pem: string,
      ) => genSigned(ctx, cn, ips, dns, days, ca, withKey(pem)),
    ),
  };
}
