/**
 * Go's regexp on strings that are not valid UTF-8 (src/template/funcs/regexp.ts): each invalid
 * byte reads as U+FFFD, one byte wide, and results keep the bytes. Template strings hold such a
 * byte as a lone surrogate (src/template/bytes.ts). Expected values are Go 1.26's;
 * scripts/fuzz/regexp-diff.ts (kind "bytes") and the gotemplate goldens carry more.
 */
import { describe, expect, test } from "bun:test";
import { decodeGoBytes, encodeGoString } from "../../../src/template/bytes.ts";
import {
  compileGoRegexp,
  execGoSlots,
  goRegexpMatch,
  goRegexpReplaceAll,
} from "../../../src/template/funcs/regexp.ts";
import { callSprigRegex as call } from "./helpers.ts";

/** Go bytes as a template string. */
const B = (...bytes: number[]) => decodeGoBytes(Uint8Array.from(bytes));
const bytesOf = (s: string) => Array.from(encodeGoString(s));

describe("regexp on invalid UTF-8", () => {
  test("an invalid byte is U+FFFD to the pattern, never a surrogate", () => {
    expect(goRegexpMatch("^a\\x{FFFD}b$", `a${B(0xff)}b`)).toBe(true);
    expect(goRegexpMatch("^\\x{FFFD}{3}$", B(0xed, 0xb0, 0x80))).toBe(true);
    expect(goRegexpMatch("[\\x{DC00}-\\x{DFFF}]", B(0xff, 0xed, 0xb0, 0x80))).toBe(false);
    expect(goRegexpMatch("\\x{DCFF}", B(0xff))).toBe(false);
    expect(goRegexpMatch("(?i)\\W", B(0xff))).toBe(true);
    expect(goRegexpMatch("\\pS", B(0x80))).toBe(true);
    // On Go's program as well as on JS RegExp.
    expect(compileGoRegexp("(a|\\x{FFFD})*b").vm).not.toBeNull();
    expect(goRegexpReplaceAll("(a|\\x{FFFD})*b", "[$1]", `a${B(0xfe)}b`)).toBe(`[${B(0xfe)}]`);
  });

  test("each invalid byte is one character, and results keep the bytes", () => {
    expect(bytesOf(goRegexpReplaceAll(".", "<$0>", `a${B(0xff, 0xc3, 0xa9, 0xe2, 0x82)}`))).toEqual(
      bytesOf(`<a><${B(0xff)}><é><${B(0xe2)}><${B(0x82)}>`),
    );
    expect(goRegexpReplaceAll("\\x{FFFD}+", "?", `a${B(0xff, 0xfe, 0xef, 0xbf, 0xbd)}b`)).toBe("a?b");
    // After an empty match the search moves on one byte.
    expect(bytesOf(goRegexpReplaceAll("", "-", B(0xff, 0xc3)))).toEqual([0x2d, 0xff, 0x2d, 0xc3, 0x2d]);
    expect(bytesOf(goRegexpReplaceAll("\\b", "|", `a${B(0xff)}b`))).toEqual(bytesOf(`|a|${B(0xff)}|b|`));
    expect(
      Array.from(call("mustRegexFindAll", "\\x{FFFD}", `a${B(0xff)}b${B(0xfe)}`, -1n) as string[]),
    ).toEqual([B(0xff), B(0xfe)]);
    expect(Array.from(call("mustRegexSplit", "[^ab]", `a${B(0xff)}b`, -1n) as string[])).toEqual(["a", "b"]);
    // Positions: UTF-16 indexes of the canonical string, one per invalid byte.
    expect(execGoSlots(compileGoRegexp("b"), `${B(0xff)}é${B(0xfe)}b`, 0)).toEqual([3, 4]);
  });

  test("bytes joined by concatenation are read as the character they spell", () => {
    const e = String.fromCharCode(0xdcc3) + String.fromCharCode(0xdca9); // é as two escaped bytes
    expect(goRegexpMatch("^é$", e)).toBe(true);
    expect(goRegexpReplaceAll("é", "e", `x${e}`)).toBe("xe");
    expect(call("mustRegexFind", ".$", e)).toBe("é");
  });

  test("a pattern that is not valid UTF-8 fails with Go's error, quoting from the byte", () => {
    const bad = String.fromCharCode(0xdcff);
    const error = (p: string) => {
      try {
        compileGoRegexp(p);
        return "";
      } catch (err) {
        return bytesOf((err as Error).message);
      }
    };
    const msg = (expr: string) => bytesOf(`error parsing regexp: invalid UTF-8: \`${expr}\``);
    expect(error(`a${bad}b`)).toEqual(msg(`${bad}b`));
    expect(error(`[a${bad}]`)).toEqual(msg(`${bad}]`));
    expect(error(`(?P<n${bad}m>x)`)).toEqual(msg(`${bad}m`));
    expect(error(`\\p{L${bad}}`)).toEqual(msg(bad));
    expect(error(`\\Q${bad}x\\Ey`)).toEqual(msg(`${bad}x`));
    expect(error(`(?i${bad})`)).toEqual(msg(`${bad})`));
    // Bytes that spell valid UTF-8 are a valid pattern.
    expect(goRegexpMatch(String.fromCharCode(0xdcc3, 0xdca9), "é")).toBe(true);
  });
});
