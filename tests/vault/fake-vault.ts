/**
 * A small in-memory Vault for the client's functional tests while the real dev server
 * (tests/helpers/devserver.ts) is being built: KV v1 at kv/, KV v2 at secret/, the UI mounts
 * preflight, response wrapping, leases and token self-endpoints, and a two-token ACL (root, and
 * a "reader" token that may only read secret/data/shared/*). Its shapes follow Vault's API docs.
 * `startVault()` prefers the real dev server when its helper exists.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { envelope, json, startFake } from "./fake.ts";

export interface TestVault {
  kind: "dev" | "fake";
  address: string;
  rootToken: string;
  /** A token that may only read secret/data/shared/* (real ACL on the dev server). */
  readerToken?: string;
  stop(): void | Promise<void>;
}

interface V2Version {
  data: Record<string, unknown> | null;
  created_time: string;
  deletion_time: string;
  destroyed: boolean;
}

const devHelper = join(import.meta.dir, "../helpers/devserver.ts");

/** The dev server when available, else the fake below. */
export async function startVault(): Promise<TestVault> {
  if (existsSync(devHelper) && process.env.VAULTRUN_TEST_FAKE_VAULT !== "1") {
    const mod = (await import(devHelper)) as {
      startDevServer(o?: { rootToken?: string }): Promise<Omit<TestVault, "kind">> | Omit<TestVault, "kind">;
    };
    const dev = { ...(await mod.startDevServer({ rootToken: "root" })), kind: "dev" as const };
    await prepareDevServer(dev);
    return dev;
  }
  return startFakeVault();
}

/** Gives the dev server what the fake has built in: a KV v1 mount at kv/ and a read-only token. */
async function prepareDevServer(v: TestVault): Promise<void> {
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${v.address}/v1/${path}`, {
      method,
      headers: { "X-Vault-Token": v.rootToken, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`dev server setup ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  await call("POST", "sys/mounts/kv", { type: "kv", options: { version: "1" } });
  await call("PUT", "sys/policies/acl/reader", {
    policy: 'path "secret/data/shared/*" { capabilities = ["read"] }',
  });
  const created = await call("POST", "auth/token/create", { policies: ["reader"], ttl: "1h" });
  v.readerToken = created.auth.client_token;
}

