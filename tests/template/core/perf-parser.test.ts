/**
 * The template parser after its performance rework (flat node store, batched lexer with spaces as
 * flags, plain-pipeline and item-loop fast paths with a hand-off to the general Go-faithful
 * parser): the cases where those could differ from Go's parser. Expected values are what the
 * previous object-based engine (Go's parser state for state) produced; every one matches it.
 */
import { describe, expect, test } from "bun:test";
import { compile } from "../../../src/template/index.ts";
import { host, noDeps, testFuncs } from "./helpers.ts";

function render(text: string, opts: { left?: string; right?: string; name?: string } = {}): string {
  try {
    return compile(
      text,
      { name: opts.name ?? "", leftDelim: opts.left, rightDelim: opts.right },
      testFuncs,
    ).execute(noDeps, host).output;
  } catch (e) {
    return `ERR ${(e as Error).message}`;
  }
}

// More tokens than the lexer keeps (4096), so errors after it name lines of tokens it has dropped.
const body = "{{ 1 }}\n".repeat(3000);
const cases: [string, string, { left?: string; right?: string; name?: string } | undefined, string][] = [
  [
    "block body past the lexer's buffer, then an {{else}}",
    `x\n{{block "b" .}}\n${body}{{else}}\n`,
    undefined,
    "ERR template: :2: unexpected {{else}} in block clause",
  ],
  [
    "block redefined after a long body",
    `x\n{{block "b" .}}\n${body}{{end}}{{block "b" .}}y{{end}}`,
    undefined,
    'ERR template: :3003: template: multiple definition of template "b"',
  ],
  [
    "define redefined after a long body",
    `x\n{{define "a"}}\n${body}{{end}}{{define "a"}}z{{end}}`,
    undefined,
    'ERR template: :3003: template: multiple definition of template "a"',
  ],
  [
    "stray end after a long define",
    `{{define "a"}}\n${body}{{end}}\n{{end}}`,
    undefined,
    "ERR template: :3003: unexpected {{end}}",
  ],
  [
    "error in an else after a long if body",
    `{{if 1}}\n${body}{{else}}{{ (1 | 2) }}{{end}}`,
    undefined,
    "ERR template: :3002: non executable command in pipeline stage 2",
  ],
  [
    "unterminated string after a long text",
    `{{/* c */}}\n${body}{{ "abc`,
    undefined,
    "ERR template: :3002: unterminated quoted string",
  ],
  [
    "3000 nested parentheses, one unclosed",
    `{{ ${"(".repeat(3000)}1${")".repeat(2999)} }}`,
    undefined,
    "ERR template: :1: unclosed left paren",
  ],
  [
    "undefined variable after 3000 parentheses",
    `{{ ${"(".repeat(3000)}1${")".repeat(3000)} }}\n{{ $x }}`,
    undefined,
    'ERR template: :2: undefined variable "$x"',
  ],
  [
    "error at the end of a multi-line action",
    `{{ $x := 1 }}${body}{{ $x\n = \n 2 | printf "%d" 3 4 \n @ }}`,
    undefined,
    'ERR template: :3004: unexpected "@" in operand',
  ],
  [
    "field after a dot, then spaces and a newline",
    "{{ ..x \n  -}}",
    undefined,
    'ERR template: :1: unexpected . after term "."',
  ],
  [
    "field after a string, then a newline",
    '{{ "a".b\n}}',
    undefined,
    'ERR template: :1: unexpected . after term "\\"a\\""',
  ],
  [
    "field after a number before the delimiter",
    "{{ 1.x}}",
    undefined,
    'ERR template: :1: bad number syntax: "1.x"',
  ],
  [
    "unclosed comment inside a range body",
    "{{ range .x }}{{- \nrange .y }}\t{{/* x}}/*{{ end\n}}{{ end }}",
    undefined,
    "ERR template: :2: unclosed comment in action started at :1",
  ],
  [
    "comment error inside a with body",
    "{{ with 1 }}\n{{/* a */ x}}{{end}}",
    undefined,
    "ERR template: :2: comment ends before closing delimiter in action started at :1",
  ],
  ["unclosed action inside an if", "{{if 1}}\n{{ 1", undefined, "ERR template: :2: unclosed action"],
  ["else-if chain", "{{if 0}}a{{else if 0}}b{{else if 1}}c{{else}}d{{end}}", undefined, "c"],
  ["else-with chain", "{{with 0}}a{{else with 2}}{{.}}{{else}}d{{end}}", undefined, "2"],
  ["else-if with a parenthesised condition", "{{if 0}}a{{else if (eq 1 1)}}b{{end}}", undefined, "b"],
  [
    "else-if inside with",
    "{{with 1}}a{{else if 1}}b{{end}}",
    undefined,
    "ERR template: :1: unexpected <if> in input",
  ],
  [
    "two elses",
    "{{if 1}}a{{else}}b{{else}}c{{end}}",
    undefined,
    "ERR template: :1: expected end; found {{else}}",
  ],
  [
    "two elses, the second an else-if",
    "{{if 1}}a{{else}}b{{else if 1}}c{{end}}",
    undefined,
    "ERR template: :1: expected end; found {{else}}",
  ],
  ["range declarations", "{{range $i, $v := data}}{{end}}{{range $i := 3}}{{$i}}{{end}}", undefined, "012"],
  [
    "three range declarations",
    "{{range $i, $v, $w := 3}}{{end}}",
    undefined,
    "ERR template: :1: too many declarations in range",
  ],
  [
    "declaration then an undefined variable",
    "{{$x := 1}}{{if $x}}{{$y := $x}}{{end}}{{$y}}",
    undefined,
    'ERR template: :1: undefined variable "$y"',
  ],
  [
    "variables end with their block",
    "{{if 1}}{{$x := 2}}{{end}}{{$x}}",
    undefined,
    'ERR template: :1: undefined variable "$x"',
  ],
  ["assignment and declaration in a pipeline", '{{$x := 1}}{{$x = "a" | toUpper}}{{$x}}', undefined, "A"],
  [
    "break outside range",
    "{{if 1}}{{break}}{{end}}",
    undefined,
    "ERR template: :1: {{break}} outside {{range}}",
  ],
  [
    "break and continue in range",
    "{{range $i := 5}}{{if eq $i 1}}{{continue}}{{end}}{{if eq $i 3}}{{break}}{{end}}{{$i}}{{end}}",
    undefined,
    "02",
  ],
  [
    "break in a range's else",
    "{{range 0}}{{else}}{{break}}{{end}}",
    undefined,
    "ERR template: :1: {{break}} outside {{range}}",
  ],
  [
    "template with and without a pipeline",
    '{{define "t"}}[{{.}}]{{end}}{{template "t"}}{{template "t" 1 | print}}{{template `t` "x"}}',
    undefined,
    "[<no value>][1][x]",
  ],
  ["template name with an escape", '{{define "a\\tb"}}t{{end}}{{template "a\\tb"}}', undefined, "t"],
  ["template name malformed", '{{template "a\\qb"}}', undefined, "ERR template: :1: invalid syntax"],
  [
    "undefined function in a pipeline stage",
    '{{ "x" | nofunc }}',
    undefined,
    'ERR template: :1: function "nofunc" not defined',
  ],
  [
    "non-executable second stage",
    "{{ 1 | 2 }}",
    undefined,
    "ERR template: :1: non executable command in pipeline stage 2",
  ],
  ["trailing pipe", '{{ "x" | }}', undefined, "x"],
  ["adjacent operands", '{{ print "a""b" }}', undefined, 'ERR template: :1: unexpected "\\"b\\"" in operand'],
  [
    "number literal errors",
    "{{ 0x }}{{ 1e }}{{ 9223372036854775808 }}",
    undefined,
    'ERR template: :1: illegal number syntax: "0x"',
  ],
  [
    "number literal kinds",
    "{{ 0x1F }} {{ 1e3 }} {{ 'a' }} {{ 1+2i }} {{ 017 }} {{ 1_000 }} {{ .5 }}",
    undefined,
    "31 1000 97 (1+2i) 15 1000 0.5",
  ],
  ["string literal kinds", '{{ "a\\tb" }}{{ `r\r\nr` }}{{ "\\u00e9" }}{{ "é" }}', undefined, "a\tbr\nréé"],
  ["malformed string literal", '{{ "\\z" }}', undefined, "ERR template: :1: invalid syntax"],
  ["missing value for if", "{{if}}{{end}}", undefined, "ERR template: :1: missing value for if"],
  ["unexpected EOF in a range", "{{range 1}}x", undefined, "ERR template: :1: unexpected EOF"],
  ["end at top level", "x{{end}}", undefined, "ERR template: :1: unexpected {{end}}"],
  ["else at top level", "x{{else}}", undefined, "ERR template: :1: unexpected {{else}}"],
  [
    "chain after parentheses",
    '{{ (data).x }}{{ (print "a").y }}',
    undefined,
    'ERR template: :1:24: executing "" at <"a">: can\'t evaluate field y in type string',
  ],
  ["custom delimiters", '<<if 1>>a<<else>>b<<end>> << "x" | toUpper >>', { left: "<<", right: ">>" }, "a X"],
  ["custom delimiters, trim markers", "a  <<- 1 ->>  b", { left: "<<", right: ">>" }, "a1b"],
  [
    "named template, error position",
    "a\n{{ fail }}",
    { name: "my.tpl" },
    'ERR template: my.tpl:2:3: executing "my.tpl" at <fail>: error calling fail: boom',
  ],
];

