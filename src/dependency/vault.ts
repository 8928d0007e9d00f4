/**
 * The three Vault dependencies a template can ask for, with Consul Template's behaviour and error
 * texts: `secret` read (KV v2 aware, "no secret exists at …"), `secret` with k=v arguments (a write,
 * re-executed on every refresh), and `secrets` (LIST, sorted keys, 404 = empty). pkiCert lives in
 * ./pki.ts.
 */
import { createHash } from "node:crypto";
import type { DependencyRequest } from "../template/api.ts";
import { Secret } from "../template/secret.ts";
import { typedSlice } from "../template/value.ts";
import type { VaultResponse } from "../vault/types.ts";
import { kv2DataPath, kv2ListPath, type MountInfo, preflight, readPath, splitPath } from "./kv.ts";
import { type Dependency, DependencyError, type FetchContext, type FetchResult } from "./types.ts";

/** Status of an error thrown by the Vault client (VaultError has `status`). */
export function statusOf(e: unknown): number | undefined {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === "number" ? s : undefined;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function kv2Deleted(resp: VaultResponse, now: number): boolean {
  const meta = (resp.data as { metadata?: { deletion_time?: unknown } } | null)?.metadata;
  const dt = meta?.deletion_time;
  if (typeof dt !== "string" || dt === "") return false;
  const t = Date.parse(dt);
  return Number.isFinite(t) && t <= now; // CT: only a deletion time in the past counts
}

/** Splits template k=v arguments into a string map (both sides trimmed, empty args skipped). */
export function parseKeyValues(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    if (arg.trim() === "") continue;
    const i = arg.indexOf("=");
    if (i < 0) throw new DependencyError(`not k=v pair "${arg}"`);
    out[arg.slice(0, i).trim()] = arg.slice(i + 1).trim();
  }
  return out;
}

abstract class KvAwareDependency implements Dependency {
  protected mount: MountInfo | null | undefined;
  constructor(readonly request: DependencyRequest) {}
  abstract fetch(ctx: FetchContext): Promise<FetchResult>;
  reset(): void {
    this.mount = undefined;
  }
}

export class ReadSecretDependency extends KvAwareDependency {
  /** Called with CT's "failed to check if … is KVv2, assume not" warnings. */
  onWarning?: (message: string) => void;

  async fetch(ctx: FetchContext): Promise<FetchResult> {
    const raw = this.request.path;
    const { path, query } = readPath(raw);
    if (path === "") throw new DependencyError(`vault.read: invalid format: "${raw}"`);
    if (this.mount === undefined) {
      const pre = await preflight(ctx, path);
      const status = statusOf(pre.error);
      if (pre.error && status !== 404) {
        this.onWarning?.(`failed to check if ${path} is KVv2, assume not: ${describe(pre.error)}`);
      }
      // A failed preflight is retried on the next fetch; a successful one is kept for this dependency.
      if (pre.info) this.mount = pre.info;
      else if (status === 404) this.mount = null;
    }
    const target = this.mount?.isKVv2 ? kv2DataPath(path, this.mount.mountPath, ctx.namespace) : path;
    let resp: VaultResponse | null;
    try {
      resp = await ctx.api.request({
        method: "GET",
        path: target,
        query,
        token: ctx.token,
        namespace: ctx.namespace,
        signal: ctx.signal,
      });
    } catch (e) {
      if (statusOf(e) === 404) resp = null;
      else throw new DependencyError(`vault.read(${raw}): ${describe(e)}`, statusOf(e));
    }
    if (!resp || resp.data === null || resp.data === undefined) {
      throw new DependencyError(`vault.read(${raw}): no secret exists at ${target}`, 404);
    }
    if (this.mount?.isKVv2 && kv2Deleted(resp, ctx.now)) {
      throw new DependencyError(`vault.read(${raw}): no secret exists at ${target}`, 404);
    }
    return { value: Secret.fromVault(resp), response: resp };
  }
}

export class WriteSecretDependency extends KvAwareDependency {
  private readonly body: Record<string, string>;

  constructor(request: DependencyRequest) {
    super(request);
    this.body = parseKeyValues(request.args);
  }

  /** CT names a write by its path and a short hash of the data. */
  get name(): string {
    const sorted = Object.keys(this.body)
      .sort()
      .map((k) => `${k}=${this.body[k]}`)
      .join(",");
    return `vault.write(${this.request.path} -> ${createHash("sha1").update(sorted).digest("hex").slice(0, 8)})`;
  }

  async fetch(ctx: FetchContext): Promise<FetchResult> {
    const { path } = splitPath(this.request.path);
    if (path === "") throw new DependencyError(`vault.write: invalid format: "${this.request.path}"`);
    const pre = await preflight(ctx, path); // writes re-check every time (CT)
    const v2 = pre.info?.isKVv2 === true;
    const target = v2 ? kv2DataPath(path, pre.info!.mountPath, ctx.namespace) : path;
    let resp: VaultResponse | null;
    try {
      resp = await ctx.api.request({
        method: "PUT",
        path: target,
        body: v2 ? { data: this.body } : this.body,
        token: ctx.token,
        namespace: ctx.namespace,
        signal: ctx.signal,
      });
    } catch (e) {
      throw new DependencyError(`${this.name}: ${describe(e)}`, statusOf(e));
    }
    if (v2 && !resp) throw new DependencyError(`${this.name}: no secret exists at ${target}`, 404);
    if (!resp) {
      // KV v1 writes return nothing; CT then loops quickly. We give the template nil and refresh
      // on the static interval instead of hammering Vault.
      return { value: null, response: null };
    }
    return { value: Secret.fromVault(resp), response: resp };
  }
}

export class ListSecretsDependency extends KvAwareDependency {
  constructor(
    request: DependencyRequest,
    private readonly staticInterval: () => number,
  ) {
    super(request);
  }

  async fetch(ctx: FetchContext): Promise<FetchResult> {
    const { path } = splitPath(this.request.path);
    const pre = await preflight(ctx, path); // lists re-check every time (CT)
    const target = pre.info?.isKVv2 ? kv2ListPath(path, pre.info.mountPath, ctx.namespace) : path;
    let keys: string[] = [];
    try {
      const resp = await ctx.api.request({
        method: "LIST",
        path: target,
        token: ctx.token,
        namespace: ctx.namespace,
        signal: ctx.signal,
      });
      const raw = (resp?.data as { keys?: unknown } | null)?.keys;
      if (Array.isArray(raw)) keys = raw.filter((k): k is string => typeof k === "string");
    } catch (e) {
      if (statusOf(e) !== 404) throw new DependencyError(`vault.list(${path}): ${describe(e)}`, statusOf(e));
    }
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      value: typedSlice("string", keys),
      response: null,
      plan: { type: "refetch", delayMs: this.staticInterval(), reason: "list" },
    };
  }
}
