/**
 * encoding/pem as Go writes and reads it, and Go's net.ParseIP, for Sprig's crypto functions.
 */
import { encodeGoString } from "../../bytes.ts";
import { goBase64Decode } from "../index.ts";

export interface PemBlock {
  type: string;
  bytes: Uint8Array;
}

/** pem.EncodeToMemory (no headers): 64-column base64 lines, every line ending in "\n". */
export function pemEncode(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  let out = `-----BEGIN ${type}-----\n`;
  for (let i = 0; i < b64.length; i += 64) out += `${b64.slice(i, i + 64)}\n`;
  return `${out}-----END ${type}-----\n`;
}

/** getLine: a line without its "\n" and trailing spaces/tabs/CRs, and the rest. */
function getLine(s: string): [string, string] {
  const i = s.indexOf("\n");
  const line = i < 0 ? s : s.slice(0, i);
  const rest = i < 0 ? "" : s.slice(i + 1);
  return [line.replace(/[ \t\r]+$/, ""), rest];
}

/** pem.Decode: the first well-formed block in the text (on Go bytes), or null. */
export function pemDecode(text: string): PemBlock | null {
  let rest = Buffer.from(encodeGoString(text)).toString("latin1");
  for (;;) {
    if (rest.startsWith("-----BEGIN ")) rest = rest.slice(11);
    else {
      const i = rest.indexOf("\n-----BEGIN ");
      if (i < 0) return null;
      rest = rest.slice(i + 12);
    }
    let typeLine: string;
    [typeLine, rest] = getLine(rest);
    if (!typeLine.endsWith("-----")) continue;
    typeLine = typeLine.slice(0, -5);
    let headers = 0;
    let truncated = false;
    for (;;) {
      if (rest.length === 0) {
        truncated = true;
        break;
      }
      const [line, next] = getLine(rest);
      if (!line.includes(":")) break;
      headers++;
      rest = next;
    }
    if (truncated) return null;
    let endIndex: number;
    let endTrailerIndex: number;
    if (headers === 0 && rest.startsWith("-----END ")) {
      endIndex = 0;
      endTrailerIndex = 9;
    } else {
      endIndex = rest.indexOf("\n-----END ");
      endTrailerIndex = endIndex + 10;
    }
    if (endIndex < 0) continue;
    const trailer = rest.slice(endTrailerIndex);
    const trailerLen = typeLine.length + 5;
    if (trailer.length < trailerLen) continue;
    const endLine = trailer.slice(0, trailerLen);
    if (!endLine.startsWith(typeLine) || !endLine.endsWith("-----")) continue;
    if (getLine(trailer.slice(trailerLen))[0].length !== 0) continue;
    const body = rest.slice(0, endIndex).replace(/[ \t]/g, "");
    let decoded: string;
    try {
      decoded = goBase64Decode(Buffer.from(body, "latin1").toString("latin1"), false);
    } catch {
      continue;
    }
    return { type: Buffer.from(typeLine, "latin1").toString("utf8"), bytes: encodeGoString(decoded) };
  }
}

/** base64.StdEncoding.DecodeString to bytes; null on error. */
export function base64Bytes(s: string): Uint8Array | null {
  try {
    return encodeGoString(goBase64Decode(s, false));
  } catch {
    return null;
  }
}

/** net.ParseIP: the address bytes (4 for IPv4, 16 for IPv6), or null. */
export function parseIP(s: string): Uint8Array | null {
  if (/^[0-9.]+$/.test(s)) return parseIPv4(s);
  return parseIPv6(s);
}

function parseIPv4(s: string): Uint8Array | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === "0")) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | null {
  const ip = new Uint8Array(16);
  let ellipsis = -1;
  let i = 0;
  if (s.startsWith("::")) {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ip;
  }
  while (i < 16) {
    const m = /^[0-9a-fA-F]{1,4}/.exec(s);
    if (!m) return null;
    if (s.length > m[0].length && s[m[0].length] === ".") {
      if (ellipsis < 0 && i !== 12) return null;
      if (i + 4 > 16) return null;
      const v4 = parseIPv4(s);
      if (!v4) return null;
      ip.set(v4, i);
      i += 4;
      s = "";
      break;
    }
    const n = Number.parseInt(m[0], 16);
    ip[i] = n >> 8;
    ip[i + 1] = n & 0xff;
    i += 2;
    s = s.slice(m[0].length);
    if (s.length === 0) break;
    if (s[0] !== ":" || s.length === 1) return null;
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return null;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return null;
  if (i < 16) {
    if (ellipsis < 0) return null;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) return null;
  return ip;
}

/** The text form of parsed IP bytes, as node:net and our x509 writer take it. */
export function ipText(b: Uint8Array): string {
  if (b.length === 4) return [...b].join(".");
  // An IPv4-mapped IPv6 address is an IPv4 address to Go (To4 succeeds).
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff)
    return [...b.slice(12)].join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  return groups.join(":");
}
