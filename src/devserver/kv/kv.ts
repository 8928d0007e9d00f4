/**
 * KV secret engines: version 1 (a flat map; a `ttl` key sets lease_duration) and version 2
 * (versions, metadata, soft delete, undelete, destroy, check-and-set) with Vault's shapes.
 */
import type { Clock } from "../../clock/clock.ts";
import { parseDurationSecond } from "../../clock/duration.ts";
import { type Backend, BackendError, type BackendRequest, type BackendResponse } from "../types.ts";
import { DEFAULT_TTL } from "../core/tokens.ts";

/** Keys directly under `prefix` (sub-folders with a trailing "/"), sorted. */
function listKeys(all: Iterable<string>, prefix: string): string[] {
  const out = new Set<string>();
  const p = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
  for (const k of all) {
    if (!k.startsWith(p)) continue;
    const rest = k.slice(p.length);
    const slash = rest.indexOf("/");
    out.add(slash < 0 ? rest : rest.slice(0, slash + 1));
  }
  return [...out].filter((k) => k !== "").sort();
}

export class KvV1 implements Backend {
  readonly type = "kv";
  private data = new Map<string, Record<string, unknown>>();

  handle(req: BackendRequest): BackendResponse {
    const key = req.path.replace(/\/+$/, "");
    switch (req.operation) {
      case "read": {
        const d = this.data.get(key);
        if (!d) throw new BackendError(404, "");
        let ttl = DEFAULT_TTL;
        if (d.ttl !== undefined) {
          try {
            ttl = parseDurationSecond(d.ttl) / 1000;
          } catch {}
        }
        return { data: { ...d }, leaseDuration: ttl };
      }
      case "list": {
        const keys = listKeys(this.data.keys(), key);
        if (keys.length === 0) throw new BackendError(404, "");
        return { data: { keys } };
      }
      case "create":
      case "update":
        if (key === "") throw new BackendError(405, "unsupported operation");
        this.data.set(key, { ...req.body });
        return { status: 204 };
      case "delete":
        this.data.delete(key);
        return { status: 204 };
      default:
        throw new BackendError(405, "unsupported operation");
    }
  }
}

interface Version {
  data: Record<string, unknown> | null;
  created: number;
  deletion: number | null;
  destroyed: boolean;
}

interface Entry {
  versions: Map<number, Version>;
  current: number;
  oldest: number;
  created: number;
  updated: number;
  maxVersions: number;
  casRequired: boolean;
  customMetadata: Record<string, string> | null;
}

export class KvV2 implements Backend {
  readonly type = "kv";
  private entries = new Map<string, Entry>();
  private config = { maxVersions: 0, casRequired: false, deleteVersionAfter: "0s" };

  constructor(private readonly clock: Clock) {}

  private iso(ms: number | null): string {
    return ms === null ? "" : new Date(ms).toISOString();
  }

  private meta(e: Entry, v: number): Record<string, unknown> {
    const ver = e.versions.get(v)!;
    return {
      created_time: this.iso(ver.created),
      custom_metadata: e.customMetadata,
      deletion_time: this.iso(ver.deletion),
      destroyed: ver.destroyed,
      version: v,
    };
  }

  handle(req: BackendRequest): BackendResponse {
    const [section, ...rest] = req.path.split("/");
    const key = rest.join("/").replace(/\/+$/, "");
    const op = req.operation;
    switch (section) {
      case "config":
        if (op === "read") {
          return {
            data: { max_versions: this.config.maxVersions, cas_required: this.config.casRequired, delete_version_after: this.config.deleteVersionAfter },
          };
        }
        if (req.body.max_versions !== undefined) this.config.maxVersions = Number(req.body.max_versions);
        if (req.body.cas_required !== undefined) this.config.casRequired = Boolean(req.body.cas_required);
        return { status: 204 };
      case "data":
        return this.dataOp(op, key, req);
      case "metadata":
        return this.metadataOp(op, key, req);
      case "delete":
      case "undelete":
      case "destroy":
        return this.versionsOp(section, key, req);
      case "subkeys": {
        const e = this.entries.get(key);
        const v = e?.versions.get(e.current);
        if (!e || !v || v.data === null) throw new BackendError(404, "");
        const sub = (o: unknown): unknown =>
          o && typeof o === "object" && !Array.isArray(o) ? Object.fromEntries(Object.entries(o).map(([k, x]) => [k, sub(x)])) : null;
        return { data: { subkeys: sub(v.data), metadata: this.meta(e, e.current) } };
      }
      default:
        throw new BackendError(404, "");
    }
  }

