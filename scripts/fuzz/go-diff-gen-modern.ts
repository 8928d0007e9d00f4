/**
 * go-diff.ts's `modern` generator: aimed at what text/template gained or changed in Go 1.24–1.26 and at spots the other
 * generators hit weakly:
 *  - {{else with}} chains (mixed with else if / else, declarations, errors)
 *  - range over integers: untyped consts, typed ints (parseInt → int64, parseUint → uint64, len → int,
 *    CT arith), negative / zero, rune consts, $i / $i,$v (error), break/continue, else branches
 *  - break/continue inside with/if inside range and inside the else of (nested) ranges
 *  - multi-line {{/* ... *\/}} comments before parse errors (line numbers), trim markers next to comments
 *  - custom delimiters (with parse and exec errors)
 *  - missingkey=error on nested maps and nil data
 *  - `call` with piped values
 */

import { Rng } from "../goldens/gotemplate/random.ts";

export interface Case6 {
  id: string;
  tpl: string;
  data?: string;
  missingkey?: "error";
  delims?: [string, string];
}

type Gen = (r: Rng) => Omit<Case6, "id">;

// Values usable as a with/if condition.
const COND = [
  ".str",
  ".empty",
  ".num",
  ".zero",
  ".nil",
  ".missing",
  ".list",
  ".emptyList",
  ".map",
  ".emptyMap",
  ".t",
  ".f",
  ".nested.x",
  ".nested.x.y.z",
  ".nested.q",
  ".map.a",
  ".map.zz",
  "0",
  "1",
  '""',
  '"s"',
  "nil",
  "true",
  "false",
  '(parseInt "0")',
  '(parseUint "0")',
  '(parseInt "-1")',
  "(index .mixed 4)",
  "(index .mixed 5)",
  "$",
  ".",
  '(secret "kv/app").Data.data.user',
  '(split "" ",")',
  "(len .list)",
  "(eq .num 42)",
];
// Values ranged over.
const RANGEV = [
  "0",
  "1",
  "3",
  "-1",
  "-3",
  "'\\x02'",
  "0x3",
  "0b11",
  "0o3",
  "1_0",
  "3.0",
  "2.5",
  "1e1",
  "1i",
  "true",
  "nil",
  '"abc"',
  '""',
  '(parseInt "3")',
  '(parseInt "-2")',
  '(parseInt "0")',
  '(parseUint "3")',
  '(parseUint "0")',
  "(len .list)",
  "(len .emptyList)",
  "(add 1 2)",
  "(subtract 5 3)",
  "(multiply 2 2)",
  "(divide 2 6)",
  "(modulo 2 5)",
  "(add 1.5 1)",
  "(maximum 2 4)",
  "(minimum 2 4)",
  ".num",
  ".zero",
  ".neg",
  ".list",
  ".emptyList",
  ".map",
  ".emptyMap",
  ".nil",
  ".missing",
  ".str",
  ".t",
  "(loop 3)",
  "(loop 0)",
  '(parseFloat "2")',
  '(parseBool "true")',
  '(split "a,b" ",")',
  "(index .nums 0)",
  "(print 3)",
  '(parseJSON "3")',
  '(parseJSON "[1,2]")',
  '(parseYAML "3")',
  "(scratch)",
  '(secret "kv/app").LeaseDuration',
  '(parseInt "-9223372036854775808")',
  '(parseUint "1")',
  '(divide 1000 (secret "kv1/db").LeaseDuration)',
  '(secret "kv/app").Data.data.port',
  '(secret "kv/app").Warnings',
  "(explodeMap .slashes)",
];
const BODY = [
  "{{.}}",
  "{{$}}",
  "x",
  '{{printf "%T" .}}',
  '{{printf "%v," .}}',
  "{{. | print}}",
  "{{add . 1}}",
  "{{if eq . 1}}{{break}}{{end}}{{.}}",
  "{{if eq . 1}}{{continue}}{{end}}{{.}}",
  "{{with .}}{{.}}{{else}}z{{end}}",
  "{{len .}}",
  "{{index . 0}}",
  "{{.x}}",
  "{{break}}",
  "{{continue}}",
  "{{range .}}{{.}}{{end}}",
  '{{template "t" .}}',
  '{{printf "%d" .}}',
  "{{lt . 2}}",
  "{{eq . 0}}",
  "{{- . -}}",
];
const DELIMS: [string, string][] = [
  ["[[", "]]"],
  ["<%", "%>"],
  ["{%", "%}"],
  ["<<", ">>"],
  ["{{{", "}}}"],
  ["(", ")"],
  ["#", "#"],
  ["${", "}"],
  ["[", "]"],
  ["{{", "}}"],
  ["<!--", "-->"],
  ["@", "@"],
  ["/*", "*/"],
  ["-", "-"],
  ["{", "}"],
  ["|", "|"],
  ["ab", "cd"],
  ["é", "ü"],
];
const MK = [
  "missing",
  "x",
  "a",
  "b",
  "c",
  "z",
  "y",
  "nested",
  "map",
  "str",
  "nil",
  "list",
  "Upper",
  "with space",
];