export function startFakeVault(): TestVault {
  const root = "root";
  const reader = "reader-token";
  const revoked = new Set<string>();
  const children = new Set<string>();
  const v1 = new Map<string, Record<string, unknown>>();
  const v2 = new Map<string, { versions: V2Version[]; created: string; updated: string }>();
  const wrapped = new Map<string, { body: unknown; path: string; ttl: number; created: string }>();
  const leases = new Map<string, number>();
  let seq = 0;
  const now = () => new Date().toISOString();
  const id = (p: string) => `${p}${(++seq).toString(16).padStart(8, "0")}`;
  const err = (status: number, ...errors: string[]) => json({ errors }, status);

  const allowed = (token: string, method: string, path: string) =>
    token === root || (token === reader && method === "GET" && path.startsWith("secret/data/shared/"));

  function kv2(
    method: string,
    rest: string,
    search: URLSearchParams,
    body: Record<string, unknown>,
  ): Response {
    const [op, ...parts] = rest.split("/");
    const key = parts.join("/").replace(/\/$/, "");
    const entry = v2.get(key);
    const meta = (e: NonNullable<typeof entry>, i: number) => ({
      created_time: e.versions[i]!.created_time,
      custom_metadata: null,
      deletion_time: e.versions[i]!.deletion_time,
      destroyed: e.versions[i]!.destroyed,
      version: i + 1,
    });
    if (op === "data") {
      if (method === "GET") {
        if (!entry) return err(404);
        const want = Number(search.get("version") || entry.versions.length);
        const v = entry.versions[want - 1];
        if (!v) return err(404);
        const payload = {
          data: v.deletion_time || v.destroyed ? null : v.data,
          metadata: meta(entry, want - 1),
        };
        return v.deletion_time ? json({ data: payload }, 404) : envelope(payload, { mount_type: "kv" });
      }
      if (method === "PUT" || method === "POST") {
        const cas = (body.options as { cas?: number } | undefined)?.cas;
        const current = entry?.versions.length ?? 0;
        if (cas !== undefined && cas !== current) {
          return err(400, `check-and-set parameter did not match the current version`);
        }
        const e = entry ?? { versions: [], created: now(), updated: now() };
        e.versions.push({
          data: (body.data as Record<string, unknown>) ?? {},
          created_time: now(),
          deletion_time: "",
          destroyed: false,
        });
        e.updated = now();
        v2.set(key, e);
        return envelope(meta(e, e.versions.length - 1));
      }
      if (method === "DELETE") {
        if (entry) entry.versions[entry.versions.length - 1]!.deletion_time = now();
        return new Response(null, { status: 204 });
      }
    }
    if (op === "metadata") {
      if (search.get("list") === "true") {
        const prefix = key ? `${key}/` : "";
        const keys = new Set<string>();
        for (const k of v2.keys()) {
          if (!k.startsWith(prefix)) continue;
          const tail = k.slice(prefix.length);
          const slash = tail.indexOf("/");
          keys.add(slash < 0 ? tail : tail.slice(0, slash + 1));
        }
        return keys.size ? envelope({ keys: [...keys].sort() }) : err(404);
      }
      if (method === "GET") {
        if (!entry) return err(404);
        const versions: Record<string, unknown> = {};
        entry.versions.forEach((v, i) => {
          versions[String(i + 1)] = {
            created_time: v.created_time,
            deletion_time: v.deletion_time,
            destroyed: v.destroyed,
          };
        });
        return envelope({
          cas_required: false,
          created_time: entry.created,
          current_version: entry.versions.length,
          custom_metadata: null,
          delete_version_after: "0s",
          max_versions: 0,
          oldest_version: 0,
          updated_time: entry.updated,
          versions,
        });
      }
      if (method === "DELETE") {
        v2.delete(key);
        return new Response(null, { status: 204 });
      }
    }
    if (op === "delete" || op === "undelete" || op === "destroy") {
      for (const n of (body.versions as Array<string | number>) ?? []) {
        const v = entry?.versions[Number(n) - 1];
        if (!v) continue;
        if (op === "delete") v.deletion_time = now();
        if (op === "undelete") v.deletion_time = "";
        if (op === "destroy") v.destroyed = true;
      }
      return new Response(null, { status: 204 });
    }
    return err(405, "unsupported operation");
  }

  function kv1(
    method: string,
    key: string,
    search: URLSearchParams,
    body: Record<string, unknown>,
  ): Response {
    if (search.get("list") === "true") {
      const prefix = key ? `${key.replace(/\/$/, "")}/` : "";
      const keys = [...v1.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
      return keys.length ? envelope({ keys: keys.sort() }) : err(404);
    }
    if (method === "GET") {
      const d = v1.get(key);
      return d ? envelope(d, { lease_duration: 2764800, mount_type: "kv" }) : err(404);
    }
    if (method === "PUT" || method === "POST") {
      v1.set(key, body);
      return new Response(null, { status: 204 });
    }
    if (method === "DELETE") {
      v1.delete(key);
      return new Response(null, { status: 204 });
    }
    return err(405, "unsupported operation");
  }

  function route(
    method: string,
    path: string,
    search: URLSearchParams,
    token: string,
    body: Record<string, unknown>,
  ): Response {
    if (path.startsWith("sys/internal/ui/mounts/")) {
      const p = path.slice("sys/internal/ui/mounts/".length);
      if (!token || revoked.has(token)) return err(403, "permission denied");
      if (
        token === reader &&
        !`${p}/`.startsWith("secret/shared/") &&
        !`${p}/`.startsWith("secret/data/shared/")
      ) {
        return err(
          403,
          `preflight capability check returned 403, please ensure client's policies grant access to path "${p}/"`,
        );
      }
      if (p === "secret" || p.startsWith("secret/")) {
        return envelope({
          path: "secret/",
          type: "kv",
          options: { version: "2" },
          description: "key/value secret storage",
        });
      }
      if (p === "kv" || p.startsWith("kv/")) return envelope({ path: "kv/", type: "kv", options: null });
      if (p.startsWith("creds/")) return envelope({ path: "creds/", type: "database", options: null });
      return err(400, `no mount found for path "${p}"`);
    }
    if (path === "sys/wrapping/unwrap" || path === "sys/wrapping/lookup") {
      const wt = (body.token as string | undefined) ?? token;
      const w = wrapped.get(wt);
      if (!w) return err(400, "wrapping token is not valid or does not exist");
      if (path.endsWith("lookup")) {
        return envelope({ creation_path: w.path, creation_time: w.created, creation_ttl: w.ttl });
      }
      wrapped.delete(wt);
      return json(w.body);
    }
    if (!token || revoked.has(token)) return err(403, "permission denied");
    if (path === "auth/token/create" && token === root) {
      const t = id("hvs.child");
      children.add(t);
      return envelope(null, {
        auth: {
          client_token: t,
          accessor: id("acc"),
          policies: ["default"],
          metadata: null,
          lease_duration: 3600,
          renewable: true,
        },
      });
    }
    if (path === "auth/token/lookup-self") {
      if (token !== root && token !== reader && !children.has(token)) return err(403, "permission denied");
      return envelope({
        id: token,
        policies: token === root ? ["root"] : ["default"],
        ttl: token === root ? 0 : 3600,
        renewable: token !== root,
        type: "service",
      });
    }
    if (path === "auth/token/renew-self") {
      if (token === root) return err(400, "lease is not renewable");
      if (!children.has(token) && token !== reader) return err(403, "permission denied");
      const inc = Number(body.increment ?? 0) || 3600;
      return envelope(null, {
        auth: {
          client_token: token,
          accessor: "acc",
          policies: ["reader"],
          metadata: null,
          lease_duration: inc,
          renewable: true,
        },
      });
    }
    if (path === "auth/token/revoke-self") {
      revoked.add(token);
      return new Response(null, { status: 204 });
    }
    if (path === "sys/leases/renew") {
      const lid = String(body.lease_id ?? "");
      if (!leases.has(lid)) return err(400, "lease not found");
      const inc = Number(body.increment ?? 0) || 60;
      return json({
        request_id: "r",
        lease_id: lid,
        renewable: true,
        lease_duration: inc,
        data: null,
        wrap_info: null,
        warnings: null,
        auth: null,
      });
    }
    if (path === "sys/leases/revoke") {
      leases.delete(String(body.lease_id ?? ""));
      return new Response(null, { status: 204 });
    }
    if (!allowed(token, method, path)) return err(403, "permission denied");
    if (path.startsWith("creds/")) {
      const lid = `${path}/${id("")}`;
      leases.set(lid, 60);
      return envelope(
        { username: id("v-user-"), password: id("pw-") },
        { lease_id: lid, lease_duration: 60, renewable: true },
      );
    }
    if (path === "secret" || path.startsWith("secret/"))
      return kv2(method, path.slice("secret/".length), search, body);
    if (path === "kv" || path.startsWith("kv/")) return kv1(method, path.slice("kv/".length), search, body);
    return err(404);
  }

  const f = startFake(async (req, seen) => {
    const url = new URL(req.url);
    const path = decodeURIComponent(url.pathname.replace(/^\/v1\//, ""));
    const token = seen.headers["x-vault-token"] ?? "";
    let body: Record<string, unknown> = {};
    if (seen.body) {
      try {
        body = JSON.parse(seen.body);
      } catch {
        return err(400, "failed to parse JSON input");
      }
    }
    const method = req.method === "POST" ? "PUT" : req.method === "LIST" ? "GET" : req.method;
    if (req.method === "LIST") url.searchParams.set("list", "true");
    const res = route(method, path, url.searchParams, token, body);
    const wrapTtl = seen.headers["x-vault-wrap-ttl"];
    if (!wrapTtl || res.status >= 300) return res;
    const wt = id("hvs.wrap");
    const ttl = /^\d+$/.test(wrapTtl) ? Number(wrapTtl) : 300;
    wrapped.set(wt, { body: await res.json(), path, ttl, created: now() });
    return envelope(null, {
      wrap_info: { token: wt, accessor: id("wacc"), ttl, creation_time: now(), creation_path: path },
    });
  });
  return { kind: "fake", address: f.address, rootToken: root, readerToken: reader, stop: f.stop };
}
