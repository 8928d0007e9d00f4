/**
 * X.509 v3 certificates (and CRLs) built with our DER writer and signed with node:crypto:
 * RSA (sha256WithRSAEncryption), ECDSA (hash by curve) and Ed25519. The result is a real
 * certificate that OpenSSL, Go and node:crypto accept.
 */
import { createHash, createPublicKey, type KeyObject, sign } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import * as der from "./der.ts";

export interface Name {
  commonName?: string;
  country?: string[];
  province?: string[];
  locality?: string[];
  streetAddress?: string[];
  postalCode?: string[];
  organization?: string[];
  ou?: string[];
  serialNumber?: string;
}

const NAME_OIDS: [keyof Name, string][] = [
  ["country", "2.5.4.6"],
  ["province", "2.5.4.8"],
  ["locality", "2.5.4.7"],
  ["streetAddress", "2.5.4.9"],
  ["postalCode", "2.5.4.17"],
  ["organization", "2.5.4.10"],
  ["ou", "2.5.4.11"],
  ["commonName", "2.5.4.3"],
  ["serialNumber", "2.5.4.5"],
];

/** A Name in Go's pkix order (C, ST, L, STREET, PC, O, OU, CN, SERIALNUMBER), one RDN per value. */
export function encodeName(name: Name): Uint8Array {
  const rdns: Uint8Array[] = [];
  for (const [key, id] of NAME_OIDS) {
    const v = name[key];
    const values = v === undefined ? [] : Array.isArray(v) ? v : [v];
    for (const value of values) {
      if (value === "") continue;
      const str = key === "country" || key === "serialNumber" ? der.printable(value) : der.utf8(value);
      rdns.push(der.set(der.seq(der.oid(id), str)));
    }
  }
  return der.seq(...rdns);
}

export interface SubjectAltNames {
  dns?: string[];
  ips?: string[];
  uris?: string[];
  emails?: string[];
}

