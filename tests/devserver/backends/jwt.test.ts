import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { jwtFactory } from "../../../src/devserver/auth/jwt.ts";
import type { Backend } from "../../../src/devserver/types.ts";
import { githubClaims, signJwt, type TestKey, testKey } from "./jwt-helpers.ts";
import { call, callError, type UnitCore, unitCore } from "./unit-core.ts";

const M = "auth/jwt/";
const rsa = testKey("RS256");
const ec = testKey("ES256");
const ed = testKey("EdDSA");
const stranger = testKey("RS256", "stranger");

let jwksKeys: TestKey[] = [rsa];
let jwksHits = 0;
let server: ReturnType<typeof Bun.serve>;

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const url = new URL(req.url);
      if (url.pathname === "/.well-known/jwks.json") {
        jwksHits++;
        return Response.json({ keys: jwksKeys.map((k) => k.jwk) });
      }
      if (url.pathname === "/.well-known/openid-configuration") {
        return Response.json({
          issuer: `http://127.0.0.1:${server.port}`,
          jwks_uri: `http://127.0.0.1:${server.port}/.well-known/jwks.json`,
        });
      }
      return new Response("not found", { status: 404 });
    },
  });
});
afterAll(() => server.stop(true));

const now = (core: UnitCore) => Math.floor(core.clock.now() / 1000);

async function githubSetup(config: Record<string, unknown>): Promise<{ core: UnitCore; jwt: Backend }> {
  const core = unitCore();
  const jwt = jwtFactory(core, M, {});
  await call(jwt, M, "update", "config", {
    bound_issuer: "https://token.actions.githubusercontent.com",
    ...config,
  });
  await call(jwt, M, "update", "role/deploy", {
    role_type: "jwt",
    user_claim: "actor",
    bound_audiences: "https://github.com/org",
    bound_claims_type: "glob",
    bound_claims: { sub: "repo:org/*:ref:refs/heads/main", repository: ["org/app", "org/lib"] },
    claim_mappings: { repository: "repo", ref: "git_ref" },
    token_policies: "deploy,read",
    token_ttl: "10m",
    token_max_ttl: "1h",
  });
  return { core, jwt };
}

