/**
 * KV version 2: versioned secrets with metadata, soft delete / undelete / destroy, check-and-set,
 * max_versions, delete_version_after, custom_metadata, JSON-merge-patch and subkeys — with the
 * response shapes of Vault's API docs. Time comes from the injected clock.
 */
import type { Clock } from "../../clock/clock.ts";
import { parseDurationSecond } from "../../clock/duration.ts";
import { formatGoDuration } from "../../clock/duration.ts";
import { listKeys } from "../paths.ts";
import { type Backend, BackendError, type BackendRequest, type BackendResponse } from "../types.ts";

type Obj = Record<string, unknown>;

interface Version {
  data: Obj | null;
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
  deleteVersionAfter: number; // ms, 0 = never
  customMetadata: Record<string, string> | null;
}

const MERGE_PATCH = "application/merge-patch+json";

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function durationMs(v: unknown, field: string): number {
  try {
    return parseDurationSecond(v);
  } catch (e) {
    throw new BackendError(400, `invalid ${field}: ${(e as Error).message}`);
  }
}

function intField(v: unknown, field: string): number {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0)
    throw new BackendError(400, `invalid ${field}: want a non-negative integer`);
  return n;
}

function boolField(v: unknown, field: string): boolean {
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  throw new BackendError(400, `invalid ${field}: want a boolean`);
}

function customMetadata(v: unknown): Record<string, string> | null {
  if (v === null) return null;
  if (!isObj(v)) throw new BackendError(400, "custom_metadata must be a map of strings");
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== "string")
      throw new BackendError(400, `custom_metadata value for "${k}" must be a string`);
    out[k] = x;
  }
  return out;
}

