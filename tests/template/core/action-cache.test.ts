/**
 * The parser's action cache (parse.ts, "the action cache"): a single-line action seen before is
 * found by its text and shares the first copy's pipeline nodes; statement nodes keep the shift so
 * that errors name the copy that failed. Expected messages were produced by Go 1.23's
 * text/template for the same texts. Each case runs twice: as is, and after a filler long enough
 * that every action of the case is lexed after the filler's actions were parsed (the lexer reads
 * ahead in batches, and only actions lexed after an earlier copy was parsed can hit the cache).
 */
import { describe, expect, test } from "bun:test";
import { compile } from "../../../src/template/index.ts";
import { parseTemplates } from "../../../src/template/parse.ts";
import { host, noDeps, testFuncs } from "./helpers.ts";

function render(text: string, name = "t"): string {
  try {
    return `OUT ${compile(text, { name }, testFuncs).execute(noDeps, host).output}`;
  } catch (e) {
    return `ERR ${(e as Error).message}`;
  }
}

/** A first line of 3,000 cached actions that print nothing. */
const FILLER = `${'{{ "" }}'.repeat(3000)}\n`;

/** The expected result after FILLER: one line further down. */
function afterFiller(expected: string): string {
  return expected.replace(
    /^(ERR template: t:)(\d+)/,
    (_, p: string, line: string) => `${p}${Number(line) + 1}`,
  );
}

const cases: [string, string, string][] = [
  [
    "an exec error in a later copy of an action names that copy",
    '{{ with "abc" }}{{ len . }}{{ end }}\nxx {{ with 5 }}{{ len . }}{{ end }}',
    'ERR template: t:2:18: executing "t" at <len .>: error calling len: len of type int',
  ],
  [
    "the same with arguments",
    '{{ with "abc" }}{{ index . 1 }}{{ end }}\n  {{ with 5 }}{{ index . 1 }}{{ end }}',
    'ERR template: t:2:17: executing "t" at <index . 1>: error calling index: can\'t index item of type int',
  ],
  [
    "a cached {{end}} at the top level",
    "{{ if 1 }}{{ end }}\n{{ end }}",
    "ERR template: t:2: unexpected {{end}}",
  ],
  [
    "a cached {{else}} in an else part",
    "{{ if 1 }}a{{ else }}b{{ end }}\n{{ if 1 }}a{{ else }}b{{ else }}c{{ end }}",
    "ERR template: t:2: expected end; found {{else}}",
  ],
  [
    "variables are never cached: out of scope in a later copy",
    "{{ with 1 }}{{ $y := 2 }}{{ $y }}{{ end }}\n{{ with 1 }}{{ $y }}{{ end }}",
    'ERR template: t:2: undefined variable "$y"',
  ],
  [
    "break is never cached: outside a range in a later copy",
    "{{ range 2 }}{{ break }}{{ end }}\n{{ break }}",
    "ERR template: t:2: {{break}} outside {{range}}",
  ],
  [
    "a block opened by a cached action, never closed",
    "{{ if 1 }}x{{ end }}\n\n{{ if 1 }}x{{ end }} {{ if 1 }}\n",
    "ERR template: t:4: unexpected EOF",
  ],
  ["trim markers around cached actions", 'a {{- 1 -}} b\n{{ "q" -}}  \n {{- 1 -}} b', "OUT a1b\nq1b"],
];

describe("action cache: results as Go's", () => {
  for (const [name, text, expected] of cases) {
    test(name, () => {
      expect(render(text)).toBe(expected);
    });
    test(`${name} (after a filler)`, () => {
      const out = render(FILLER + text);
      expect(out).toBe(expected.startsWith("OUT ") ? `OUT \n${expected.slice(4)}` : afterFiller(expected));
    });
  }
});

