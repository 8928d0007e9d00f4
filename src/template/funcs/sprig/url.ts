/**
 * Sprig's urlParse and urlJoin, on ../gourl.ts's port of Go's net/url (url.Parse, URL.String,
 * URL.Hostname). Work is done on Go bytes (binary strings).
 */
import { fromByteString, toByteString } from "../../bytes.ts";
import { type GoUrl, hostname, parseUrl, urlString, userinfoString } from "../gourl.ts";
import { NIL_DEREF, goKindOf } from "./convert.ts";
import { type Fn, fn } from "./fn.ts";

function urlParse(v: string): Record<string, unknown> {
  let u: GoUrl;
  try {
    u = parseUrl(v);
  } catch (e) {
    throw new Error(`unable to parse url: ${(e as Error).message}`);
  }
  const out: Record<string, unknown> = Object.create(null);
  out.scheme = fromByteString(u.scheme);
  out.host = fromByteString(u.host);
  out.hostname = fromByteString(hostname(u.host));
  out.path = fromByteString(u.path);
  out.query = fromByteString(u.rawQuery);
  out.opaque = fromByteString(u.opaque);
  out.fragment = fromByteString(u.fragment);
  out.userinfo = u.user ? fromByteString(userinfoString(u.user)) : "";
  return out;
}

/** Sprig's dictGetOrEmpty: a string entry, "" when missing, a panic for anything else. */
function entry(d: Record<string, unknown> | null, key: string): string {
  if (d === null || !Object.hasOwn(d, key)) return "";
  const v = d[key];
  if (v === null || v === undefined) throw new Error(NIL_DEREF);
  const k = goKindOf(v);
  if (k !== "string") throw new Error(`unable to parse ${key} key, must be of type string, but ${k} found`);
  return toByteString(
    typeof v === "string"
      ? v
      : String((v as { text?: string; value?: unknown }).text ?? (v as { value: unknown }).value),
  );
}

function urlJoin(d: Record<string, unknown> | null): string {
  const u: GoUrl = {
    scheme: entry(d, "scheme"),
    host: entry(d, "host"),
    path: entry(d, "path"),
    rawQuery: entry(d, "query"),
    opaque: entry(d, "opaque"),
    fragment: entry(d, "fragment"),
    user: null,
    forceQuery: false,
  };
  const userinfo = entry(d, "userinfo");
  if (userinfo !== "") {
    try {
      u.user = parseUrl(fromByteString(`proto://${userinfo}@host`)).user;
    } catch (e) {
      throw new Error(`unable to parse userinfo in dict: ${(e as Error).message}`);
    }
  }
  return fromByteString(urlString(u));
}

export function urlFuncs(): Record<string, Fn> {
  return {
    urlParse: fn("func(string) map[string]interface {}", urlParse),
    urlJoin: fn("func(map[string]interface {}) string", urlJoin),
  };
}