export function ipBytes(ip: string): Uint8Array {
  if (isIPv4(ip)) return new Uint8Array(ip.split(".").map(Number));
  if (!isIPv6(ip)) throw new Error(`invalid IP address ${ip}`);
  let text = ip;
  // An embedded IPv4 tail ("::ffff:1.2.3.4") becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1].split(".").map(Number);
    text =
      text.slice(0, -v4[1].length) +
      `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

export const OID = {
  subjectKeyId: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  crlNumber: "2.5.29.20",
  crlDistributionPoints: "2.5.29.31",
  authorityKeyId: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
  ocsp: "1.3.6.1.5.5.7.48.1",
  caIssuers: "1.3.6.1.5.5.7.48.2",
};

export const EKU_OIDS: Record<string, string> = {
  ServerAuth: "1.3.6.1.5.5.7.3.1",
  ClientAuth: "1.3.6.1.5.5.7.3.2",
  CodeSigning: "1.3.6.1.5.5.7.3.3",
  EmailProtection: "1.3.6.1.5.5.7.3.4",
  TimeStamping: "1.3.6.1.5.5.7.3.8",
  OcspSigning: "1.3.6.1.5.5.7.3.9",
  Any: "2.5.29.37.0",
};

/** KeyUsage names as Vault spells them (x509.KeyUsage without the prefix) → bit numbers. */
export const KEY_USAGE_BITS: Record<string, number> = {
  digitalsignature: 0,
  contentcommitment: 1,
  keyencipherment: 2,
  dataencipherment: 3,
  keyagreement: 4,
  certsign: 5,
  crlsign: 6,
  encipheronly: 7,
  decipheronly: 8,
};

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical
    ? der.seq(der.oid(id), der.bool(true), der.octetString(value))
    : der.seq(der.oid(id), der.octetString(value));
}

export function sanExtension(s: SubjectAltNames): Uint8Array | null {
  const names: Uint8Array[] = [];
  for (const e of s.emails ?? []) names.push(der.implicitPrimitive(1, new TextEncoder().encode(e)));
  for (const d of s.dns ?? []) names.push(der.implicitPrimitive(2, new TextEncoder().encode(d)));
  for (const u of s.uris ?? []) names.push(der.implicitPrimitive(6, new TextEncoder().encode(u)));
  for (const ip of s.ips ?? []) names.push(der.implicitPrimitive(7, ipBytes(ip)));
  return names.length ? extension(OID.subjectAltName, false, der.seq(...names)) : null;
}

/** The subjectPublicKey BIT STRING content of an SPKI (what a key identifier hashes). */
export function spkiKeyBits(spki: Uint8Array): Uint8Array {
  const top = der.children(der.readNode(spki));
  return top[1].content.subarray(1);
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits (what Go and OpenSSL use). */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha1").update(spkiKeyBits(spki)).digest());
}

export interface CertificateSpec {
  serial: Uint8Array;
  subject: Uint8Array; // encoded Name
  issuer: Uint8Array; // encoded Name (byte-identical to the issuer's subject)
  notBefore: number; // ms
  notAfter: number; // ms
  publicKey: KeyObject;
  signingKey: KeyObject;
  /** Subject key id of the issuer (authorityKeyIdentifier); omitted when undefined. */
  authorityKeyId?: Uint8Array;
  isCA: boolean;
  maxPathLength?: number; // -1 / undefined = unlimited
  keyUsage: string[]; // Vault names, case-insensitive
  extKeyUsage: string[]; // keys of EKU_OIDS
  extKeyUsageOids?: string[];
  sans: SubjectAltNames;
  issuingCertificates?: string[];
  ocspServers?: string[];
  crlDistributionPoints?: string[];
}

/** AlgorithmIdentifier and node:crypto hash for a signing key. */
export function signatureAlgorithm(key: KeyObject): { algId: Uint8Array; hash: string | null } {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return { algId: der.seq(der.oid("1.2.840.113549.1.1.11"), der.nullValue()), hash: "sha256" };
    case "ec": {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === "secp384r1") return { algId: der.seq(der.oid("1.2.840.10045.4.3.3")), hash: "sha384" };
      if (curve === "secp521r1") return { algId: der.seq(der.oid("1.2.840.10045.4.3.4")), hash: "sha512" };
      return { algId: der.seq(der.oid("1.2.840.10045.4.3.2")), hash: "sha256" };
    }
    case "ed25519":
      return { algId: der.seq(der.oid("1.3.101.112")), hash: null };
    default:
      throw new Error(`unsupported signing key type ${key.asymmetricKeyType}`);
  }
}

function signDer(tbs: Uint8Array, key: KeyObject): Uint8Array {
  const { algId, hash } = signatureAlgorithm(key);
  const sig = sign(hash, tbs, key);
  return der.seq(tbs, algId, der.bitString(new Uint8Array(sig)));
}

export function buildCertificate(spec: CertificateSpec): Uint8Array {
  const spki = new Uint8Array(spec.publicKey.export({ type: "spki", format: "der" }));
  const exts: Uint8Array[] = [];
  const bc = spec.isCA
    ? der.seq(
        der.bool(true),
        ...(spec.maxPathLength !== undefined && spec.maxPathLength >= 0 ? [der.int(spec.maxPathLength)] : []),
      )
    : der.seq();
  exts.push(extension(OID.basicConstraints, true, bc));
  const kuBits = spec.keyUsage
    .map((u) => KEY_USAGE_BITS[u.toLowerCase().replace(/^keyusage/, "")])
    .filter((b): b is number => b !== undefined);
  if (kuBits.length > 0) exts.push(extension(OID.keyUsage, true, der.namedBits(kuBits)));
  const ekus = [
    ...spec.extKeyUsage.map((e) => EKU_OIDS[e]).filter((o): o is string => o !== undefined),
    ...(spec.extKeyUsageOids ?? []),
  ];
  if (ekus.length > 0) exts.push(extension(OID.extKeyUsage, false, der.seq(...ekus.map(der.oid))));
  exts.push(extension(OID.subjectKeyId, false, der.octetString(keyIdentifier(spki))));
  if (spec.authorityKeyId) {
    exts.push(extension(OID.authorityKeyId, false, der.seq(der.implicitPrimitive(0, spec.authorityKeyId))));
  }
  const aia: Uint8Array[] = [];
  for (const u of spec.ocspServers ?? [])
    aia.push(der.seq(der.oid(OID.ocsp), der.implicitPrimitive(6, new TextEncoder().encode(u))));
  for (const u of spec.issuingCertificates ?? []) {
    aia.push(der.seq(der.oid(OID.caIssuers), der.implicitPrimitive(6, new TextEncoder().encode(u))));
  }
  if (aia.length > 0) exts.push(extension(OID.authorityInfoAccess, false, der.seq(...aia)));
  if (spec.crlDistributionPoints?.length) {
    const dps = spec.crlDistributionPoints.map((u) =>
      der.seq(
        der.implicitConstructed(
          0,
          der.implicitConstructed(0, der.implicitPrimitive(6, new TextEncoder().encode(u))),
        ),
      ),
    );
    exts.push(extension(OID.crlDistributionPoints, false, der.seq(...dps)));
  }
  const san = sanExtension(spec.sans);
  if (san) exts.push(san);

  const tbs = der.seq(
    der.explicit(0, der.int(2)), // v3
    der.uintBytes(spec.serial),
    signatureAlgorithm(spec.signingKey).algId,
    spec.issuer,
    der.seq(der.x509Time(spec.notBefore), der.x509Time(spec.notAfter)),
    spec.subject,
    spki,
    der.explicit(3, der.seq(...exts)),
  );
  return signDer(tbs, spec.signingKey);
}

export interface RevokedEntry {
  serial: Uint8Array;
  revokedAt: number; // ms
}

/** A v2 CRL signed by the issuer. */
export function buildCrl(opts: {
  issuer: Uint8Array;
  signingKey: KeyObject;
  authorityKeyId: Uint8Array;
  thisUpdate: number;
  nextUpdate: number;
  number: number;
  revoked: RevokedEntry[];
}): Uint8Array {
  const entries = opts.revoked.map((r) => der.seq(der.uintBytes(r.serial), der.x509Time(r.revokedAt)));
  const exts = der.explicit(
    0,
    der.seq(
      extension(OID.authorityKeyId, false, der.seq(der.implicitPrimitive(0, opts.authorityKeyId))),
      extension(OID.crlNumber, false, der.int(opts.number)),
    ),
  );
  const tbs = der.seq(
    der.int(1), // v2
    signatureAlgorithm(opts.signingKey).algId,
    opts.issuer,
    der.x509Time(opts.thisUpdate),
    der.x509Time(opts.nextUpdate),
    ...(entries.length > 0 ? [der.seq(...entries)] : []),
    exts,
  );
  return signDer(tbs, opts.signingKey);
}

/** The encoded subject Name of a certificate (to use verbatim as a child's issuer). */
export function certificateSubject(certDer: Uint8Array): Uint8Array {
  const cert = der.readNode(certDer);
  const tbs = der.children(cert)[0];
  const fields = der.children(tbs);
  // version [0] is present in v3 certificates: version, serial, sigAlg, issuer, validity, subject
  const idx = fields[0].tag === 0xa0 ? 5 : 4;
  const f = fields[idx];
  return tbs.content.subarray(f.start, f.end);
}

export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

/** Go's certutil.GetHexFormatted: lowercase hex pairs joined by ":". */
export function hexColons(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** The extnValue bytes of a certificate extension, or null when the certificate lacks it. */
export function extensionValue(certDer: Uint8Array, extOid: string): Uint8Array | null {
  const wanted = Buffer.from(der.oid(extOid));
  const tbs = der.children(der.readNode(certDer))[0];
  const extsWrapper = der.children(tbs).find((n) => n.tag === 0xa3);
  if (!extsWrapper) return null;
  for (const ext of der.children(der.children(extsWrapper)[0])) {
    const parts = der.children(ext);
    const id = ext.content.subarray(parts[0].start, parts[0].end);
    if (Buffer.from(id).equals(wanted)) return parts[parts.length - 1].content;
  }
  return null;
}

/** Subject and authority key identifiers as Vault renders them ("aa:bb:…"), "" when absent. */
export function keyIds(certDer: Uint8Array): { subjectKeyId: string; authorityKeyId: string } {
  let subjectKeyId = "";
  let authorityKeyId = "";
  try {
    const ski = extensionValue(certDer, OID.subjectKeyId);
    if (ski) subjectKeyId = hexColons(der.readNode(ski).content);
    const aki = extensionValue(certDer, OID.authorityKeyId);
    if (aki) {
      const keyId = der.children(der.readNode(aki)).find((n) => n.tag === 0x80);
      if (keyId) authorityKeyId = hexColons(keyId.content);
    }
  } catch {
    // A certificate node:crypto accepted but our reader cannot walk: report no identifiers.
  }
  return { subjectKeyId, authorityKeyId };
}
