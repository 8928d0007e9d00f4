/**
 * Go strings are byte strings; ours are JS (UTF-16) strings. A Go string that is valid UTF-8 maps
 * onto the JS string of the same characters. A byte that is not part of valid UTF-8 (by Go's rules:
 * no surrogates, no overlong forms, nothing above U+10FFFF) is held as the lone low surrogate
 * U+DC80+(byte−0x80), which decoding valid UTF-8 can never produce ("surrogate escape"). So every
 * Go string has exactly one canonical JS form, and encodeGoString gives the original bytes back.
 *
 * Strings built by concatenation can be non-canonical (the escaped bytes C3 and A9 side by side
 * are "é" to Go); canonicalGoString fixes that, and everything here that looks at runes reads the
 * canonical form. Any other lone surrogate (from a JS source, never from decoding) is an invalid
 * rune: Go would have stored U+FFFD (EF BF BD) for it.
 *
 * Every function has a fast path for well-formed strings (s.isWellFormed() is native and cheap),
 * where JS string operations already agree with Go's byte operations.
 */

/** utf8.RuneError */
export const RUNE_ERROR = 0xfffd;

const ESCAPE_BASE = 0xdc00;

const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Whether a UTF-16 unit is an escaped byte (only meaningful when it is not part of a pair). */
export function isEscapeUnit(c: number): boolean {
  return c >= 0xdc80 && c <= 0xdcff;
}

/** The JS string for Go bytes: valid UTF-8 decodes as usual, every other byte is escaped. */
export function decodeGoBytes(b: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < b.length; i++) {
    if (b[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return b.length < 4096 ? String.fromCharCode.apply(null, b as unknown as number[]) : latin1(b);
  try {
    return strictDecoder.decode(b);
  } catch {
    return decodeSlow(b);
  }
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
}

/** Length of the valid UTF-8 sequence at b[i], or 0 when b[i] starts none (Go's utf8 rules). */
function validSeqLen(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const n = b.length;
  if (c < 0x80) return 1;
  if (c < 0xc2) return 0;
  const cont = (j: number, lo = 0x80, hi = 0xbf) => j < n && b[j]! >= lo && b[j]! <= hi;
  if (c < 0xe0) return cont(i + 1) ? 2 : 0;
  if (c < 0xf0) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (c < 0xf5) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

function decodeSlow(b: Uint8Array): string {
  const parts: string[] = [];
  let start = 0; // start of the current run of valid UTF-8
  let i = 0;
  while (i < b.length) {
    const n = validSeqLen(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > start) parts.push(strictDecoder.decode(b.subarray(start, i)));
    parts.push(String.fromCharCode(ESCAPE_BASE + b[i]!));
    i++;
    start = i;
  }
  if (start < b.length) parts.push(strictDecoder.decode(b.subarray(start)));
  return parts.join("");
}

/** The Go bytes of a JS string: escaped bytes come back raw; other lone surrogates are EF BF BD. */
export function encodeGoString(s: string): Uint8Array {
  if (s.isWellFormed()) return encoder.encode(s);
  const out = new Uint8Array(goByteLength(s));
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) out[o++] = c;
    else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const r = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        out[o++] = 0xf0 | (r >> 18);
        out[o++] = 0x80 | ((r >> 12) & 0x3f);
        out[o++] = 0x80 | ((r >> 6) & 0x3f);
        out[o++] = 0x80 | (r & 0x3f);
        i++;
      } else if (isEscapeUnit(c)) out[o++] = c - ESCAPE_BASE;
      else {
        out[o++] = 0xef;
        out[o++] = 0xbf;
        out[o++] = 0xbd;
      }
    } else {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  return out;
}

/** len(s) in Go: the byte count, without encoding. */
export function goByteLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // 4 bytes for 2 units
        i++;
      } else if (!isEscapeUnit(c)) n += 2; // U+FFFD
    } else n += 2;
  }
  return n;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** s[i] in Go (the caller checks 0 ≤ i < len(s)). */
