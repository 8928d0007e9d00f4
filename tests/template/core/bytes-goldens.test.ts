/**
 * Byte-exactness against Go: every case in testdata/gofmt-goldens.json (made by
 * scripts/goldens/gofmt/gen.sh with Go's text/template) is compiled from the template's bytes,
 * executed with Consul Template's function library, and its output (or error text) compared with
 * what Go wrote, byte for byte.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { JsonNumber } from "../../../src/common/json.ts";
import { decodeGoBytes, encodeGoString } from "../../../src/template/bytes.ts";
import { createFuncs } from "../../../src/template/funcs/index.ts";
import {
  compile,
  type FuncContext,
  type FuncMap,
  GoComplex,
  GoTyped,
  typedNil,
  typedSlice,
} from "../../../src/template/index.ts";
import { host, noDeps } from "./helpers.ts";

interface Golden {
  name: string;
  tpl?: string;
  tplB64?: string;
  out?: string;
  outB64?: string;
  err?: string;
  errB64?: string;
}

const goldens: { cases: Golden[] } = JSON.parse(
  readFileSync(new URL("./testdata/gofmt-goldens.json", import.meta.url), "utf8"),
);

const b64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));
/** A Go string literal's bytes as our JS form. */
const g = (bytes: number[] | string) =>
  typeof bytes === "string" ? bytes : decodeGoBytes(Uint8Array.from(bytes));
const latin = (s: string) => g([...s].map((c) => c.charCodeAt(0)));
const u8 = (n: number) => new GoTyped("uint8", BigInt(n));

/** The values main.go's data() returns, built the way the engine represents Go values. */
function data(): Record<string, unknown> {
  return {
    s: "hello",
    u: "héllo, 世界 😀",
    bad: latin("a\xffb\xc0\xafz"),
    sur: latin("\xed\xa0\x80x"),
    trunc: latin("ab\xe2\x82"),
    big: latin("\xf4\x90\x80\x80!"),
    fffd: "\uFFFD",
    esc: "a\x00b<>&'\"=\\",
    ctl: "\t\n\x7f\u200b\u00ad\u2028",
    empty: "",
    sp: ` \t\u00a0x${latin("\xff")} \u3000`,
    i: 42n,
    neg: -7n,
    zero: 0n,
    u8: u8(200),
    r: new GoTyped("int32", 0xe9n),
    i64: new GoTyped("int64", -1n),
    huge: new GoTyped("uint64", (1n << 64n) - 1n),
    surr: 0xd800n,
    maxr: 0x10ffffn,
    toobig: 0x110000n,
    f: 1.5,
    fz: 0,
    fneg: -2.25,
    ftiny: 5e-324,
    fbig: 1e300,
    third: 1 / 3,
    f32: new GoTyped("float32", Math.fround(0.1)),
    nan: Number.NaN,
    inf: Number.POSITIVE_INFINITY,
    ninf: Number.NEGATIVE_INFINITY,
    fint: 100,
    negz: -0,
    c: new GoComplex(1.5, -2),
    t: true,
    fa: false,
    nil: null,
    num: new JsonNumber("12.50"),
    numbad: new JsonNumber(latin("1\xff")),
    m: { b: 1n, a: latin("x\xff"), [latin("\xffk")]: true },
    jsonbad: latin('"a\xffb\\u00e9\\udcff\\ud83d\\ude00"'),
    jsonkey: latin('{"k\xfe": "\xc0"}'),
    keys: {
      [latin("\x80")]: 1n,
      é: 2n,
      [latin("\xff")]: 3n,
      "\uFFFD": 4n,
      "😀": 5n,
      [latin("\xf0")]: 6n,
      z: 7n,
    },
    l: [1n, latin("two\xfe"), 3.5, null],
    ls: typedSlice("string", ["x", latin("y\xff")]),
    bs: typedSlice("uint8", [u8(0x61), u8(0xff), u8(0x62)]),
    nilbs: typedNil("[]uint8"),
  };
}

const funcs = (ctx: FuncContext): FuncMap => ({
  ...createFuncs(ctx),
  data: { signature: "func() interface {}", fn: () => data() },
});

/** Our result as Go bytes: the output, or "ERR " and the error text. */
function run(src: Uint8Array): Uint8Array {
  let text: string;
  try {
    text = compile(decodeGoBytes(src), { name: "" }, funcs).execute(noDeps, host).output;
  } catch (e) {
    return Buffer.concat([Buffer.from("ERR "), encodeGoString((e as Error).message)]);
  }
  return encodeGoString(text);
}

function expected(c: Golden): Uint8Array {
  if (c.out !== undefined) return encodeGoString(c.out);
  if (c.outB64 !== undefined) return b64(c.outB64);
  const err = c.err !== undefined ? encodeGoString(c.err) : b64(c.errB64!);
  return Buffer.concat([Buffer.from("ERR "), err]);
}

/** Bytes shown as a Go-quoted string, so a failure names the exact bytes. */
function show(b: Uint8Array): string {
  let s = "";
  for (const x of b)
    s +=
      x >= 0x20 && x < 0x7f && x !== 0x5c ? String.fromCharCode(x) : `\\x${x.toString(16).padStart(2, "0")}`;
  return s;
}

describe("Go text/template goldens, byte for byte", () => {
  expect(goldens.cases.length).toBeGreaterThan(500);
  for (const c of goldens.cases) {
    const src = c.tpl !== undefined ? encodeGoString(c.tpl) : b64(c.tplB64!);
    test(c.name, () => {
      expect(show(run(src))).toBe(show(expected(c)));
    });
  }
});
