/**
 * The input side of gopkg.in/yaml.v2 (a port of libyaml): the document's bytes decoded to code
 * points, plus a model of *when* libyaml's reader decodes them.
 *
 * libyaml reads its input in 512-byte chunks and decodes a whole chunk the moment the scanner asks
 * for a character beyond what is already decoded. A bad byte (a control character, broken UTF-8)
 * is reported when its chunk is decoded — possibly before an earlier syntax error is found, and
 * never if parsing stops first (yaml.v2 only reads the first document). To give the same error in
 * the same situations, the whole input is decoded up front here, and `ensure(n)` replays the
 * chunking to decide whether the pending reader error has "happened" yet.
 */
import { YamlError } from "./errors.ts";

const RAW_CHUNK = 512;

/** Go string → bytes. Escaped bytes (U+DC80..U+DCFF, see template/bytes.ts) become raw bytes. */
export function goStringBytes(s: string): Uint8Array {
  if (s.isWellFormed()) return new TextEncoder().encode(s);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    if (c > 0xffff) i++;
    if (c >= 0xdc80 && c <= 0xdcff) out.push(c - 0xdc00);
    else if (c >= 0xd800 && c <= 0xdfff) out.push(0xef, 0xbf, 0xbd);
    else if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Bytes → Go string in our representation (invalid UTF-8 bytes escaped as U+DC80+b). */
export function goBytesString(b: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(b);
  } catch {
    let out = "";
    let i = 0;
    while (i < b.length) {
      const w = validUtf8At(b, i);
      if (w === 0) {
        out += String.fromCharCode(0xdc00 + b[i]!);
        i++;
      } else {
        out += new TextDecoder("utf-8", { ignoreBOM: true }).decode(b.subarray(i, i + w));
        i += w;
      }
    }
    return out;
  }
}