describe("action cache: sharing", () => {
  test("a later copy of an action shares the first copy's pipeline", () => {
    // Distinct actions between the two copies: the lexer reads the second only after the parser
    // has cached the first (its batches start small after an action not in the cache).
    const distinct = Array.from({ length: 40 }, (_, i) => `{{ ${i} }}`).join("");
    const text = `${FILLER}{{ len "ab" }}${distinct}{{ len "ab" }}`;
    const { trees, nodes } = parseTemplates("t", text, "", "", (n) => (n === "len" ? 0 : -1));
    const d = nodes.d;
    const actions: number[] = [];
    for (let n = d[(trees.get("t")?.root ?? 0) + 2]; n !== 0; n = d[n + 5])
      if ((d[n] & 255) === 1) actions.push(n);
    const a = actions[3000]; // after the filler's
    const b = actions[actions.length - 1];
    expect(d[b + 2]).toBe(d[a + 2]); // the same Pipe node
    expect(d[b] >> 8).toBe(d[b + 1] - d[a + 1]); // shift: how far the copy is from it
  });

  test("cached actions in a {{define}} body (the general parser's path)", () => {
    const distinct = Array.from({ length: 40 }, (_, i) => `{{ ${i} }}`).join("");
    const text =
      '{{ if 1 }}a{{ else }}b{{ end }}{{ with "abc" }}{{ len . }}{{ end }}' +
      distinct +
      '\n{{ define "d" }}{{ if 1 }}a{{ else }}b{{ end }}{{ with 5 }}{{ len . }}{{ end }}{{ end }}{{ template "d" }}';
    // Go 1.23: output "a3" + the numbers + "\na" before failing, and this error.
    expect(render(text)).toBe(
      'ERR template: t:2:62: executing "d" at <len .>: error calling len: len of type int',
    );
    const ok = text.replace("{{ with 5 }}", '{{ with "xy" }}');
    expect(render(ok)).toBe(`OUT a3${Array.from({ length: 40 }, (_, i) => i).join("")}\na2`);
  });

  test("repeating a template repeats its output (text, trims, blocks, else)", () => {
    const unit =
      'x{{ if 1 }}a{{ else }}b{{ end }}-{{- " t " -}}-{{ with "w" }}{{ . }}{{ end }}{{ range 3 }}.{{ end }}|';
    const once = render(unit);
    expect(once).toBe("OUT xa- t -w...|");
    expect(render(unit.repeat(2000))).toBe(`OUT ${"xa- t -w...|".repeat(2000)}`);
  });

  test("copies farther than a node's flags can hold get a fresh copy, still at the right place", () => {
    // The shift is kept in 23 bits: past 8 MB the cache moves to a new copy of the nodes.
    const line = `${"{{ if 1 }}{{ end }}".repeat(20)}\n`;
    const lines = Math.ceil(9_000_000 / line.length);
    const text = `{{ with "abc" }}{{ len . }}{{ end }}\n${line.repeat(lines)}{{ with 5 }}{{ len . }}{{ end }}`;
    expect(render(text)).toBe(
      `ERR template: t:${lines + 2}:15: executing "t" at <len .>: error calling len: len of type int`,
    );
  });

  test("the cache stops growing when few of its actions come again, however often those do", () => {
    const parse = (text: string) => parseTemplates("t", text, "", "", (n) => (n === "printf" ? 0 : -1));
    // Distinct actions around one {{end}} repeated 3,000 times: caching every one would not pay.
    let distinct = "";
    for (let i = 0; i < 3000; i++)
      distinct += `a {{ .x${i} }} {{ if .y${i} }}b{{ end }} {{ printf "%d" ${i} }}\n`;
    expect(parse(distinct).cachedActions).toBeGreaterThan(100);
    expect(parse(distinct).cachedActions).toBeLessThanOrEqual(256 + 2 * 1);
    // Repeated actions are all cached, and found again: the same text gives the same 4 entries.
    const repeated = 'a {{ .x }} {{ if .y }}b{{ end }} {{ printf "%d" 1 }}\n'.repeat(3000);
    expect(parse(repeated).cachedActions).toBe(4);
    // Many actions that each come back: the cache keeps taking them.
    let pairs = "";
    for (let i = 0; i < 1000; i++) pairs += `{{ .x${i} }}{{ .x${i} }}`;
    expect(parse(pairs).cachedActions).toBeGreaterThanOrEqual(1000);
  });
});