export function goByteAt(s: string, i: number): number {
  if (i < s.length && isAscii(s)) return s.charCodeAt(i);
  return encodeGoString(s)[i]!;
}

/** s[i:j] in Go: cutting through a character leaves its bytes escaped, as Go leaves them raw. */
export function goByteSlice(s: string, i: number, j: number): string {
  if (isAscii(s)) return s.slice(i, j);
  return decodeGoBytes(encodeGoString(s).subarray(i, j));
}

/** The one JS form of a Go string (escaped bytes that spell valid UTF-8 joined up, stray surrogates → U+FFFD). */
export function canonicalGoString(s: string): string {
  return s.isWellFormed() ? s : decodeGoBytes(encodeGoString(s));
}

/** Go's == on strings: the same bytes, whichever JS form each is held in. */
export function sameGoString(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.isWellFormed() && b.isWellFormed()) return false;
  return canonicalGoString(a) === canonicalGoString(b);
}

/** The string with each invalid byte replaced by U+FFFD, one for one (as Go's `for range` reads them). */
export function replaceInvalidBytes(s: string): string {
  return s.isWellFormed() ? s : canonicalGoString(s).toWellFormed();
}

/** utf8.ValidString */
export function isValidGoUtf8(s: string): boolean {
  if (s.isWellFormed()) return true;
  try {
    strictDecoder.decode(encodeGoString(s));
    return true;
  } catch {
    return false;
  }
}

/** Whether a canonical string holds escaped (invalid) bytes. */
export function hasEscapedBytes(s: string): boolean {
  return !s.isWellFormed();
}

/** Bytes in the UTF-8 form of rune r (an escaped byte is one). */
export function runeByteWidth(r: number): number {
  return r < 0x80 ? 1 : r < 0x800 ? 2 : r < 0x10000 ? 3 : 4;
}

/**
 * Go's `for i, r := range s`: fn(rune, byteIndex, unitStart, unitEnd) for each rune of the
 * canonical form of s (returned, so callers can slice it by units). An invalid byte is RUNE_ERROR
 * one byte wide. fn returning true stops the loop.
 */
export function forEachGoRune(
  s: string,
  fn: (r: number, byteIndex: number, unitStart: number, unitEnd: number) => unknown,
): string {
  s = canonicalGoString(s);
  let b = 0;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    let r = c;
    let units = 1;
    let width: number;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      r = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
      units = 2;
      width = 4;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      r = RUNE_ERROR;
      width = 1;
    } else width = runeByteWidth(c);
    if (fn(r, b, i, i + units) === true) break;
    b += width;
    i += units;
  }
  return s;
}

/** []rune(s) in Go: invalid bytes become RUNE_ERROR. */
export function goRunes(s: string): number[] {
  const out: number[] = [];
  forEachGoRune(s, (r) => {
    out.push(r);
  });
  return out;
}

/** utf8.RuneCountInString */
export function goRuneCount(s: string): number {
  if (!s.isWellFormed()) s = canonicalGoString(s);
  let n = s.length;
  // Canonical strings hold a high surrogate only as the first half of a pair.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800 && s.charCodeAt(i) <= 0xdbff) n--;
  return n;
}

/**
 * A Go string as a "binary" JS string, one char (0–255) per byte: byte-level searching, splitting
 * and replacing then work with ordinary JS string methods. fromByteString turns a piece back.
 */
export function toByteString(s: string): string {
  if (isAscii(s)) return s;
  return latin1(encodeGoString(s));
}

export function fromByteString(b: string): string {
  if (isAscii(b)) return b;
  return decodeGoBytes(Buffer.from(b, "latin1"));
}

/** Byte-wise comparison of two Go strings (what Go's < on strings does). */
export function compareGoStrings(a: string, b: string): number {
  const x = encodeGoString(a);
  const y = encodeGoString(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
