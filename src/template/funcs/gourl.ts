/**
 * Go's net/url, as far as templates need it: url.Parse (scheme, opaque, authority with userinfo
 * and host checks, %-unescaping per component, net/url's error texts), URL.String (escaping per
 * component) and URL.Hostname. Sprig's urlParse/urlJoin use the whole of it; Consul Template's
 * vault.read (`secret` without k=v arguments) and pkiCert only want url.Parse's error for their
 * path, e.g. `parse "kv/%zz": invalid URL escape "%zz"`.
 *
 * Everything works on Go bytes (binary strings from toByteString), so an escape cut in the middle
 * of a UTF-8 sequence quotes as Go does.
 */
import { fromByteString, toByteString } from "../bytes.ts";
import { quoteGo } from "../quote.ts";

/** A bytes-as-chars string quoted as strconv.Quote quotes the Go string it stands for. */
const quote = (bytes: string) => quoteGo(fromByteString(bytes));

const enum Enc {
  Path,
  PathSegment,
  Host,
  Zone,
  UserPassword,
  QueryComponent,
  Fragment,
}

const isAlnum = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9");

function shouldEscape(c: string, mode: Enc): boolean {
  if (isAlnum(c)) return false;
  if ((mode === Enc.Host || mode === Enc.Zone) && "!$&'()*+,;=:[]<>\"".includes(c)) return false;
  if ("-_.~".includes(c)) return false;
  if ("$&+,/:;=?@".includes(c)) {
    switch (mode) {
      case Enc.Path:
        return c === "?";
      case Enc.PathSegment:
        return c === "/" || c === ";" || c === "," || c === "?";
      case Enc.UserPassword:
        return c === "@" || c === "/" || c === "?" || c === ":";
      case Enc.QueryComponent:
        return true;
      case Enc.Fragment:
        return false;
    }
  }
  if (mode === Enc.Fragment && "!()*".includes(c)) return false;
  return true;
}

const HEX = "0123456789ABCDEF";

/** url's escape on a binary string. */
function urlEscape(s: string, mode: Enc): string {
  let out = "";
  for (const c of s) {
    if (!shouldEscape(c, mode)) out += c;
    else if (c === " " && mode === Enc.QueryComponent) out += "+";
    else {
      const b = c.charCodeAt(0);
      out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
    }
  }
  return out;
}

/** An error inside parse, before url.Parse wraps it as `parse "…": …`. */
class UrlError extends Error {}

/** url.Parse's error (*url.Error): `parse "…": …`. */
export class GoUrlParseError extends Error {}

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** url's unescape on a binary string; throws UrlError with net/url's message. */
function urlUnescape(s: string, mode: Enc): string {
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === "%") {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        throw new UrlError(`invalid URL escape ${quote(s.slice(i, i + 3))}`);
      }
      const v = Number.parseInt(s.slice(i + 1, i + 3), 16);
      if (mode === Enc.Host && Number.parseInt(s[i + 1]!, 16) < 8 && s.slice(i, i + 3) !== "%25") {
        throw new UrlError(`invalid URL escape ${quote(s.slice(i, i + 3))}`);
      }
      if (
        mode === Enc.Zone &&
        s.slice(i, i + 3) !== "%25" &&
        v !== 0x20 &&
        shouldEscape(String.fromCharCode(v), Enc.Host)
      ) {
        throw new UrlError(`invalid URL escape ${quote(s.slice(i, i + 3))}`);
      }
      i += 3;
    } else {
      if ((mode === Enc.Host || mode === Enc.Zone) && c.charCodeAt(0) < 0x80 && shouldEscape(c, mode)) {
        throw new UrlError(`invalid character ${quote(c)} in host name`);
      }
      i++;
    }
  }
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

export interface Userinfo {
  username: string;
  password: string;
  passwordSet: boolean;
}

export interface GoUrl {
  scheme: string;
  opaque: string;
  user: Userinfo | null;
  host: string;
  path: string;
  rawQuery: string;
  forceQuery: boolean;
  fragment: string;
}

function validUserinfo(s: string): boolean {
  for (const c of s) if (!isAlnum(c) && !"-._:~!$&'()*+,;=%@".includes(c)) return false;
  return true;
}

function validOptionalPort(port: string): boolean {
  if (port === "") return true;
  if (port[0] !== ":") return false;
  return /^[0-9]*$/.test(port.slice(1));
}

function parseHost(host: string): string {
  if (host.startsWith("[")) {
    const i = host.lastIndexOf("]");
    if (i < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${quote(colonPort)} after host`);
    const zone = host.slice(0, i).indexOf("%25");
    if (zone >= 0) {
      return (
        urlUnescape(host.slice(0, zone), Enc.Host) +
        urlUnescape(host.slice(zone, i), Enc.Zone) +
        urlUnescape(host.slice(i), Enc.Host)
      );
    }
  } else {
    const i = host.lastIndexOf(":");
    if (i !== -1) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${quote(colonPort)} after host`);
    }
  }
  return urlUnescape(host, Enc.Host);
}

