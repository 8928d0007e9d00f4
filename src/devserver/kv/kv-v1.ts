/**
 * KV version 1: a flat map of path → object. Reads carry lease_duration = the entry's `ttl` key
 * (or the mount default), never a lease and never renewable, as Vault does.
 */
import { parseDurationSecond } from "../../clock/duration.ts";
import { listKeys } from "../paths.ts";
import { type Backend, BackendError, type BackendRequest, type BackendResponse } from "../types.ts";

export class KvV1 implements Backend {
  readonly type = "kv";
  private data = new Map<string, Record<string, unknown>>();

  /** `defaultTTL` reads the mount's tuned default lease TTL (seconds) at request time. */
  constructor(private readonly defaultTTL: () => number) {}

  /** Everything stored, for an upgrade to version 2. */
  entries(): IterableIterator<[string, Record<string, unknown>]> {
    return this.data.entries();
  }

  handle(req: BackendRequest): BackendResponse {
    const key = req.path.replace(/\/+$/, "");
    switch (req.operation) {
      case "read": {
        const d = this.data.get(key);
        if (!d) throw new BackendError(404, "");
        return { data: { ...d }, leaseDuration: d.ttl !== undefined ? ttlOf(d.ttl) : this.defaultTTL() };
      }
      case "list": {
        const keys = listKeys(this.data.keys(), key);
        if (keys.length === 0) throw new BackendError(404, "");
        return { data: { keys } };
      }
      case "create":
      case "update": {
        if (key === "") throw new BackendError(405, "unsupported operation");
        if (Object.keys(req.body).length === 0) throw new BackendError(400, "missing data fields");
        if (req.body.ttl !== undefined) ttlOf(req.body.ttl);
        this.data.set(key, { ...req.body });
        return { status: 204 };
      }
      case "delete":
        this.data.delete(key);
        return { status: 204 };
      default:
        throw new BackendError(405, "unsupported operation");
    }
  }
}

function ttlOf(v: unknown): number {
  try {
    return Math.floor(parseDurationSecond(v) / 1000);
  } catch (e) {
    throw new BackendError(400, `failed to parse ttl: ${(e as Error).message}`);
  }
}
