/** Signing test JWTs with keys generated in the test (RS256, ES256, EdDSA). */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";

export type Alg = "RS256" | "ES256" | "EdDSA";

export interface TestKey {
  alg: Alg;
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicPem: string;
  jwk: Record<string, unknown>;
}

export function testKey(alg: Alg, kid = `${alg.toLowerCase()}-key`): TestKey {
  const pair =
    alg === "RS256"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : alg === "ES256"
        ? generateKeyPairSync("ec", { namedCurve: "P-256" })
        : generateKeyPairSync("ed25519");
  return {
    alg,
    kid,
    ...pair,
    publicPem: pair.publicKey.export({ type: "spki", format: "pem" }) as string,
    jwk: { ...pair.publicKey.export({ format: "jwk" }), kid, use: "sig", alg },
  };
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

export function signJwt(
  key: TestKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const input = `${b64({ alg: key.alg, typ: "JWT", kid: key.kid, ...header })}.${b64(claims)}`;
  const sig =
    key.alg === "RS256"
      ? sign("sha256", Buffer.from(input), key.privateKey)
      : key.alg === "ES256"
        ? sign("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" })
        : sign(null, Buffer.from(input), key.privateKey);
  return `${input}.${sig.toString("base64url")}`;
}

/** Claims shaped like a GitHub Actions OIDC token for repo org/app on main. */
export function githubClaims(nowSec: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: "https://token.actions.githubusercontent.com",
    aud: "https://github.com/org",
    sub: "repo:org/app:ref:refs/heads/main",
    repository: "org/app",
    repository_owner: "org",
    ref: "refs/heads/main",
    ref_type: "branch",
    workflow: "deploy",
    actor: "octocat",
    run_id: "123456",
    environment: "production",
    iat: nowSec,
    nbf: nowSec,
    exp: nowSec + 300,
    ...extra,
  };
}
