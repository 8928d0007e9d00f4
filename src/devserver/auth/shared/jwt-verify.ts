/**
 * JWT signature and claim validation with node:crypto, following the rules Vault's JWT and
 * Kubernetes auth methods apply (hashicorp/cap): signature first, then alg, iss, sub, aud, then
 * the time claims with leeway measured on the core's clock. Error texts match Vault's so that a
 * client sees the same message from the dev server as from a real Vault.
 */
import { constants, createPublicKey, type KeyObject, verify, X509Certificate } from "node:crypto";

export class JwtError extends Error {}

export interface ParsedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
}

function b64urlJson(part: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw new JwtError(`failed to parse JWT ${what}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new JwtError(`failed to parse JWT ${what}`);
  return v as Record<string, unknown>;
}

export function parseJwt(token: string): ParsedJwt {
  const parts = token.trim().split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) {
    throw new JwtError("go-jose/go-jose: compact JWS format must have three parts");
  }
  return {
    header: b64urlJson(parts[0], "header"),
    claims: b64urlJson(parts[1], "payload"),
    signingInput: Buffer.from(`${parts[0]}.${parts[1]}`),
    signature: Buffer.from(parts[2], "base64url"),
  };
}

export const SUPPORTED_ALGS = [
  "RS256",
  "RS384",
  "RS512",
  "ES256",
  "ES384",
  "ES512",
  "PS256",
  "PS384",
  "PS512",
  "EdDSA",
];

/** Verifies the JWS signature with one key; false on any mismatch (wrong key type included). */
export function verifySignature(jwt: ParsedJwt, key: KeyObject): boolean {
  const alg = String(jwt.header.alg ?? "");
  const hash = `sha${alg.slice(2)}`;
  const kt = key.asymmetricKeyType;
  try {
    if (alg.startsWith("RS") && kt === "rsa") return verify(hash, jwt.signingInput, key, jwt.signature);
    if (alg.startsWith("PS") && (kt === "rsa" || kt === "rsa-pss")) {
      return verify(
        hash,
        jwt.signingInput,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 },
        jwt.signature,
      );
    }
    if (alg.startsWith("ES") && kt === "ec") {
      const curve = { ES256: "prime256v1", ES384: "secp384r1", ES512: "secp521r1" }[alg];
      if (key.asymmetricKeyDetails?.namedCurve !== curve) return false;
      return verify(hash, jwt.signingInput, { key, dsaEncoding: "ieee-p1363" }, jwt.signature);
    }
    if (alg === "EdDSA" && (kt === "ed25519" || kt === "ed448"))
      return verify(null, jwt.signingInput, key, jwt.signature);
  } catch {
    return false;
  }
  return false;
}

/** Parses a PEM public key or certificate (RSA, EC or Ed25519). */
export function parsePublicKeyPem(pem: string): KeyObject {
  const text = pem.trim();
  if (text.includes("BEGIN CERTIFICATE")) return new X509Certificate(text).publicKey;
  return createPublicKey({ key: text, format: "pem" });
}

export interface Jwk {
  kid?: string;
  [k: string]: unknown;
}

export function jwkToKey(jwk: Jwk): KeyObject | null {
  try {
    // biome-ignore lint/suspicious/noExplicitAny: node's JsonWebKey type is narrower than real JWKS entries
    return createPublicKey({ key: jwk as any, format: "jwk" });
  } catch {
    return null; // keys of unsupported types in a JWKS are skipped, as go-jose does
  }
}

export interface ExpectedClaims {
  issuer?: string;
  subject?: string;
  audiences?: string[];
  algorithms?: string[];
  /** Seconds; 0 = default (150 / 150 / 60), negative = none. */
  expirationLeeway?: number;
  notBeforeLeeway?: number;
  clockSkewLeeway?: number;
  nowMs: number;
  /** Kubernetes SA tokens may carry no time claims at all. */
  allowMissingTimes?: boolean;
}

function leeway(v: number | undefined, dflt: number): number {
  if (v === undefined || v === 0) return dflt;
  return v < 0 ? 0 : v;
}

function numericClaim(claims: Record<string, unknown>, name: string): number {
  const v = claims[name];
  if (v === undefined || v === null) return 0;
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isFinite(n)) throw new JwtError(`invalid ${name} claim`);
  return Math.floor(n);
}

export function audienceList(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === "string");
  return [];
}

/** Checks alg, iss, sub, aud and the time claims; throws JwtError with cap's texts. */
export function validateClaims(jwt: ParsedJwt, exp: ExpectedClaims): void {
  const algs = exp.algorithms && exp.algorithms.length > 0 ? exp.algorithms : SUPPORTED_ALGS;
  if (!algs.includes(String(jwt.header.alg))) {
    throw new JwtError("invalid algorithm (alg) header parameter: token signed with unexpected algorithm");
  }
  const c = jwt.claims;
  if (exp.issuer && exp.issuer !== c.iss) throw new JwtError("invalid issuer (iss) claim");
  if (exp.subject && exp.subject !== c.sub) throw new JwtError("invalid subject (sub) claim");
  if (exp.audiences && exp.audiences.length > 0) {
    const have = audienceList(c);
    if (!exp.audiences.some((a) => have.includes(a))) {
      throw new JwtError("invalid audience (aud) claim: audience claim does not match any expected audience");
    }
  }
  const iat = numericClaim(c, "iat");
  let expiry = numericClaim(c, "exp");
  let nbf = numericClaim(c, "nbf");
  if (iat === 0 && expiry === 0 && nbf === 0) {
    if (exp.allowMissingTimes) return;
    throw new JwtError("no issued at (iat), not before (nbf), or expiration time (exp) claims in token");
  }
  // A token without exp lives for the expiration leeway past its start, and one without nbf
  // starts at iat (or the not-before leeway before its expiry) — cap's rules.
  if (expiry === 0) expiry = Math.max(iat, nbf) + leeway(exp.expirationLeeway, 150);
  if (nbf === 0) nbf = iat !== 0 ? iat : expiry - leeway(exp.notBeforeLeeway, 150);
  const skew = leeway(exp.clockSkewLeeway, 60) * 1000;
  const now = exp.nowMs;
  if (now + skew < nbf * 1000) throw new JwtError("invalid not before (nbf) claim: token not yet valid");
  if (now - skew > expiry * 1000) throw new JwtError("invalid expiration time (exp) claim: token is expired");
  if (iat !== 0 && now + skew < iat * 1000) {
    throw new JwtError("invalid issued at (iat) claim: token issued in the future");
  }
}

/** A JSON pointer ("/a/b") or a plain top-level claim name. */
export function getClaim(claims: Record<string, unknown>, name: string): unknown {
  if (!name.startsWith("/")) return claims[name];
  let cur: unknown = claims;
  for (const raw of name.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Vault's glob: `*` matches any run of characters, everything else is literal. */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "s",
  );
  return re.test(value);
}

/**
 * Vault's bound_claims check: every bound claim must be present, and (when the bound value or
 * the claim is a list) at least one claim value must match one bound value.
 */
export function validateBoundClaims(
  boundClaims: Record<string, unknown>,
  type: "string" | "glob",
  claims: Record<string, unknown>,
): void {
  for (const [name, expected] of Object.entries(boundClaims)) {
    const actual = getClaim(claims, name);
    if (actual === undefined || actual === null) throw new JwtError(`claim "${name}" is missing`);
    const want = (Array.isArray(expected) ? expected : [expected]).map(String);
    const have = (Array.isArray(actual) ? actual : [actual]).map((v) =>
      typeof v === "string" ? v : JSON.stringify(v),
    );
    const ok = want.some((w) => have.some((h) => (type === "glob" ? globMatch(w, h) : w === h)));
    if (!ok) throw new JwtError(`claim "${name}" does not match any associated bound claim values`);
  }
}
