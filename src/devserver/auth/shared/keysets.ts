/**
 * Where JWT verification keys come from: static PEMs (jwt_validation_pubkeys / pem_keys), a JWKS
 * URL, or an OIDC discovery document pointing at one. Remote key sets are fetched lazily, cached,
 * and refetched once when no cached key verifies (keys rotate), as go-oidc's remote key set does.
 */
import type { KeyObject } from "node:crypto";
import type { Clock } from "../../../clock/clock.ts";
import { type Jwk, JwtError, jwkToKey, type ParsedJwt, verifySignature } from "./jwt-verify.ts";

export interface KeySet {
  /** Throws JwtError (Vault's text, without the "error verifying token signature: " prefix). */
  verify(jwt: ParsedJwt): Promise<void>;
}

export class StaticKeySet implements KeySet {
  constructor(private keys: KeyObject[]) {}
  async verify(jwt: ParsedJwt): Promise<void> {
    if (!this.keys.some((k) => verifySignature(jwt, k))) {
      throw new JwtError("no known key successfully validated the token signature");
    }
  }
}

const FETCH_TIMEOUT_MS = 10_000;

/** GETs a JSON document; the timeout runs on the injected clock. */
export async function fetchJson(url: string, caPem: string, clock: Clock): Promise<unknown> {
  const ctl = new AbortController();
  const timer = clock.setTimer(FETCH_TIMEOUT_MS, () => ctl.abort(new Error("timeout")));
  try {
    const init: RequestInit & { tls?: { ca: string } } = {
      signal: ctl.signal,
      headers: { Accept: "application/json" },
    };
    if (caPem) init.tls = { ca: caPem };
    const res = await fetch(url, init);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${res.status} ${res.statusText}: ${body.slice(0, 200)}`);
    try {
      return JSON.parse(body);
    } catch {
      throw new Error(
        `expected Content-Type = application/json, got "${res.headers.get("content-type") ?? ""}"`,
      );
    }
  } finally {
    timer.cancel();
  }
}

export class RemoteKeySet implements KeySet {
  private keys: { kid?: string; key: KeyObject }[] | null = null;

  /** `resolveUrl` gives the JWKS URL (directly, or via discovery). */
  constructor(
    private resolveUrl: () => Promise<string>,
    private caPem: string,
    private clock: Clock,
  ) {}

  private async refresh(): Promise<void> {
    let doc: unknown;
    try {
      doc = await fetchJson(await this.resolveUrl(), this.caPem, this.clock);
    } catch (e) {
      throw new JwtError(
        `fetching keys oidc: get keys failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const list = (doc as { keys?: unknown })?.keys;
    if (!Array.isArray(list))
      throw new JwtError('fetching keys oidc: failed to decode keys: no "keys" array');
    this.keys = [];
    for (const jwk of list as Jwk[]) {
      if (typeof jwk !== "object" || jwk === null) continue;
      if (jwk.use !== undefined && jwk.use !== "sig") continue;
      const key = jwkToKey(jwk);
      if (key) this.keys.push({ kid: typeof jwk.kid === "string" ? jwk.kid : undefined, key });
    }
  }

  private tryKeys(jwt: ParsedJwt): boolean {
    const kid = typeof jwt.header.kid === "string" ? jwt.header.kid : undefined;
    return (this.keys ?? []).some(
      (k) => (kid === undefined || k.kid === undefined || k.kid === kid) && verifySignature(jwt, k.key),
    );
  }

  async verify(jwt: ParsedJwt): Promise<void> {
    if (this.keys && this.tryKeys(jwt)) return;
    await this.refresh();
    if (!this.tryKeys(jwt)) throw new JwtError("failed to verify id token signature");
  }
}

/** JWKS URL from an OIDC discovery document, checking the issuer as cap does. */
export function discoveryResolver(issuer: string, caPem: string, clock: Clock): () => Promise<string> {
  return async () => {
    const doc = (await fetchJson(
      `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`,
      caPem,
      clock,
    )) as {
      issuer?: unknown;
      jwks_uri?: unknown;
    };
    if (doc?.issuer !== issuer) {
      throw new Error(
        `issuer did not match the returned issuer, expected "${issuer}" got "${String(doc?.issuer)}"`,
      );
    }
    if (typeof doc.jwks_uri !== "string") throw new Error("discovery document has no jwks_uri");
    return doc.jwks_uri;
  };
}