/** RFC 7386 JSON merge patch: null deletes, objects merge recursively, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function requireMergePatch(req: BackendRequest): void {
  const ct = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (ct !== MERGE_PATCH) {
    throw new BackendError(415, `PATCH needs Content-Type ${MERGE_PATCH}, got ${JSON.stringify(ct)}`);
  }
}

export class KvV2 implements Backend {
  readonly type = "kv";
  private entries = new Map<string, Entry>();
  private config = { maxVersions: 0, casRequired: false, deleteVersionAfter: 0 };

  constructor(private readonly clock: Clock) {}

  /** Seeds a first version (an upgrade from version 1). */
  importV1(key: string, data: Obj): void {
    this.write(this.newEntry(this.clock.now()), key, data, this.clock.now(), undefined);
  }

  private iso(ms: number | null): string {
    return ms === null ? "" : new Date(ms).toISOString();
  }

  private newEntry(now: number): Entry {
    return {
      versions: new Map(),
      current: 0,
      oldest: 0,
      created: now,
      updated: now,
      maxVersions: 0,
      casRequired: false,
      deleteVersionAfter: 0,
      customMetadata: null,
    };
  }

  private versionMeta(e: Entry, n: number): Obj {
    const v = e.versions.get(n)!;
    return {
      created_time: this.iso(v.created),
      custom_metadata: e.customMetadata,
      deletion_time: this.iso(v.deletion),
      destroyed: v.destroyed,
      version: n,
    };
  }

  private isGone(v: Version): boolean {
    return v.destroyed || (v.deletion !== null && v.deletion <= this.clock.now());
  }

  handle(req: BackendRequest): BackendResponse {
    const slash = req.path.indexOf("/");
    const section = slash < 0 ? req.path : req.path.slice(0, slash);
    const key = slash < 0 ? "" : req.path.slice(slash + 1).replace(/\/+$/, "");
    switch (section) {
      case "config":
        return this.configOp(req);
      case "data":
        return this.dataOp(key, req);
      case "metadata":
        return this.metadataOp(key, req);
      case "delete":
      case "undelete":
      case "destroy":
        if (req.operation !== "update" && req.operation !== "create")
          throw new BackendError(405, "unsupported operation");
        return this.versionsOp(section, key, req);
      case "subkeys":
        if (req.operation !== "read") throw new BackendError(405, "unsupported operation");
        return this.subkeys(key, req);
      default:
        throw new BackendError(404, "");
    }
  }

  private configOp(req: BackendRequest): BackendResponse {
    if (req.operation === "read") {
      return {
        data: {
          cas_required: this.config.casRequired,
          delete_version_after: formatGoDuration(this.config.deleteVersionAfter),
          max_versions: this.config.maxVersions,
        },
      };
    }
    if (req.operation !== "update" && req.operation !== "create")
      throw new BackendError(405, "unsupported operation");
    const b = req.body;
    const next = { ...this.config };
    if (b.max_versions !== undefined) next.maxVersions = intField(b.max_versions, "max_versions");
    if (b.cas_required !== undefined) next.casRequired = boolField(b.cas_required, "cas_required");
    if (b.delete_version_after !== undefined)
      next.deleteVersionAfter = durationMs(b.delete_version_after, "delete_version_after");
    this.config = next;
    return { status: 204 };
  }

  private dataOp(key: string, req: BackendRequest): BackendResponse {
    const op = req.operation;
    if (op === "list") throw new BackendError(405, "unsupported operation");
    if (key === "") throw new BackendError(404, "");
    if (op === "read") {
      const e = this.entries.get(key);
      if (!e || e.current === 0) throw new BackendError(404, "");
      const want =
        req.query.version && req.query.version !== "0" ? intField(req.query.version, "version") : e.current;
      const v = e.versions.get(want);
      if (!v) throw new BackendError(404, "");
      if (this.isGone(v)) return { status: 404, data: { data: null, metadata: this.versionMeta(e, want) } };
      return { data: { data: structuredClone(v.data), metadata: this.versionMeta(e, want) } };
    }
    if (op === "delete") {
      const e = this.entries.get(key);
      const v = e?.versions.get(e.current);
      if (v && !this.isGone(v)) v.deletion = this.clock.now();
      return { status: 204 };
    }
    // create / update / patch
    const data = req.body.data;
    if (!isObj(data)) throw new BackendError(400, "no data provided");
    const options = req.body.options;
    if (options !== undefined && options !== null && !isObj(options))
      throw new BackendError(400, "options must be an object");
    const cas = isObj(options) && options.cas !== undefined ? intField(options.cas, "cas") : undefined;
    const now = this.clock.now();
    if (op === "patch") {
      requireMergePatch(req);
      const e = this.entries.get(key);
      const cur = e?.versions.get(e.current);
      if (!e || !cur || this.isGone(cur)) throw new BackendError(404, "");
      return this.write(e, key, mergePatch(cur.data, data) as Obj, now, cas);
    }
    return this.write(this.entries.get(key) ?? this.newEntry(now), key, data, now, cas);
  }

  private write(e: Entry, key: string, data: Obj, now: number, cas: number | undefined): BackendResponse {
    if (cas === undefined && (e.casRequired || this.config.casRequired)) {
      throw new BackendError(400, "check-and-set parameter required for this call");
    }
    if (cas !== undefined && cas !== e.current) {
      throw new BackendError(400, "check-and-set parameter did not match the current version");
    }
    const n = e.current + 1;
    const dva = e.deleteVersionAfter || this.config.deleteVersionAfter;
    e.versions.set(n, {
      data: structuredClone(data),
      created: now,
      deletion: dva > 0 ? now + dva : null,
      destroyed: false,
    });
    e.current = n;
    e.updated = now;
    if (e.oldest === 0) e.oldest = 1;
    this.trim(e);
    this.entries.set(key, e);
    return { data: this.versionMeta(e, n) };
  }

  /** Drops versions beyond max_versions (the entry's, else the mount's, else 10). */
  private trim(e: Entry): void {
    const max = e.maxVersions || this.config.maxVersions || 10;
    while (e.current - e.oldest + 1 > max) {
      e.versions.delete(e.oldest);
      e.oldest++;
    }
  }

  private metadataOp(key: string, req: BackendRequest): BackendResponse {
    const op = req.operation;
    if (op === "list") {
      const keys = listKeys(this.entries.keys(), key);
      if (keys.length === 0) throw new BackendError(404, "");
      return { data: { keys } };
    }
    if (key === "") throw new BackendError(404, "");
    const e = this.entries.get(key);
    if (op === "read") {
      if (!e) throw new BackendError(404, "");
      const versions: Obj = {};
      for (const [n, v] of e.versions) {
        versions[String(n)] = {
          created_time: this.iso(v.created),
          deletion_time: this.iso(v.deletion),
          destroyed: v.destroyed,
        };
      }
      return {
        data: {
          cas_required: e.casRequired,
          created_time: this.iso(e.created),
          current_version: e.current,
          custom_metadata: e.customMetadata,
          delete_version_after: formatGoDuration(e.deleteVersionAfter),
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
    // create / update / patch
    const b = req.body;
    if (op === "patch") {
      requireMergePatch(req);
      if (!e) throw new BackendError(404, "");
    }
    const now = this.clock.now();
    const entry = e ?? this.newEntry(now);
    // Validate everything before changing anything.
    const maxVersions =
      b.max_versions !== undefined ? intField(b.max_versions, "max_versions") : entry.maxVersions;
    const casRequired =
      b.cas_required !== undefined ? boolField(b.cas_required, "cas_required") : entry.casRequired;
    const dva =
      b.delete_version_after !== undefined
        ? durationMs(b.delete_version_after, "delete_version_after")
        : entry.deleteVersionAfter;
    let custom = entry.customMetadata;
    if (b.custom_metadata !== undefined) {
      custom =
        op === "patch"
          ? customMetadata(mergePatch(entry.customMetadata ?? {}, b.custom_metadata))
          : customMetadata(b.custom_metadata);
    }
    entry.maxVersions = maxVersions;
    entry.casRequired = casRequired;
    entry.deleteVersionAfter = dva;
    entry.customMetadata = custom;
    entry.updated = now;
    this.trim(entry);
    this.entries.set(key, entry);
    return { status: 204 };
  }

  private versionsOp(section: string, key: string, req: BackendRequest): BackendResponse {
    const raw = req.body.versions;
    const list = Array.isArray(raw)
      ? raw
      : typeof raw === "string" || typeof raw === "number"
        ? String(raw).split(",")
        : [];
    const versions = list.map((x) => intField(typeof x === "string" ? x.trim() : x, "versions"));
    if (versions.length === 0) throw new BackendError(400, "no version number provided");
    const e = this.entries.get(key);
    if (!e) return { status: 204 };
    const now = this.clock.now();
    for (const n of versions) {
      const v = e.versions.get(n);
      if (!v || v.destroyed) continue;
      if (section === "delete" && !this.isGone(v)) v.deletion = now;
      if (section === "undelete") v.deletion = null;
      if (section === "destroy") {
        v.destroyed = true;
        v.data = null;
      }
    }
    return { status: 204 };
  }

  private subkeys(key: string, req: BackendRequest): BackendResponse {
    const e = this.entries.get(key);
    if (!e || e.current === 0) throw new BackendError(404, "");
    const want =
      req.query.version && req.query.version !== "0" ? intField(req.query.version, "version") : e.current;
    const v = e.versions.get(want);
    if (!v) throw new BackendError(404, "");
    if (this.isGone(v)) return { status: 404, data: { subkeys: null, metadata: this.versionMeta(e, want) } };
    const depth = req.query.depth ? intField(req.query.depth, "depth") : 0;
    const walk = (o: Obj, level: number): Obj =>
      Object.fromEntries(
        Object.entries(o).map(([k, x]) => [
          k,
          isObj(x) && (depth === 0 || level < depth) ? walk(x, level + 1) : null,
        ]),
      );
    return { data: { subkeys: walk(v.data ?? {}, 1), metadata: this.versionMeta(e, want) } };
  }
}
