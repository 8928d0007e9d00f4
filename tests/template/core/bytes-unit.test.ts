/**
 * The surrogate-escape representation of Go byte strings (src/template/bytes.ts): Go's UTF-8
 * validity rules, byte-exact round trips, byte views and rune iteration.
 */
import { describe, expect, test } from "bun:test";
import {
  canonicalGoString,
  compareGoStrings,
  decodeGoBytes,
  encodeGoString,
  forEachGoRune,
  fromByteString,
  goByteAt,
  goByteLength,
  goByteSlice,
  goRuneCount,
  goRunes,
  isValidGoUtf8,
  replaceInvalidBytes,
  sameGoString,
  toByteString,
} from "../../../src/template/bytes.ts";

const dec = (...b: number[]) => decodeGoBytes(Uint8Array.from(b));
const units = (s: string) => [...s].map((c) => c.codePointAt(0)!.toString(16));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** A small deterministic PRNG (xorshift32), so failures reproduce. */
function rng(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

/** Random bytes biased towards UTF-8 lead/continuation bytes, so valid and invalid mix. */
function randomBytes(r: () => number, n: number): Uint8Array {
  const pool = [
    0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xc3, 0xa9, 0xe0, 0xa0, 0xed, 0x9f, 0xef, 0xf0, 0x90, 0xf4, 0x8f,
    0xf5, 0xff,
  ];
  return Uint8Array.from({ length: n }, () =>
    r() < 0.7 ? pool[Math.floor(r() * pool.length)]! : Math.floor(r() * 256),
  );
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Go's `for i, r := range b` worked out independently: at each offset the shortest prefix that
 * decodes strictly to one code point is the rune; if none of 1–4 bytes does, the byte is U+FFFD.
 */
function referenceRunes(b: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < b.length; ) {
    let width = 1;
    let rune = 0xfffd;
    for (let n = 1; n <= 4 && i + n <= b.length; n++) {
      try {
        const t = strict.decode(b.subarray(i, i + n));
        if ([...t].length === 1) {
          width = n;
          rune = t.codePointAt(0)!;
          break;
        }
      } catch {}
    }
    out.push([rune, i]);
    i += width;
  }
  return out;
}

describe("decodeGoBytes follows Go's utf8 rules", () => {
  test("valid UTF-8 decodes as usual; a BOM is kept", () => {
    expect(dec(0x68, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80)).toBe("hé😀");
    expect(dec(0xef, 0xbb, 0xbf, 0x41)).toBe("\uFEFFA");
  });
  test("each invalid byte is escaped on its own", () => {
    expect(units(dec(0xff))).toEqual(["dcff"]);
    expect(units(dec(0xc0, 0xaf))).toEqual(["dcc0", "dcaf"]); // overlong
    expect(units(dec(0xed, 0xa0, 0x80))).toEqual(["dced", "dca0", "dc80"]); // surrogate
    expect(units(dec(0xf4, 0x90, 0x80, 0x80))).toEqual(["dcf4", "dc90", "dc80", "dc80"]); // > U+10FFFF
    expect(units(dec(0x61, 0xe2, 0x82))).toEqual(["61", "dce2", "dc82"]); // truncated
    expect(units(dec(0xe2, 0x82, 0xe2, 0x82, 0xac))).toEqual(["dce2", "dc82", "20ac"]);
  });
  test("random bytes round-trip exactly, and every view agrees with the bytes", () => {
    const r = rng(0x5eed);
    for (let i = 0; i < 3000; i++) {
      const b = randomBytes(r, Math.floor(r() * 12));
      const s = decodeGoBytes(b);
      expect(hex(encodeGoString(s))).toBe(hex(b));
      expect(goByteLength(s)).toBe(b.length);
      const lo = Math.floor(r() * (b.length + 1));
      const hi = lo + Math.floor(r() * (b.length - lo + 1));
      expect(hex(encodeGoString(goByteSlice(s, lo, hi)))).toBe(hex(b.subarray(lo, hi)));
      if (lo < b.length) expect(goByteAt(s, lo)).toBe(b[lo]!);
      const got: [number, number][] = [];
      forEachGoRune(s, (rune, at) => {
        got.push([rune, at]);
      });
      expect(got).toEqual(referenceRunes(b));
      expect(got.length).toBe(goRuneCount(s));
    }
  });
});

describe("encodeGoString", () => {
  test("escaped bytes come back raw; other lone surrogates are an invalid rune (EF BF BD)", () => {
    expect(hex(encodeGoString("a\uDCFFb"))).toBe("61ff62");
    expect(hex(encodeGoString("\uD800"))).toBe("efbfbd");
    expect(hex(encodeGoString("\uDC00x"))).toBe("efbfbd78");
    expect(hex(encodeGoString("😀\uDC80"))).toBe("f09f988080");
  });
});

describe("canonical forms", () => {
  test("escaped bytes that spell valid UTF-8 join up", () => {
    const cut = goByteSlice("é", 0, 1) + goByteSlice("é", 1, 2);
    expect(cut).not.toBe("é");
    expect(canonicalGoString(cut)).toBe("é");
    expect(sameGoString(cut, "é")).toBe(true);
    expect(sameGoString("\uDCFF", "\uFFFD")).toBe(false);
    expect(isValidGoUtf8(cut)).toBe(true);
    expect(isValidGoUtf8("a\uDCFF")).toBe(false);
    expect(goRuneCount(cut)).toBe(1);
  });
  test("runes: an invalid byte is U+FFFD one byte wide", () => {
    const seen: [number, number][] = [];
    forEachGoRune(dec(0x61, 0xff, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80), (r, at) => {
      seen.push([r, at]);
    });
    expect(seen).toEqual([
      [0x61, 0],
      [0xfffd, 1],
      [0xe9, 2],
      [0x1f600, 4],
    ]);
    expect(goRunes(dec(0xc0, 0xaf))).toEqual([0xfffd, 0xfffd]);
  });
  test("byte strings, comparison and replacement", () => {
    const s = dec(0x61, 0xff, 0xc3, 0xa9);
    expect(toByteString(s)).toBe("a\xff\xc3\xa9");
    expect(fromByteString("a\xff\xc3\xa9")).toBe(s);
    // Byte order: 0xFF sorts after every UTF-8 lead byte, and 0x80 before "é" (C3 A9).
    expect(compareGoStrings(dec(0xff), "\uFFFD")).toBeGreaterThan(0);
    expect(compareGoStrings(dec(0x80), "é")).toBeLessThan(0);
    expect(replaceInvalidBytes(s)).toBe("a\uFFFDé");
    expect(replaceInvalidBytes(goByteSlice("é", 0, 1) + goByteSlice("é", 1, 2))).toBe("é");
  });
});