/** Length of the valid UTF-8 sequence at b[i] by Go's rules, or 0. */
function validUtf8At(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const w = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (w === 0 || i + w > b.length) return 0;
  let cp = c & (w === 2 ? 0x1f : w === 3 ? 0x0f : 0x07);
  for (let k = 1; k < w; k++) {
    const t = b[i + k]!;
    if ((t & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (t & 0x3f);
  }
  if (
    (w === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
    (w === 4 && (cp < 0x10000 || cp > 0x10ffff))
  )
    return 0;
  return w;
}

interface PendingError {
  /** Byte offset of the offending character. */
  at: number;
  /** The error fires once this many bytes from `at` have been read (or at EOF when Infinity). */
  need: number;
  problem: string;
}

/** Characters libyaml accepts in a stream (YAML 1.1 c-printable plus TAB, LF, CR, NEL). */
function allowedChar(c: number): boolean {
  return (
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d ||
    (c >= 0x20 && c <= 0x7e) ||
    c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

export class Reader {
  /** Decoded characters (up to the first bad one), followed by NUL padding. */
  readonly chars: Int32Array;
  /** Number of good characters. */
  readonly length: number;
  /** The good characters as a JS string, and where each character starts in it (plus the end). */
  readonly text: string;
  readonly utf16: Int32Array;
  /** Byte offset where each good character ends. */
  private readonly ends: Int32Array;
  private readonly input: Uint8Array;
  private readonly pending: PendingError | null;
  private readonly bomLength: number;

  // Replay of libyaml's buffers.
  private encodingKnown = false;
  private inputPos = 0; // bytes handed to the raw buffer so far
  private rawStart = 0; // input offset of raw_buffer[0]
  private decodedTo = 0; // input offset of raw_buffer[raw_buffer_pos]
  private eof = false;
  private decodedChars = 0;
  /** NULs appended at EOF (libyaml adds one per buffer update once the input is exhausted). */
  private nuls = 0;
  /** Characters available to the scanner: decoded ones plus the NUL libyaml adds at EOF. */
  available = 0;
  /** Index of the character at buffer[0] (libyaml's is_bom looks there, not at the cursor). */
  bufferStart = 0;

  constructor(input: Uint8Array) {
    this.input = input;
    // yaml_parser_determine_encoding: a UTF-16 byte-order mark, else UTF-8 (its BOM skipped too).
    const utf16le = input[0] === 0xff && input[1] === 0xfe;
    const utf16be = input[0] === 0xfe && input[1] === 0xff;
    const bom = utf16le || utf16be ? 2 : input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? 3 : 0;
    this.bomLength = bom;
    const n = input.length;
    // Padding: the scanner looks a few characters past the cursor and must see NULs there.
    const d: Decoded = {
      chars: new Int32Array(n - bom + 16),
      ends: new Int32Array(n - bom),
      utf16: new Int32Array(n - bom + 1),
      count: 0,
      end: bom,
      pending: null,
    };
    if (utf16le || utf16be) decodeUtf16(input, bom, utf16le, d);
    else decodeUtf8(input, bom, d);
    this.length = d.count;
    this.chars = d.chars;
    this.ends = d.ends;
    this.utf16 = d.utf16;
    this.text =
      utf16le || utf16be
        ? codePointsString(d.chars, d.count)
        : new TextDecoder("utf-8", { ignoreBOM: true }).decode(input.subarray(bom, d.end));
    this.pending = d.pending;
  }

  /** The characters [from, to) as a string. */
  slice(from: number, to: number): string {
    return this.text.slice(this.utf16[from], this.utf16[to]);
  }

  /** The number of decoded, unconsumed characters when the cursor is at `pos` (libyaml's unread). */
  private unread(pos: number): number {
    return this.available - pos;
  }

  /** yaml_parser_update_buffer(length), replayed: may throw the pending reader error. */
  ensure(pos: number, length: number): void {
    if (this.unread(pos) >= length) return;
    if (!this.encodingKnown) {
      while (!this.eof && this.inputPos - this.decodedTo < 3) this.readRaw();
      this.encodingKnown = true;
      this.decodedTo += this.bomLength;
    }
    this.bufferStart = pos;
    let first = true;
    while (this.unread(pos) < length) {
      if (!first || this.decodedTo === this.inputPos) this.readRaw();
      first = false;
      this.decodeRaw();
      if (this.eof) {
        this.nuls++;
        this.available++;
        break;
      }
    }
  }

  private readRaw(): void {
    const rawLen = this.inputPos - this.rawStart;
    if (this.decodedTo === this.rawStart && rawLen === RAW_CHUNK) return;
    if (this.eof) return;
    this.rawStart = this.decodedTo;
    if (this.inputPos === this.input.length) {
      this.eof = true;
      return;
    }
    const room = RAW_CHUNK - (this.inputPos - this.rawStart);
    this.inputPos = Math.min(this.input.length, this.inputPos + room);
  }

  private decodeRaw(): void {
    while (this.decodedChars < this.length && this.ends[this.decodedChars]! <= this.inputPos) {
      this.decodedTo = this.ends[this.decodedChars]!;
      this.decodedChars++;
    }
    this.available = this.decodedChars + this.nuls;
    const p = this.pending;
    if (p === null || this.decodedChars < this.length) return;
    // The cursor is at the bad character: it fires once it is complete (or at EOF).
    if (p.at >= this.inputPos) return;
    if (p.at + p.need <= this.inputPos || this.eof) throw YamlError.reader(p.problem);
  }
}

/** What a decoder found: the good characters (see Reader) and the error after them, if any. */
interface Decoded {
  chars: Int32Array;
  ends: Int32Array;
  utf16: Int32Array;
  count: number;
  /** The byte offset after the last good character. */
  end: number;
  pending: PendingError | null;
}

/** Adds character cp, which ends at byte `end`, to d. */
function addChar(d: Decoded, cp: number, end: number): void {
  const u = d.utf16[d.count]!;
  d.chars[d.count] = cp;
  d.ends[d.count] = end;
  d.count++;
  d.utf16[d.count] = u + (cp > 0xffff ? 2 : 1);
  d.end = end;
}

/** libyaml's UTF-8 decoding of input from byte i, up to the first bad character. */
function decodeUtf8(input: Uint8Array, i: number, d: Decoded): void {
  const n = input.length;
  while (i < n) {
    const c = input[i]!;
    if (c < 0x80) {
      if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) {
        d.pending = { at: i, need: 1, problem: "control characters are not allowed" };
        return;
      }
      addChar(d, c, ++i);
      continue;
    }
    const w = (c & 0xe0) === 0xc0 ? 2 : (c & 0xf0) === 0xe0 ? 3 : (c & 0xf8) === 0xf0 ? 4 : 0;
    if (w === 0) {
      d.pending = { at: i, need: 1, problem: "invalid leading UTF-8 octet" };
      return;
    }
    if (i + w > n) {
      d.pending = { at: i, need: Number.POSITIVE_INFINITY, problem: "incomplete UTF-8 octet sequence" };
      return;
    }
    let cp = c & (w === 2 ? 0x1f : w === 3 ? 0x0f : 0x07);
    let bad: string | null = null;
    for (let k = 1; k < w; k++) {
      const t = input[i + k]!;
      if ((t & 0xc0) !== 0x80) {
        bad = "invalid trailing UTF-8 octet";
        break;
      }
      cp = (cp << 6) + (t & 0x3f);
    }
    if (bad === null) {
      if (!((w === 2 && cp >= 0x80) || (w === 3 && cp >= 0x800) || (w === 4 && cp >= 0x10000)))
        bad = "invalid length of a UTF-8 sequence";
      else if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) bad = "invalid Unicode character";
      else if (!allowedChar(cp)) bad = "control characters are not allowed";
    }
    if (bad !== null) {
      d.pending = { at: i, need: w, problem: bad };
      return;
    }
    i += w;
    addChar(d, cp, i);
  }
}

/**
 * libyaml's UTF-16 decoding (after a byte-order mark) of input from byte i, up to the first bad
 * character. An incomplete unit or pair at the end is an error only at the end of the input; the
 * others as soon as their bytes are read, as in the UTF-8 case.
 */
function decodeUtf16(input: Uint8Array, i: number, littleEndian: boolean, d: Decoded): void {
  const n = input.length;
  const unit = (at: number) =>
    littleEndian ? input[at]! | (input[at + 1]! << 8) : (input[at]! << 8) | input[at + 1]!;
  while (i < n) {
    if (n - i < 2) {
      d.pending = { at: i, need: Number.POSITIVE_INFINITY, problem: "incomplete UTF-16 character" };
      return;
    }
    let cp = unit(i);
    if ((cp & 0xfc00) === 0xdc00) {
      d.pending = { at: i, need: 2, problem: "unexpected low surrogate area" };
      return;
    }
    let w = 2;
    if ((cp & 0xfc00) === 0xd800) {
      w = 4;
      if (n - i < 4) {
        d.pending = { at: i, need: Number.POSITIVE_INFINITY, problem: "incomplete UTF-16 surrogate pair" };
        return;
      }
      const low = unit(i + 2);
      if ((low & 0xfc00) !== 0xdc00) {
        d.pending = { at: i, need: 4, problem: "expected low surrogate area" };
        return;
      }
      cp = 0x10000 + ((cp & 0x3ff) << 10) + (low & 0x3ff);
    }
    if (!allowedChar(cp)) {
      d.pending = { at: i, need: w, problem: "control characters are not allowed" };
      return;
    }
    i += w;
    addChar(d, cp, i);
  }
}

/** The first `count` code points of chars as a string. */
function codePointsString(chars: Int32Array, count: number): string {
  let out = "";
  for (let i = 0; i < count; i += 4096) {
    out += String.fromCodePoint(...chars.subarray(i, Math.min(count, i + 4096)));
  }
  return out;
}