function gen(r: Rng, depth = 0): string {
  // A small template fragment for bodies.
  if (depth > 2 || r.chance(0.4)) return r.pick(BODY);
  const k = r.int(5);
  if (k === 0) return `{{range ${r.pick(RANGEV)}}}${gen(r, depth + 1)}{{end}}`;
  if (k === 1)
    return `{{with ${r.pick(COND)}}}${gen(r, depth + 1)}{{else with ${r.pick(COND)}}}${gen(r, depth + 1)}{{end}}`;
  if (k === 2) return `{{if ${r.pick(COND)}}}${gen(r, depth + 1)}{{else}}${gen(r, depth + 1)}{{end}}`;
  if (k === 3) return `${gen(r, depth + 1)}${gen(r, depth + 1)}`;
  return `{{range ${r.pick(RANGEV)}}}${gen(r, depth + 1)}{{else}}${gen(r, depth + 1)}{{end}}`;
}

const elseWith: Gen = (r) => {
  const n = 1 + r.int(4);
  let s = `{{with ${r.chance(0.3) ? "$x := " : ""}${r.pick(COND)}}}${r.pick(["{{.}}", "{{$x}}", "a", "{{$}}", "{{len .}}", "{{.a}}"])}`;
  for (let i = 0; i < n; i++) {
    const kw = r.pick([
      "else with",
      "else with",
      "else with",
      "else if",
      "else",
      "else with $y :=",
      "else with $x =",
      "else range",
    ]);
    s += `{{${kw} ${r.pick(COND)}}}${r.pick(["{{.}}", "{{$x}}", "{{$y}}", "b", "{{$}}", '{{printf "%T" .}}', "{{break}}", "{{.x}}"])}`;
  }
  if (r.chance(0.5)) s += `{{else}}${r.pick(["{{.}}", "e", "{{$x}}", "{{$y}}"])}`;
  if (r.chance(0.1)) s += `{{else}}dup`;
  if (r.chance(0.95)) s += "{{end}}";
  if (r.chance(0.1)) s += "{{end}}";
  if (r.chance(0.2)) s = `{{range .list}}${s}{{end}}`;
  if (r.chance(0.15)) s = s.replace("{{with", "{{if");
  return {
    tpl: s,
    data: r.chance(0.85) ? "std" : undefined,
    missingkey: r.chance(0.2) ? "error" : undefined,
  };
};

