/**
 * Two ways the parser keeps large templates small (parse.ts): a plain decimal literal of up to 9
 * digits lives in its Number node (Nodes.num makes its NumberInfo only when something needs it),
 * and repeated short texts share one string (Nodes.text). Neither may change what a template
 * renders or how it fails: the expected results were produced by Go 1.23's text/template.
 */
import { describe, expect, test } from "bun:test";
import { compile } from "../../../src/template/index.ts";
import { N, Nodes, parseTemplates, STRIDE } from "../../../src/template/parse.ts";
import { host, noDeps, testFuncs } from "./helpers.ts";

function render(text: string): string {
  try {
    return `OUT ${compile(text, { name: "t" }, testFuncs).execute(noDeps, host).output}`;
  } catch (e) {
    return `ERR ${(e as Error).message}`;
  }
}

describe("decimal literals kept in the node", () => {
  const cases: [string, string][] = [
    // 9 digits are kept in the node, 10 are not; 007 and 1_000 are not plain decimals.
    [
      "{{ 0 }} {{ 7 }} {{ 42 }} {{ 999999999 }} {{ 1234567890 }} {{ 007 }} {{ 1_000 }}",
      "OUT 0 7 42 999999999 1234567890 7 1000",
    ],
    ['{{ printf "%T %T %T" 0 999999999 1234567890 }}', "OUT int int int"],
    // Parameters of type int take them through NumberInfo (evalConstantArg).
    ['{{ slice "abcdef" 1 3 }} {{ index "abc" 2 }}', "OUT bc 99"],
    ['{{ printf "%.2f" 3 }}', "OUT %!f(int=03)"],
    [
      '{{ index "abc" 5 }}',
      'ERR template: t:1:3: executing "t" at <index "abc" 5>: error calling index: index out of range: 5',
    ],
    ["{{ if 0 }}yes{{ else }}no{{ end }} {{ eq 1 1 }} {{ lt 1 2 }}", "OUT no true true"],
    ['{{ 5 | printf "%d-%d" 4 }}', "OUT 4-5"],
    // Around the executor's table of shared small ints.
    ['{{ 1023 }} {{ 1024 }} {{ 1025 | printf "%d" }}', "OUT 1023 1024 1025"],
    ["{{ len 3 }}", 'ERR template: t:1:3: executing "t" at <len 3>: error calling len: len of type int'],
    // Node strings (error contexts) show the literal.
    ["{{ 3 3 }}", 'ERR template: t:1:3: executing "t" at <3>: can\'t give argument to non-function 3'],
    ["{{ 42.x }}", 'ERR template: t:1: bad number syntax: "42.x"'],
    ["{{ html 12 }}", "OUT 12"],
  ];
  for (const [text, expected] of cases) {
    test(text, () => expect(render(text)).toBe(expected));
  }

  test("no NumberInfo is made for them at parse time", () => {
    const text = Array.from({ length: 500 }, (_, i) => `{{ if ${i} }}${i}{{ end }}`).join("");
    const { nodes } = parseTemplates("t", text, "", "", () => -1);
    expect(nodes.nums.length).toBe(0);
    expect(render(text)).toBe(`OUT ${Array.from({ length: 499 }, (_, i) => i + 1).join("")}`);
  });
});

describe("repeated texts share a string", () => {
  test("a dense template's texts are stored once", () => {
    const line = 'key = "{{ "v" }}"  # comment\n';
    const text = line.repeat(2000);
    const { nodes } = parseTemplates("t", text, "", "", () => -1);
    // 'key = "', '"  # comment\n' and the string literal "v": not one entry per copy.
    expect(nodes.strs.length).toBeLessThan(10);
    expect(render(text)).toBe(`OUT ${'key = "v"  # comment\n'.repeat(2000)}`);
  });

  test("texts the cache's hash cannot tell apart stay distinct", () => {
    // Same length, first, middle and last characters: the same slot in the cache.
    const texts = ["axcxe", "aycxe", "azcze", "axcxe", "aycxe"];
    const text = texts.map((t, i) => `${t}{{ ${i} }}`).join("");
    expect(render(text)).toBe(`OUT ${texts.map((t, i) => `${t}${i}`).join("")}`);
  });

  test("long texts and texts cut by trim markers", () => {
    const long = "x".repeat(200);
    const text = `${long}{{ 1 }}${long}{{ 2 }}${long}y{{ 3 }}  a  {{- 4 -}}  a  {{ 5 }} a{{ 6 }}`;
    expect(render(text)).toBe(`OUT ${long}1${long}2${long}y3  a4a  5 a6`);
  });
});

describe("a large node store is zeroed as it is used", () => {
  test("every new node's slots are 0, whatever the store held before", () => {
    const nodes = new Nodes({ name: "t", text: "" }, 100_000);
    // The store is not initialised past `zeroed`: put garbage there, as a recycled buffer may hold.
    nodes.d.fill(-1, nodes.zeroed);
    let bad = 0;
    // Through several zeroing chunks and two doublings of the store.
    for (let i = 0; i < 500_000; i++) {
      const n = nodes.alloc(N.Text, i);
      for (let k = 2; k < STRIDE; k++) if (nodes.d[n + k] !== 0) bad++;
      if (i % 70_000 === 0) nodes.d.fill(-1, nodes.zeroed);
    }
    expect(bad).toBe(0);
    expect(nodes.d.length).toBeGreaterThanOrEqual(500_002 * STRIDE);
  });

  test("a template denser than the store's estimate renders as its pieces do", () => {
    // Mostly distinct literals (4 nodes per 7 characters; the estimate is 1 per 3): the store grows
    // while lazily zeroed. The repeated if/else and len actions come from the action cache.
    const pieces: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      pieces.push(i % 10 === 0 ? "{{ if 1 }}y{{else}}n{{end}}" : i % 10 === 5 ? '{{"s"|len}}' : `{{${i}}}`);
    }
    const whole = pieces.join("");
    expect(whole.length).toBeGreaterThan(400_000);
    const expected = pieces.map((p) => render(p).slice(4)).join("");
    expect(render(whole)).toBe(`OUT ${expected}`);
    const parsed = parseTemplates("t", whole, "", "", (n) => (n === "len" ? 0 : -1));
    expect(parsed.nodes.top / STRIDE).toBeGreaterThan(whole.length / 3);
  });
});
