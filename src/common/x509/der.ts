/**
 * A minimal ASN.1 DER writer (and a reader just deep enough to pull fields out of structures we
 * did not build, such as a SubjectPublicKeyInfo exported by node:crypto). Every function returns
 * the complete TLV encoding, so structures compose by nesting calls.
 */

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len = lengthBytes(content.length);
  const out = new Uint8Array(1 + len.length + content.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export const seq = (...items: Uint8Array[]) => tlv(0x30, concat(items));
export const set = (...items: Uint8Array[]) => tlv(0x31, concat(items));
export const nullValue = () => new Uint8Array([0x05, 0x00]);
export const bool = (v: boolean) => tlv(0x01, new Uint8Array([v ? 0xff : 0x00]));
export const octetString = (b: Uint8Array) => tlv(0x04, b);
export const utf8 = (s: string) => tlv(0x0c, new TextEncoder().encode(s));
export const printable = (s: string) => tlv(0x13, new TextEncoder().encode(s));
export const ia5 = (s: string) => tlv(0x16, new TextEncoder().encode(s));
/** [n] EXPLICIT — wraps a complete encoding. */
export const explicit = (n: number, inner: Uint8Array) => tlv(0xa0 | n, inner);
/** [n] IMPLICIT primitive — replaces the tag of a primitive value with raw content bytes. */
export const implicitPrimitive = (n: number, content: Uint8Array) => tlv(0x80 | n, content);
/** [n] IMPLICIT constructed — content is a concatenation of encodings. */
export const implicitConstructed = (n: number, ...items: Uint8Array[]) => tlv(0xa0 | n, concat(items));

/** INTEGER from unsigned big-endian bytes (minimal, with a 0x00 pad when the high bit is set). */
export function uintBytes(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let body: Uint8Array = bytes.slice(i);
  if (body.length === 0) body = new Uint8Array([0]);
  if (body[0] & 0x80) body = concat([new Uint8Array([0]), body]);
  return tlv(0x02, body);
}

export function int(n: number): Uint8Array {
  if (n < 0 || !Number.isInteger(n)) throw new Error("only non-negative integers are supported");
  const bytes: number[] = [];
  do {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  } while (n > 0);
  return uintBytes(new Uint8Array(bytes));
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const out: number[] = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    let v = Math.floor(arc / 128);
    while (v > 0) {
      chunk.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...chunk);
  }
  return tlv(0x06, new Uint8Array(out));
}

export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(0x03, concat([new Uint8Array([unusedBits]), bytes]));
}

/** A named-bit BIT STRING (KeyUsage): bit 0 is the most significant bit of the first byte. */
export function namedBits(bits: number[]): Uint8Array {
  if (bits.length === 0) return bitString(new Uint8Array(0));
  const max = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(max / 8) + 1);
  for (const b of bits) bytes[Math.floor(b / 8)] |= 0x80 >> (b % 8);
  const unused = 7 - (max % 8);
  return bitString(bytes, unused);
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** X.509 Time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
export function x509Time(ms: number): Uint8Array {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const y = d.getUTCFullYear();
  const rest = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  if (y < 2050 && y >= 1950) return tlv(0x17, new TextEncoder().encode(`${pad(y % 100)}${rest}`));
  return tlv(0x18, new TextEncoder().encode(`${pad(y, 4)}${rest}`));
}

export interface Node {
  tag: number;
  /** Offset of the whole TLV and of its content within the buffer. */
  start: number;
  contentStart: number;
  end: number;
  content: Uint8Array;
}

/** Reads one TLV at `offset`. Throws on truncated or indefinite-length input. */
export function readNode(buf: Uint8Array, offset = 0): Node {
  if (offset + 2 > buf.length) throw new Error("DER: truncated");
  const tag = buf[offset];
  let len = buf[offset + 1];
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error("DER: unsupported length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > buf.length) throw new Error("DER: truncated");
  return { tag, start: offset, contentStart: p, end: p + len, content: buf.subarray(p, p + len) };
}

/** The children of a constructed node. */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  let p = 0;
  while (p < node.content.length) {
    const child = readNode(node.content, p);
    out.push(child);
    p = child.end;
  }
  return out;
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----`;
}

export function fromPem(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, "").replace(/\s+/g, "");
  return new Uint8Array(Buffer.from(body, "base64"));
}