const rangeInt: Gen = (r) => {
  const v = r.chance(0.1) ? "'a'" : r.pick(RANGEV);
  const decl = r.pick([
    "",
    "",
    "$i := ",
    "$v := ",
    "$i, $v := ",
    "$i, $v, $w := ",
    "$i = ",
    "$_ := ",
    "$i, := ",
  ]);
  let body = r.pick(BODY);
  if (decl.includes("$i") && r.chance(0.6))
    body = r.pick([
      "{{$i}}",
      "{{$i}}{{$v}},",
      '{{printf "%T %v|" $i .}}',
      "{{if eq $i 1}}{{break}}{{end}}{{$i}}",
      "{{if lt $i 2}}{{continue}}{{end}}{{$i}}",
    ]);
  const els = r.chance(0.4) ? `{{else}}${r.pick(["E", "{{.}}", "{{break}}", "{{continue}}", "{{$i}}"])}` : "";
  let s = `{{range ${decl}${v}}}${body}${els}{{end}}`;
  if (r.chance(0.2)) s = `{{define "t"}}<{{.}}>{{end}}${s}`;
  if (r.chance(0.15)) s = `{{range ${r.pick(RANGEV)}}}${s}{{end}}`;
  if (r.chance(0.1)) s = `{{$i := 9}}${s}{{$i}}`;
  return { tpl: s, data: r.chance(0.9) ? "std" : undefined, missingkey: r.chance(0.1) ? "error" : undefined };
};

const breakCont: Gen = (r) => {
  const bc = () =>
    r.pick([
      "{{break}}",
      "{{continue}}",
      "{{- break -}}",
      "{{ continue -}}",
      "{{break 1}}",
      "{{continue .}}",
      "{{break}}{{.}}",
    ]);
  const wrap = (inner: string) =>
    r.pick([
      `{{with ${r.pick(COND)}}}${inner}{{end}}`,
      `{{if ${r.pick(COND)}}}${inner}{{end}}`,
      `{{if ${r.pick(COND)}}}a{{else}}${inner}{{end}}`,
      `{{with ${r.pick(COND)}}}a{{else with ${r.pick(COND)}}}${inner}{{end}}`,
      `{{with ${r.pick(COND)}}}a{{else}}${inner}{{end}}`,
      `{{range ${r.pick(RANGEV)}}}a{{else}}${inner}{{end}}`,
      `{{range ${r.pick(RANGEV)}}}${inner}{{end}}`,
      `{{define "d"}}${inner}{{end}}`,
      `{{block "b" .}}${inner}{{end}}`,
      `${inner}`,
    ]);
  let s = bc();
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) s = wrap(r.chance(0.5) ? `{{.}}${s}` : `${s}{{.}}`);
  s = r.pick([
    `{{range ${r.pick(RANGEV)}}}${s}-{{end}}`,
    `{{range $i, $e := .list}}${s}{{$i}}{{end}}`,
    s,
    `{{range .list2}}${s}{{end}}!`,
  ]);
  return { tpl: s, data: "std" };
};

const COMMENTS = [
  "{{/* c */}}",
  "{{/*\n*/}}",
  "{{/* a\nb\nc */}}",
  "{{- /* x\n */ -}}",
  "{{- /* x */}}",
  "{{/* x */ -}}",
  "{{/**/}}",
  "{{/*\n\n\n*/}}",
  "{{ /* c */ }}",
  "{{-/* c */-}}",
  "{{/* c */-}}",
  "{{- /* c */}}\n",
  "{{/* c\n",
  "{{/* c */ .x}}",
  "{{/* c }}",
  "{{/* {{ */}}",
  "{{/* */}}{{/* \n */}}",
];
const ERRS = [
  "{{index .list 5}}",
  "{{.str.x}}",
  '{{template "nope"}}',
  "{{len 3}}",
  "{{ 1 | .str }}",
  "{{range $i, $v := 3}}{{end}}",
  "{{range .num}}{{end}}",
  "{{ `a\nb` }}{{if}}",
  '{{ .str\n|\nprintf\n"%d" }}',
  "{{\n.str.x\n}}",
  '{{ "a" \n }}{{ .x. }}',
  "{{ .list |\n index 9 }}",
  "{{with .nil}}{{else with .str.x}}{{end}}",
  "{{if}}",
  "{{end}}",
  "{{.x",
  "{{else}}",
  "{{range}}",
  "{{with .x}}",
  "{{$u}}",
  "{{ % }}",
  '{{"unterminated}}',
  "{{ .a. }}",
  "{{break}}",
  "{{template}}",
  '{{define "x"}}',
  "{{(1}}",
  "{{ 1 2 }}",
  "{{ nosuch }}",
  "{{.x | 3}}",
  "{{ 'ab' }}",
  "{{else with .x}}",
  "{{with .x}}{{else with}}{{end}}",
  "{{if .x}}{{else with .y}}{{end}}",
  "{{range 3}}{{else with .x}}{{end}}",
  "{{with .x}}{{else if .y}}{{end}}",
];