function parseAuthority(authority: string): [Userinfo | null, string] {
  const i = authority.lastIndexOf("@");
  const host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i < 0) return [null, host];
  const userinfo = authority.slice(0, i);
  if (!validUserinfo(userinfo)) throw new UrlError("net/url: invalid userinfo");
  const colon = userinfo.indexOf(":");
  if (colon < 0)
    return [{ username: urlUnescape(userinfo, Enc.UserPassword), password: "", passwordSet: false }, host];
  return [
    {
      username: urlUnescape(userinfo.slice(0, colon), Enc.UserPassword),
      password: urlUnescape(userinfo.slice(colon + 1), Enc.UserPassword),
      passwordSet: true,
    },
    host,
  ];
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z")) continue;
    if ((c >= "0" && c <= "9") || c === "+" || c === "-" || c === ".") {
      if (i === 0) return ["", raw];
      continue;
    }
    if (c === ":") {
      if (i === 0) throw new UrlError("missing protocol scheme");
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ["", raw];
  }
  return ["", raw];
}

function parseNoFragment(raw: string): GoUrl {
  const url: GoUrl = {
    scheme: "",
    opaque: "",
    user: null,
    host: "",
    path: "",
    rawQuery: "",
    forceQuery: false,
    fragment: "",
  };
  for (let i = 0; i < raw.length; i++) {
    const b = raw.charCodeAt(i);
    if (b < 0x20 || b === 0x7f) throw new UrlError("net/url: invalid control character in URL");
  }
  if (raw === "*") {
    url.path = "*";
    return url;
  }
  let rest: string;
  [url.scheme, rest] = getScheme(raw);
  url.scheme = url.scheme.toLowerCase();
  if (rest.endsWith("?") && rest.split("?").length === 2) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf("?");
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith("/")) {
    if (url.scheme !== "") {
      url.opaque = rest;
      return url;
    }
    const segment = rest.split("/")[0]!;
    if (segment.includes(":")) throw new UrlError("first path segment in URL cannot contain colon");
  }
  if ((url.scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const i = authority.indexOf("/");
    if (i >= 0) {
      rest = authority.slice(i);
      authority = authority.slice(0, i);
    }
    [url.user, url.host] = parseAuthority(authority);
  }
  url.path = urlUnescape(rest, Enc.Path);
  return url;
}

/** url.Parse on a Go string; throws GoUrlParseError with net/url's text (`parse "…": …`). */
export function parseUrl(rawText: string): GoUrl {
  const raw = toByteString(rawText);
  const hash = raw.indexOf("#");
  const u = hash >= 0 ? raw.slice(0, hash) : raw;
  const frag = hash >= 0 ? raw.slice(hash + 1) : "";
  let url: GoUrl;
  try {
    url = parseNoFragment(u);
  } catch (e) {
    if (e instanceof UrlError) throw new GoUrlParseError(`parse ${quote(u)}: ${e.message}`);
    throw e;
  }
  if (frag !== "") {
    try {
      url.fragment = urlUnescape(frag, Enc.Fragment);
    } catch (e) {
      if (e instanceof UrlError) throw new GoUrlParseError(`parse ${quote(raw)}: ${e.message}`);
      throw e;
    }
  }
  return url;
}

export function userinfoString(u: Userinfo): string {
  let s = urlEscape(u.username, Enc.UserPassword);
  if (u.passwordSet) s += `:${urlEscape(u.password, Enc.UserPassword)}`;
  return s;
}

/** URL.Hostname */
export function hostname(host: string): string {
  let h = host;
  const colon = h.lastIndexOf(":");
  if (colon !== -1 && validOptionalPort(h.slice(colon))) h = h.slice(0, colon);
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  return h;
}

/** URL.String for a URL built from parts (no RawPath/RawFragment, OmitHost false). */
export function urlString(u: GoUrl): string {
  let buf = "";
  if (u.scheme !== "") buf += `${u.scheme}:`;
  if (u.opaque !== "") buf += u.opaque;
  else {
    if (u.scheme !== "" || u.host !== "" || u.user !== null) {
      if (u.host !== "" || u.path !== "" || u.user !== null) buf += "//";
      if (u.user !== null) buf += `${userinfoString(u.user)}@`;
      if (u.host !== "") buf += urlEscape(u.host, Enc.Host);
    }
    const path = u.path === "*" ? "*" : urlEscape(u.path, Enc.Path);
    if (path !== "" && path[0] !== "/" && u.host !== "") buf += "/";
    if (buf.length === 0 && path.split("/")[0]!.includes(":")) buf += "./";
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== "") buf += `?${u.rawQuery}`;
  if (u.fragment !== "") buf += `#${urlEscape(u.fragment, Enc.Fragment)}`;
  return buf;
}

/** url.Parse(raw)'s error text (`parse "…": …`), or null when Go parses it. */
export function goUrlParseError(raw: string): string | null {
  if (/^[\w\-./~]*$/.test(raw)) return null; // the usual Vault path: nothing to object to
  try {
    parseUrl(raw);
    return null;
  } catch (e) {
    if (e instanceof GoUrlParseError) return e.message;
    throw e;
  }
}