describe("parser fast paths and the general parser agree", () => {
  for (const [label, text, opts, want] of cases) {
    test(label, () => {
      expect(render(text, opts)).toBe(want);
    });
  }
});

describe("nesting", () => {
  test("blocks nest to any depth, as in Go 1.26 (the item loop keeps them in an array)", () => {
    const n = 100_000;
    expect(render(`${"{{if 1}}".repeat(n)}x${"{{end}}".repeat(n)}`)).toBe("x");
    expect(render(`${"{{with .}}".repeat(n)}x${"{{else}}e{{end}}".repeat(n)}`)).toBe("e");
    expect(render(`${"{{ range 1 }}".repeat(n)}x${"{{ end }}".repeat(n)}`)).toBe("x");
    expect(render(`a\n${"{{if 1}}\n".repeat(n)}x${"{{end}}".repeat(n)}`)).toBe(`a\n${"\n".repeat(n)}x`);
  });

  test("too deep a nesting is reported on the line where the parser was", () => {
    const parens = `a\nb\n{{ ${"(".repeat(20000)}1${")".repeat(20000)} }}`;
    expect(render(parens)).toBe("ERR template: :3: max expression depth exceeded");
  });

  test("else-if chains do not count as nesting", () => {
    const chain = `{{if 0}}${"{{else if 0}}".repeat(9000)}{{else}}y{{end}}`;
    expect(render(chain)).toBe("y");
  });
});

describe("large templates", () => {
  test("a template of more tokens than the lexer keeps renders every action", () => {
    const unit = 'a {{ 1 }} b {{- 2 -}} c {{ if 1 }}{{ "x" | toUpper }}{{ end }}\n';
    const out = render(unit.repeat(2000));
    expect(out).toBe("a 1 b2c X\n".repeat(2000));
  });

  test("an error after many tokens has the right line", () => {
    const text = `${"{{ 1 }}\n".repeat(5000)}{{ nofunc }}`;
    expect(render(text)).toBe('ERR template: :5001: function "nofunc" not defined');
  });
});