describe("jwt auth", () => {
  test("GitHub-Actions-shaped token logs in with static keys (RS256, ES256, EdDSA)", async () => {
    for (const key of [rsa, ec, ed]) {
      const { core, jwt } = await githubSetup({
        jwt_validation_pubkeys: [stranger.publicPem, key.publicPem],
      });
      const res = await call(jwt, M, "update", "login", {
        role: "deploy",
        jwt: signJwt(key, githubClaims(now(core))),
      });
      expect(res.auth!.policies).toEqual(["default", "deploy", "read"]);
      const issued = core.issued[0];
      expect(issued.path).toBe("auth/jwt/login");
      expect(issued.opts).toMatchObject({
        ttl: 600,
        maxTTL: 3600,
        displayName: "jwt-octocat",
        entityAlias: "octocat",
        meta: { role: "deploy", repo: "org/app", git_ref: "refs/heads/main" },
      });
    }
  });

  test("signature, claim and binding failures carry Vault's texts", async () => {
    const { core, jwt } = await githubSetup({ jwt_validation_pubkeys: rsa.publicPem });
    const n = now(core);
    const login = async (token: string, role = "deploy") =>
      (await callError(jwt, M, "update", "login", { role, jwt: token })).message;
    expect(await login(signJwt(stranger, githubClaims(n)))).toBe(
      "error validating token: error verifying token signature: no known key successfully validated the token signature",
    );
    expect(await login(signJwt(rsa, githubClaims(n, { aud: "https://github.com/other" })))).toBe(
      "error validating token: invalid audience (aud) claim: audience claim does not match any expected audience",
    );
    expect(await login(signJwt(rsa, githubClaims(n, { iss: "https://evil" })))).toBe(
      "error validating token: invalid issuer (iss) claim",
    );
    expect(await login(signJwt(rsa, githubClaims(n, { repository: "org/secret" })))).toBe(
      'error validating claims: claim "repository" does not match any associated bound claim values',
    );
    expect(await login(signJwt(rsa, githubClaims(n, { sub: "repo:org/app:ref:refs/heads/dev" })))).toBe(
      'error validating claims: claim "sub" does not match any associated bound claim values',
    );
    expect(await login(signJwt(rsa, githubClaims(n, { actor: undefined })))).toBe(
      'claim "actor" not found in token',
    );
    expect(await login("not-a-jwt")).toStartWith("error validating token:");
    expect(await login(signJwt(rsa, githubClaims(n)), "nope")).toBe('role "nope" could not be found');
    expect((await callError(jwt, M, "update", "login", { role: "deploy" })).message).toBe("missing token");
    expect((await callError(jwt, M, "update", "login", { jwt: "x" })).message).toBe("missing role");
  });

  test("exp, nbf and iat are judged on the core clock with Vault's leeways", async () => {
    const { core, jwt } = await githubSetup({ jwt_validation_pubkeys: rsa.publicPem });
    const token = signJwt(rsa, githubClaims(now(core)));
    // exp = +300s; clock skew leeway 60s: still valid at +359s, expired at +361s.
    await core.clock.advance(359_000);
    expect((await call(jwt, M, "update", "login", { role: "deploy", jwt: token })).auth).toBeDefined();
    await core.clock.advance(2_000);
    expect((await callError(jwt, M, "update", "login", { role: "deploy", jwt: token })).message).toBe(
      "error validating token: invalid expiration time (exp) claim: token is expired",
    );
    const future = signJwt(rsa, githubClaims(now(core) + 120, {}));
    expect((await callError(jwt, M, "update", "login", { role: "deploy", jwt: future })).message).toBe(
      "error validating token: invalid not before (nbf) claim: token not yet valid",
    );
    const noTimes = signJwt(rsa, { ...githubClaims(0), iat: undefined, nbf: undefined, exp: undefined });
    expect((await callError(jwt, M, "update", "login", { role: "deploy", jwt: noTimes })).message).toBe(
      "error validating token: no issued at (iat), not before (nbf), or expiration time (exp) claims in token",
    );
  });

  test("keys from a loopback JWKS, refetched when the issuer rotates its key", async () => {
    jwksKeys = [rsa];
    jwksHits = 0;
    const { core, jwt } = await githubSetup({
      jwks_url: `http://127.0.0.1:${server.port}/.well-known/jwks.json`,
    });
    const login = (key: TestKey) =>
      call(jwt, M, "update", "login", { role: "deploy", jwt: signJwt(key, githubClaims(now(core))) });
    expect((await login(rsa)).auth).toBeDefined();
    expect((await login(rsa)).auth).toBeDefined();
    expect(jwksHits).toBe(1); // cached
    jwksKeys = [ec];
    expect((await login(ec)).auth).toBeDefined();
    expect(jwksHits).toBe(2);
    const err = await callError(jwt, M, "update", "login", {
      role: "deploy",
      jwt: signJwt(stranger, githubClaims(now(core))),
    });
    expect(err.message).toBe(
      "error validating token: error verifying token signature: failed to verify id token signature",
    );
  });

  test("OIDC discovery on loopback finds the JWKS", async () => {
    jwksKeys = [ed];
    const core = unitCore();
    const jwt = jwtFactory(core, M, {});
    const issuer = `http://127.0.0.1:${server.port}`;
    await call(jwt, M, "update", "config", {
      oidc_discovery_url: issuer,
      bound_issuer: issuer,
      default_role: "svc",
    });
    await call(jwt, M, "update", "role/svc", {
      role_type: "jwt",
      user_claim: "sub",
      bound_subject: "svc-a",
      bound_audiences: ["vault"],
    });
    const n = now(core);
    const res = await call(jwt, M, "update", "login", {
      jwt: signJwt(ed, { iss: issuer, sub: "svc-a", aud: "vault", exp: n + 60 }),
    });
    expect(res.auth).toBeDefined();
    const bad = await callError(jwt, M, "update", "login", {
      jwt: signJwt(ed, { iss: issuer, sub: "svc-b", aud: "vault", exp: n + 60 }),
    });
    expect(bad.message).toBe("error validating token: invalid subject (sub) claim");
  });

  test("config and role validation", async () => {
    const core = unitCore();
    const jwt = jwtFactory(core, M, {});
    expect((await callError(jwt, M, "update", "login", { role: "x", jwt: "y" })).message).toBe(
      "could not load configuration",
    );
    expect((await callError(jwt, M, "update", "config", {})).message).toBe(
      "exactly one of 'jwt_validation_pubkeys', 'jwks_url' or 'oidc_discovery_url' must be set",
    );
    expect(
      (await callError(jwt, M, "update", "config", { jwt_validation_pubkeys: "garbage" })).message,
    ).toContain("error parsing public key");
    await call(jwt, M, "update", "config", { jwt_validation_pubkeys: [rsa.publicPem] });
    expect(
      (await callError(jwt, M, "update", "role/r", { role_type: "jwt", bound_subject: "x" })).message,
    ).toBe("a user claim must be defined on the role");
    expect((await callError(jwt, M, "update", "role/r", { user_claim: "sub" })).message).toBe(
      "'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.",
    );
    expect(
      (await callError(jwt, M, "update", "role/r", { role_type: "jwt", user_claim: "sub" })).message,
    ).toBe("must have at least one bound constraint when creating/updating a role");
    await call(jwt, M, "update", "role/o", {
      user_claim: "sub",
      allowed_redirect_uris: "http://localhost/cb",
    });
    expect((await callError(jwt, M, "update", "login", { role: "o", jwt: "x" })).message).toBe(
      "role with oidc role_type is not allowed",
    );
    await call(jwt, M, "update", "role/noaud", { role_type: "jwt", user_claim: "sub", bound_subject: "a" });
    const withAud = signJwt(rsa, { sub: "a", aud: "x", exp: now(core) + 60 });
    expect((await callError(jwt, M, "update", "login", { role: "noaud", jwt: withAud })).message).toBe(
      "audience claim found in JWT but no audiences bound to the role",
    );
    const role = await call(jwt, M, "read", "role/noaud");
    expect(role.data).toMatchObject({
      role_type: "jwt",
      user_claim: "sub",
      bound_subject: "a",
      clock_skew_leeway: 60,
      token_ttl: 0,
    });
  });
});
