/**
 * toTitle is x/text's cases.Title(language.Und, cases.NoLower). testdata/titlecase-goldens.json
 * holds what that Go package (the version Consul Template builds with) makes of each input,
 * bytes that are not UTF-8 included (scripts/goldens/titlecase/make-table.sh, which also writes
 * the class table the implementation reads).
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { decodeGoBytes, encodeGoString } from "../../../src/template/bytes.ts";
import { goTitle } from "../../../src/template/funcs/gostrings.ts";
import { run } from "./helpers.ts";

interface Golden {
  xtext: string;
  cases: { input: string; title: string }[];
}

const goldens = (await Bun.file(join(import.meta.dir, "testdata/titlecase-goldens.json")).json()) as Golden;
const fromHex = (h: string) => decodeGoBytes(Uint8Array.from(Buffer.from(h, "hex")));
const toHex = (s: string) => Buffer.from(encodeGoString(s)).toString("hex");

describe(`toTitle matches golang.org/x/text ${goldens.xtext}`, () => {
  test("the goldens change most inputs", () => {
    const changed = goldens.cases.filter((c) => c.input !== c.title).length;
    expect(changed).toBeGreaterThan(400);
  });

  test("every input", () => {
    const mismatches = goldens.cases
      .map((c) => ({ input: c.input, go: c.title, ours: toHex(goTitle(fromHex(c.input))) }))
      .filter((m) => m.go !== m.ours)
      .map((m) => ({ input: fromHex(m.input), go: fromHex(m.go), ours: fromHex(m.ours) }));
    expect(mismatches).toEqual([]);
  });
});

describe("toTitle word rules", () => {
  test("a colon, dot or apostrophe continues a word; two in a row end it", () => {
    expect(goTitle("exp:1e3")).toBe("Exp:1e3");
    expect(goTitle("o'neil a.b a..b a::b")).toBe("O'neil A.b A..B A::B");
  });

  test("a word starts at its first cased letter; other punctuation breaks", () => {
    expect(goTitle("123abc _x a1b a,b a-b a/b")).toBe("123Abc _X A1b A,B A-B A/B");
  });

  test("special title cases and letters already in title case", () => {
    expect(goTitle("ßa ǆx ǅx ﬁx")).toBe("Ssa ǅx ǅx Fix");
  });

  test("the rest of a word is left as it is (NoLower)", () => {
    expect(goTitle("hELLO wORLD")).toBe("HELLO WORLD");
  });

  test("through the template function", () => {
    expect(run('{{ toTitle "exp:1e3 hello world" }}')).toBe("Exp:1e3 Hello World");
  });
});
