/**
 * The errors Go's url.Parse reports, for Consul Template's Vault queries: vault.read (`secret`
 * without k=v arguments) and pkiCert run the trimmed path through url.Parse and return its error
 * as the function's error, e.g. `parse "kv/%zz": invalid URL escape "%zz"`.
 *
 * Only the verdict is computed (the query layer splits the path itself). The checks follow
 * net/url's order: control bytes, scheme, a colon in a schemeless first segment, the authority
 * of a `scheme://` path, %-escapes in the path, then %-escapes in the #fragment. Everything works
 * on bytes (a Go string), so an escape cut in the middle of a UTF-8 sequence quotes as Go does.
 */
import { fromByteString, toByteString } from "../bytes.ts";
import { quoteGo } from "../quote.ts";

const enum Mode {
  Path,
  Host,
  Zone,
  UserPassword,
  Fragment,
}

/** A bytes-as-chars string quoted as strconv.Quote quotes the Go string it stands for. */
const quote = (bytes: string) => quoteGo(fromByteString(bytes));

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const hexValue = (c: number) => (c <= 57 ? c - 48 : (c | 0x20) - 87);
const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** net/url's shouldEscape, for the modes whose unescaping looks at it (host and zone). */
function hostNeedsEscape(c: number): boolean {
  if (isAlnum(c)) return false;
  // Sub-delims, ':' and '[' ']' of host:port, and < > " (left alone in hosts), then the unreserved marks.
  return !"!$&'()*+,;=:[]<>\"-_.~".includes(String.fromCharCode(c));
}

/** net/url's unescape, reduced to its error (null when s unescapes). */
function unescapeError(s: string, mode: Mode): string | null {
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */) {
      if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) {
        return `invalid URL escape ${quote(s.slice(i, i + 3))}`;
      }
      const seq = s.slice(i, i + 3);
      // A host may %-encode only non-ASCII bytes (and %25, which starts an IPv6 zone).
      if (mode === Mode.Host && hexValue(s.charCodeAt(i + 1)) < 8 && seq !== "%25") {
        return `invalid URL escape ${quote(seq)}`;
      }
      if (mode === Mode.Zone) {
        const v = (hexValue(s.charCodeAt(i + 1)) << 4) | hexValue(s.charCodeAt(i + 2));
        if (seq !== "%25" && v !== 32 && hostNeedsEscape(v)) return `invalid URL escape ${quote(seq)}`;
      }
      i += 3;
      continue;
    }
    if ((mode === Mode.Host || mode === Mode.Zone) && c < 0x80 && hostNeedsEscape(c)) {
      return `invalid character ${quote(s[i] as string)} in host name`;
    }
    i++;
  }
  return null;
}

/** ":" followed by digits only, or nothing. */
function validOptionalPort(port: string): boolean {
  return port === "" || /^:[0-9]*$/.test(port);
}

function parseHostError(host: string): string | null {
  if (host.startsWith("[")) {
    const end = host.lastIndexOf("]");
    if (end < 0) return "missing ']' in host";
    const colonPort = host.slice(end + 1);
    if (!validOptionalPort(colonPort)) return `invalid port ${quote(colonPort)} after host`;
    const zone = host.slice(0, end).indexOf("%25");
    if (zone >= 0) {
      return (
        unescapeError(host.slice(0, zone), Mode.Host) ??
        unescapeError(host.slice(zone, end), Mode.Zone) ??
        unescapeError(host.slice(end), Mode.Host)
      );
    }
  } else {
    const colon = host.lastIndexOf(":");
    if (colon >= 0 && !validOptionalPort(host.slice(colon))) {
      return `invalid port ${quote(host.slice(colon))} after host`;
    }
  }
  return unescapeError(host, Mode.Host);
}

function parseAuthorityError(authority: string): string | null {
  const at = authority.lastIndexOf("@");
  const hostErr = parseHostError(at < 0 ? authority : authority.slice(at + 1));
  if (hostErr !== null || at < 0) return hostErr;
  const userinfo = authority.slice(0, at);
  // Userinfo is checked rune by rune, so any non-ASCII byte makes it invalid.
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return "net/url: invalid userinfo";
  const colon = userinfo.indexOf(":");
  if (colon < 0) return unescapeError(userinfo, Mode.UserPassword);
  return (
    unescapeError(userinfo.slice(0, colon), Mode.UserPassword) ??
    unescapeError(userinfo.slice(colon + 1), Mode.UserPassword)
  );
}

/** The error of net/url's parse(rawURL, viaRequest=false), or null. */
function parseError(raw: string): string | null {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return "net/url: invalid control character in URL";
  }
  if (raw === "*") return null;
  // getScheme: [a-zA-Z][a-zA-Z0-9+.-]* followed by ':'.
  let scheme = "";
  let rest = raw;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) continue;
    if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
      if (i === 0) break;
      continue;
    }
    if (c === 58 /* : */) {
      if (i === 0) return "missing protocol scheme";
      scheme = raw.slice(0, i);
      rest = raw.slice(i + 1);
    }
    break;
  }
  const q = rest.indexOf("?");
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith("/")) {
    if (scheme !== "") return null; // scheme:opaque
    const slash = rest.indexOf("/");
    if ((slash < 0 ? rest : rest.slice(0, slash)).includes(":")) {
      return "first path segment in URL cannot contain colon";
    }
  }
  if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const err = parseAuthorityError(slash < 0 ? rest.slice(2) : rest.slice(2, slash));
    if (err !== null) return err;
    rest = slash < 0 ? "" : rest.slice(slash);
  }
  return unescapeError(rest, Mode.Path);
}

/** url.Parse(raw)'s error text (`parse "…": …`), or null when Go parses it. */
export function goUrlParseError(raw: string): string | null {
  if (/^[\w\-./~]*$/.test(raw)) return null; // the usual Vault path: nothing to object to
  const bytes = toByteString(raw);
  const hash = bytes.indexOf("#");
  const beforeFragment = hash < 0 ? bytes : bytes.slice(0, hash);
  const err = parseError(beforeFragment);
  if (err !== null) return `parse ${quote(beforeFragment)}: ${err}`;
  if (hash < 0) return null;
  const fragErr = unescapeError(bytes.slice(hash + 1), Mode.Fragment);
  return fragErr === null ? null : `parse ${quote(bytes)}: ${fragErr}`;
}
