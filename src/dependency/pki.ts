/**
 * pkiCert: issue a certificate only when needed (spec §5.4). On the first fetch the template's
 * destination file is read; a still-good leaf certificate found there is reused without calling
 * Vault, so restarts and re-auth do not re-issue. Rotation happens at
 * NotBefore + lifespan × lease_renewal_threshold (CT's formula, without its no-op jitter).
 */
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { DependencyRequest } from "../template/api.ts";
import { PemEncoded } from "../template/secret.ts";
import { readPath } from "./kv.ts";
import { type Dependency, DependencyError, type FetchContext, type FetchResult } from "./types.ts";
import { parseKeyValues, statusOf } from "./vault.ts";

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export interface PemParts {
  cert: string;
  key: string;
  ca: string;
  caChain: string[];
}

/** Classifies PEM blocks: "* PRIVATE KEY" → key, CA certificates → ca/caChain, others → cert. */
export function classifyPem(texts: readonly string[]): PemParts {
  const out: PemParts = { cert: "", key: "", ca: "", caChain: [] };
  const seen = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(PEM_BLOCK)) {
      const block = m[0];
      if (seen.has(block)) continue;
      seen.add(block);
      const pem = `${block}\n`; // CT re-encodes each block with a trailing newline
      if (m[1]!.endsWith("PRIVATE KEY")) {
        out.key = pem; // CT keeps the last key block
      } else if (m[1] === "CERTIFICATE") {
        let isCA = false;
        try {
          isCA = new X509Certificate(block).ca;
        } catch {
          continue; // not a certificate we can read: ignore, as CT does with undecodable blocks
        }
        if (isCA) {
          out.ca ||= pem; // the first CA certificate
          out.caChain.push(pem);
        } else out.cert = pem; // the last leaf certificate
      }
    }
  }
  return out;
}

/** When to rotate: NotBefore + lifespan × threshold (ms since epoch). */
export function rotationTime(certPem: string, threshold: number): number {
  const c = new X509Certificate(certPem);
  const start = Date.parse(c.validFrom);
  const end = Date.parse(c.validTo);
  return start + (end - start) * threshold;
}

export class PkiCertDependency implements Dependency {
  private triedDestination = false;
  private readonly body: Record<string, string>;

  constructor(
    readonly request: DependencyRequest,
    private readonly opts: { destination?: () => string | undefined; threshold: () => number },
  ) {
    this.body = parseKeyValues(request.args);
  }

  async fetch(ctx: FetchContext): Promise<FetchResult> {
    if (!this.triedDestination) {
      this.triedDestination = true;
      const cached = this.fromDestination(ctx.now);
      if (cached) return cached;
    }
    const { path } = readPath(this.request.path);
    let resp: Awaited<ReturnType<FetchContext["api"]["request"]>>;
    try {
      resp = await ctx.api.request({
        method: "PUT",
        path,
        body: this.body,
        token: ctx.token,
        namespace: ctx.namespace,
        signal: ctx.signal,
      });
    } catch (e) {
      throw new DependencyError(
        `vault.pki(${path}): ${e instanceof Error ? e.message : String(e)}`,
        statusOf(e),
      );
    }
    const data = (resp?.data ?? {}) as Record<string, unknown>;
    const texts: string[] = [];
    for (const v of Object.values(data)) {
      if (typeof v === "string") texts.push(v);
      else if (Array.isArray(v)) for (const x of v) if (typeof x === "string") texts.push(x);
    }
    const parts = classifyPem(texts);
    if (!parts.cert) throw new DependencyError(`vault.pki(${path}): no certificate in response`);
    return this.result(parts, ctx.now);
  }

  private fromDestination(now: number): FetchResult | undefined {
    const dest = this.opts.destination?.();
    if (!dest) return undefined;
    let text: string;
    try {
      text = readFileSync(dest, "utf8");
    } catch {
      return undefined;
    }
    const parts = classifyPem([text]);
    if (!parts.cert) return undefined;
    try {
      if (rotationTime(parts.cert, this.opts.threshold()) <= now) return undefined;
    } catch {
      return undefined;
    }
    return this.result(parts, now);
  }

  private result(parts: PemParts, now: number): FetchResult {
    const at = rotationTime(parts.cert, this.opts.threshold());
    return {
      value: new PemEncoded(parts.cert, parts.key, parts.ca, parts.caChain),
      response: null,
      plan: { type: "refetch", delayMs: Math.max(0, at - now), reason: "certificate rotation" },
    };
  }
}