const commentLines: Gen = (r) => {
  let s = "";
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++)
    s += r.pick(COMMENTS) + r.pick(["", "\n", "text\n", " ", "\r\n", "{{.str}}\n", "{{- 3 -}}\n"]);
  s += r.pick(ERRS);
  if (r.chance(0.4)) s += r.pick(COMMENTS) + "\n" + r.pick(ERRS);
  if (r.chance(0.2)) s = `{{define "t"}}\n${s}`;
  return { tpl: s, data: r.chance(0.5) ? "std" : undefined };
};

const trimComment: Gen = (r) => {
  const pieces = [
    " a ",
    "\n",
    " \t\n ",
    "b",
    "",
    "{{.str}}",
    "{{ 1 }}",
    "{{- 2 -}}",
    "{{-3}}",
    "{{ -3 }}",
    "{{3-}}",
    "{{- .str}}",
    "{{.str -}}",
  ];
  let s = "";
  const n = 2 + r.int(5);
  for (let i = 0; i < n; i++) s += r.chance(0.5) ? r.pick(COMMENTS) : r.pick(pieces);
  return { tpl: s, data: "std" };
};

const customDelims: Gen = (r) => {
  const [L, R] = r.pick(DELIMS);
  const a = (x: string, trimL = false, trimR = false) =>
    `${L}${trimL ? "- " : ""}${x}${trimR ? " -" : ""}${R}`;
  const frags = [
    () => a(".str"),
    () => a(" .str ", true, true),
    () => a("/* c */"),
    () => a("/* c */", true, true),
    () => a("/* c\n */"),
    () => a("if .t") + "y" + a("else with .str") + a(".") + a("end"),
    () => a("range 2") + a(".") + a("end"),
    () => a("range .list") + a('if eq . "b"') + a("break") + a("end") + a(".") + a("end"),
    () => a("index .list 5"),
    () => a(".str.x"),
    () => a('template "nope"'),
    () => a("nosuch"),
    () => a("if"),
    () => a("end"),
    () => a(".x"),
    () => a('.str | printf "%q"'),
    () => a("call .str"),
    () => a("len 3"),
    () => a('"' + R + '"'),
    () => a('"' + L + '"'),
    () => L,
    () => R,
    () => `{{.str}}`,
    () => a(".nested.x.y.z"),
    () => a("$x := 1") + a("$x"),
    () => a("$y"),
    () => `${L}.str`,
    () => a('define "t"') + a(".") + a("end") + a('template "t" 5'),
    () => a("(1"),
    () => a("1 | 2"),
    () => a("slice .str 3 1"),
    () => a("eq .list 1"),
    () => a("with .missing") + a("end"),
    () => "\n",
    () => a("else"),
    () => a("range 3") + a("else with .x") + a("end"),
    () => a("'x'"),
    () => `${L}-${R}`,
    () => `${L}- -${R}`,
    () => `${L}-.str-${R}`,
    () => `${L}-/* c */-${R}`,
    () => `${L}/* c */ -${R}`,
    () => `${L} /* c */${R}`,
    () => a("/* c */") + "\n" + a("if"),
    () => a("/*\n\n*/") + a(".str.x"),
    () => a("range $i, $v := 2") + a("end"),
    () => a("`raw" + R + "`"),
  ];
  let s = "";
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) s += r.pick(frags)();
  return {
    tpl: s,
    data: r.chance(0.85) ? "std" : undefined,
    delims: [L, R],
    missingkey: r.chance(0.25) ? "error" : undefined,
  };
};