  private dataOp(op: string, key: string, req: BackendRequest): BackendResponse {
    if (op === "read") {
      const e = this.entries.get(key);
      if (!e || e.current === 0) throw new BackendError(404, "");
      const want = req.query.version ? Number(req.query.version) : e.current;
      const v = e.versions.get(want);
      if (!v) throw new BackendError(404, "");
      const now = this.clock.now();
      const gone = v.destroyed || (v.deletion !== null && v.deletion <= now);
      const body = { data: gone ? null : { ...v.data }, metadata: this.meta(e, want) };
      if (gone) return { status: 404, data: body };
      return { data: body };
    }
    if (op === "create" || op === "update" || op === "patch") {
      if (key === "") throw new BackendError(405, "unsupported operation");
      const data = req.body.data;
      if (data === undefined || data === null || typeof data !== "object" || Array.isArray(data)) {
        throw new BackendError(400, "no data provided");
      }
      let e = this.entries.get(key);
      const now = this.clock.now();
      const cas = (req.body.options as { cas?: unknown } | undefined)?.cas;
      if (op === "patch") {
        if (!e || e.current === 0) throw new BackendError(404, "");
        const cur = e.versions.get(e.current)!;
        return this.write(e, key, { ...(cur.data ?? {}), ...(data as Record<string, unknown>) }, now, cas);
      }
      if (!e) {
        e = {
          versions: new Map(),
          current: 0,
          oldest: 0,
          created: now,
          updated: now,
          maxVersions: 0,
          casRequired: false,
          customMetadata: null,
        };
      }
      return this.write(e, key, data as Record<string, unknown>, now, cas);
    }
    if (op === "delete") {
      const e = this.entries.get(key);
      const v = e?.versions.get(e.current);
      if (v && v.deletion === null) v.deletion = this.clock.now();
      return { status: 204 };
    }
    throw new BackendError(405, "unsupported operation");
  }

  private write(e: Entry, key: string, data: Record<string, unknown>, now: number, cas: unknown): BackendResponse {
    const casRequired = e.casRequired || this.config.casRequired;
    if (cas !== undefined || casRequired) {
      if (cas === undefined) throw new BackendError(400, "check-and-set parameter required for this call");
      if (Number(cas) !== e.current) throw new BackendError(400, "check-and-set parameter did not match the current version");
    }
    const v = e.current + 1;
    e.versions.set(v, { data, created: now, deletion: null, destroyed: false });
    e.current = v;
    e.updated = now;
    if (e.oldest === 0) e.oldest = 1;
    const max = e.maxVersions || this.config.maxVersions || 10;
    while (e.versions.size > max) {
      e.versions.delete(e.oldest);
      e.oldest++;
    }
    this.entries.set(key, e);
    return { data: this.meta(e, v) };
  }

  private metadataOp(op: string, key: string, req: BackendRequest): BackendResponse {
    if (op === "list") {
      const keys = listKeys(this.entries.keys(), key);
      if (keys.length === 0) throw new BackendError(404, "");
      return { data: { keys } };
    }
    const e = this.entries.get(key);
    if (op === "read") {
      if (!e) throw new BackendError(404, "");
      const versions: Record<string, unknown> = {};
      for (const [n, v] of e.versions) {
        versions[String(n)] = { created_time: this.iso(v.created), deletion_time: this.iso(v.deletion), destroyed: v.destroyed };
      }
      return {
        data: {
          cas_required: e.casRequired,
          created_time: this.iso(e.created),
          current_version: e.current,
          custom_metadata: e.customMetadata,
          delete_version_after: "0s",
          max_versions: e.maxVersions,
          oldest_version: e.oldest,
          updated_time: this.iso(e.updated),
          versions,
        },
      };
    }
    if (op === "delete") {
      this.entries.delete(key);
      return { status: 204 };
    }
    if (op === "create" || op === "update" || op === "patch") {
      const now = this.clock.now();
      const entry: Entry = e ?? {
        versions: new Map(),
        current: 0,
        oldest: 0,
        created: now,
        updated: now,
        maxVersions: 0,
        casRequired: false,
        customMetadata: null,
      };
      if (req.body.max_versions !== undefined) entry.maxVersions = Number(req.body.max_versions);
      if (req.body.cas_required !== undefined) entry.casRequired = Boolean(req.body.cas_required);
      if (req.body.custom_metadata !== undefined) entry.customMetadata = req.body.custom_metadata as Record<string, string>;
      entry.updated = now;
      this.entries.set(key, entry);
      return { status: 204 };
    }
    throw new BackendError(405, "unsupported operation");
  }

  private versionsOp(section: string, key: string, req: BackendRequest): BackendResponse {
    const e = this.entries.get(key);
    const versions = Array.isArray(req.body.versions) ? req.body.versions.map(Number) : [];
    if (versions.length === 0) throw new BackendError(400, "no versions provided");
    if (!e) return { status: 204 };
    for (const n of versions) {
      const v = e.versions.get(n);
      if (!v) continue;
      if (section === "delete" && v.deletion === null) v.deletion = this.clock.now();
      if (section === "undelete" && !v.destroyed) v.deletion = null;
      if (section === "destroy") {
        v.destroyed = true;
        v.data = null;
      }
    }
    return { status: 204 };
  }
}