const missingKey: Gen = (r) => {
  const path = () => {
    let p = "";
    const n = 1 + r.int(4);
    for (let i = 0; i < n; i++) p += "." + r.pick(MK.filter((m) => !m.includes(" ")));
    return p;
  };
  const root = r.pick([
    "",
    "$",
    "$m",
    "(.map)",
    '(index .nested "x")',
    '(parseJSON "{\\"a\\":{\\"b\\":null}}")',
    '(parseYAML "a: {b: 1}")',
    '(splitToMap "a=1" "," "=")',
    "(explodeMap .slashes)",
    '(secret "kv/app").Data',
    "$.nested",
  ]);
  const p = path();
  const ex = root === "" ? p : `${root}${p}`;
  const pre = root === "$m" ? "{{$m := .map}}" : "";
  const form = r.pick([
    `{{${ex}}}`,
    `{{with ${ex}}}y{{else}}n{{end}}`,
    `{{if ${ex}}}y{{end}}`,
    `{{${ex} | printf "%v"}}`,
    `{{index . "${r.pick(MK)}"}}`,
    `{{range ${ex}}}{{.}}{{end}}`,
    `{{template "t" ${ex}}}{{define "t"}}{{.${r.pick(MK)}}}{{end}}`,
    `{{and ${ex} 1}}`,
    `{{or ${ex} .missing}}`,
    `{{$v := ${ex}}}{{$v}}`,
    `{{len ${ex}}}`,
    `{{eq ${ex} nil}}`,
    `{{(${ex}).x}}`,
    `{{${ex} 1}}`,
    `{{print ${ex} .nil}}`,
    `{{with $x := ${ex}}}{{$x}}{{else with .nil}}{{.}}{{end}}`,
  ]);
  return {
    tpl: pre + form,
    data: r.chance(0.7) ? "std" : undefined,
    missingkey: r.chance(0.8) ? "error" : undefined,
  };
};

const callPiped: Gen = (r) => {
  const fn = r.pick([
    ".str",
    ".nil",
    ".missing",
    "nil",
    "1",
    ".map",
    ".list",
    "$",
    ".",
    '(index .map "a")',
    ".nested.x",
    '(secret "kv/app")',
    "(scratch)",
    "(scratch).Get",
    "print",
    '"x"',
    "(loop 1)",
    ".t",
    "$x",
    "(len .list)",
    "true",
    ".map.zz",
    "(index .mixed 4)",
    '(parseInt "1")',
  ]);
  const args = r.pick(["", " 1", " .str", " nil", " 1 2", " .missing"]);
  const pre = fn === "$x" ? "{{$x := .str}}" : "";
  const piped = r.pick(["", "", '"v" | ', ".str | ", "nil | ", ".missing | ", "1 | ", "(print 1) | "]);
  const form = r.pick([
    `{{${piped}call ${fn}${args}}}`,
    `{{${piped}call ${fn}${args} | print}}`,
    `{{with ${fn}}}{{${piped}call .${args}}}{{end}}`,
    `{{${piped}call}}`,
    `{{call ${fn} | call}}`,
    `{{(call ${fn}${args})}}`,
    `{{${fn} | call}}`,
    `{{call (call ${fn})}}`,
    `{{if call ${fn}}}x{{end}}`,
  ]);
  return {
    tpl: pre + form,
    data: r.chance(0.8) ? "std" : undefined,
    missingkey: r.chance(0.2) ? "error" : undefined,
  };
};

// Typed range variables fed to comparisons, arithmetic and CT helpers (Go 1.26 comparison wording).
const typedOps: Gen = (r) => {
  const rv = r.pick([
    "2",
    '(parseInt "2")',
    '(parseUint "2")',
    "(len .list)",
    "'\\x02'",
    "(add 1 1)",
    "(loop 2)",
    '(parseInt "-1")',
  ]);
  const o = r.pick([
    "1",
    "-1",
    "1.5",
    '"a"',
    "nil",
    ".num",
    ".float",
    '(parseUint "1")',
    '(parseInt "1")',
    "true",
    "'a'",
    ".nil",
    ".list",
    "(index .nums 0)",
    "1i",
    "$i",
    ".missing",
  ]);
  const f = r.pick([
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "add",
    "subtract",
    "multiply",
    "divide",
    "modulo",
    "maximum",
    "minimum",
    "index $.list",
    "slice $.list",
    'printf "%v%T"',
    "and",
    "or",
    "in $.nums",
    "contains",
  ]);
  const body = r.chance(0.5) ? `{{${f} . ${o}}}` : `{{${f} ${o} .}}`;
  return { tpl: `{{range $i := ${rv}}}${body},{{end}}`, data: "std" };
};

// Delimiters containing newlines, spaces or trim-marker look-alikes, with parse errors after them (line numbers).
const oddDelims: Gen = (r) => {
  const [L, R] = r.pick<[string, string]>([
    ["{{\n", "}}"],
    ["{{", "\n}}"],
    ["{{", "}}\n"],
    ["\n{{", "}}"],
    ["\n", "\n"],
    ["{{ ", "}}"],
    ["{{", " }}"],
    ["{-", "-}"],
    ["<", "->"],
    ["<-", ">"],
    ["|-", "-|"],
    ["\r\n", "\r\n"],
  ]);
  const parts = [
    `${L}.str${R}`,
    "\n",
    "x",
    `${L}/* c\n */${R}`,
    `${L}- .str -${R}`,
    `${L}if .t${R}y${L}end${R}`,
  ];
  let s = "";
  const n = r.int(4);
  for (let i = 0; i < n; i++) s += r.pick(parts);
  s += r.pick([
    `${L}if${R}`,
    `${L}.str.x${R}`,
    `${L}"a${R}`,
    `${L}.str`,
    `${L}1 2${R}`,
    `${L}end${R}`,
    "}}",
    `${L}index .list 9${R}`,
    `${L}(${R}`,
  ]);
  return { tpl: s, data: "std", delims: [L, R] };
};

const mixed: Gen = (r) => {
  let s = gen(r);
  if (r.chance(0.3)) s = `{{define "t"}}<{{.}}>{{end}}${s}`;
  if (r.chance(0.2)) s = `{{range .list}}${s}{{end}}`;
  return {
    tpl: s,
    data: r.chance(0.9) ? "std" : undefined,
    missingkey: r.chance(0.15) ? "error" : undefined,
  };
};

const GENS: [Gen, number][] = [
  [elseWith, 3],
  [rangeInt, 4],
  [breakCont, 3],
  [commentLines, 2],
  [trimComment, 1],
  [customDelims, 3],
  [missingKey, 3],
  [callPiped, 2],
  [mixed, 4],
  [typedOps, 3],
  [oddDelims, 2],
];
const TOTAL = GENS.reduce((a, [, w]) => a + w, 0);

export function gen6Cases(seed: number, count: number): Case6[] {
  const r = new Rng(seed * 7919 + 6);
  const out: Case6[] = [];
  for (let i = 0; i < count; i++) {
    let x = r.int(TOTAL);
    let g = GENS[0]![0];
    for (const [gg, w] of GENS) {
      if (x < w) {
        g = gg;
        break;
      }
      x -= w;
    }
    const c = g(r);
    const clean: Case6 = { id: `g6-${i}`, tpl: c.tpl };
    if (c.data) clean.data = c.data;
    if (c.missingkey) clean.missingkey = c.missingkey;
    if (c.delims) clean.delims = c.delims;
    out.push(clean);
  }
  return out;
}
