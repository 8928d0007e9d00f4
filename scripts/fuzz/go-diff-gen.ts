/**
 * A second, independent template generator for constructs random.ts covers weakly:
 * break/continue, range over ints/strings/maps/nil, define/block/template with variables,
 * else-with / else-if chains, comments with trim markers, unusual number/char/string literals,
 * parenthesised pipelines with fields, nil chains, printf with odd verbs/flags/arg indexes,
 * index/slice on multibyte strings, mixed-kind comparisons, and/or values, deep nesting,
 * variable scoping, custom delimiters, whitespace trimming, and lexer-level mutations.
 * Used by go-diff.ts (`broad`); the cases carry no expected result: Go decides.
 */

import { Rng } from "../goldens/gotemplate/random.ts";

export interface Case2 {
  id: string;
  tpl: string;
  data?: string;
  missingkey?: "error";
  delims?: [string, string];
}

const NUMBERS = [
  "0",
  "1",
  "-1",
  "+1",
  "2",
  "3",
  "10",
  "42",
  "-0",
  "00",
  "07",
  "08",
  "010",
  "0o17",
  "0O17",
  "0b101",
  "0B11",
  "0x1F",
  "0X1f",
  "0x_1F",
  "1_000",
  "1__0",
  "_1",
  "1_",
  "0x1p-2",
  "0x1P+2",
  "0x1.8p1",
  "0x.8p0",
  "0x1p",
  "1e3",
  "1E-3",
  "1e+3",
  "1e400",
  "-1e400",
  ".5",
  "-.5",
  "5.",
  "1.5e-7",
  "2.5i",
  "1i",
  "0i",
  "-1i",
  "1e3i",
  "0x10i",
  "1.5",
  "3.0",
  "-3.0",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775808",
  "-9223372036854775809",
  "18446744073709551615",
  "18446744073709551616",
  "0xFFFFFFFFFFFFFFFF",
  "0x8000000000000000",
  "1e19",
  "123456789012345678901234567890",
  "0.1",
  "1e-400",
  "4e-324",
  "1.7976931348623157e308",
  "0x1.fffffffffffffp1023",
  "0b",
  "0x",
  "0o",
  "1.2.3",
  "1e",
  "1e+",
  "0x1g",
  "1..2",
  "--1",
  "+-1",
  "0777",
  "0_7",
  "0b_1",
  "1.5_0",
  "08.5",
  "09e1",
];
const CHARS = [
  "'a'",
  "'\\x41'",
  "'\\u00e9'",
  "'\\U0001F600'",
  "'\\n'",
  "'\\t'",
  "'\\''",
  "'\\\\'",
  "'é'",
  "'世'",
  "'\\0'",
  "'\\000'",
  "'\\101'",
  "'\\a'",
  "'\\b'",
  "'\\f'",
  "'\\v'",
  "'\\r'",
  "'\"'",
  "'ab'",
  "''",
  "'\\q'",
  "'\\x4'",
  "'\\u12'",
  "'\\U00110000'",
  "'\\uD800'",
  "'😀'",
  "' '",
  "'\\377'",
  "'\\400'",
  "'a",
  "'\\'",
];
const STRINGS = [
  '""',
  '"a"',
  '"hello"',
  '"héllo"',
  '"世界"',
  '"😀x"',
  '"\\x41\\x42"',
  '"\\u00e9"',
  '"\\U0001F600"',
  '"\\a\\b\\f\\v\\r\\n\\t"',
  '"\\101"',
  '"\\xff"',
  '"\\xc3\\xa9"',
  '"\\q"',
  '"\\x4"',
  '"a\\"b"',
  '"\\\\"',
  '"%d"',
  '"%s %v"',
  '"<>&\'\\""',
  '"a,b,c"',
  '"  sp  "',
  '"123"',
  '"-4.5"',
  '"true"',
  '"\\u2028\\u2029"',
  '"\\x00"',
  '"\\x7f"',
  '"tab\\there"',
  '"unterminated',
  "`raw`",
  "`raw\nwith newline`",
  "`a\\nb`",
  '`"q"`',
  "``",
  "`unterminated",
  "`\t`",
  "`{{`",
  "`}}`",
  "`é😀`",
];
const FIELDS = [
  ".str",
  ".empty",
  ".num",
  ".neg",
  ".zero",
  ".float",
  ".exp",
  ".big",
  ".t",
  ".f",
  ".nil",
  ".list",
  ".nums",
  ".mixed",
  ".emptyList",
  ".map",
  ".map.a",
  ".map.b",
  ".map.c",
  ".nested",
  ".nested.x",
  ".nested.x.y",
  ".nested.x.y.z",
  ".missing",
  ".missing.x",
  ".missing.x.y",
  ".nil.x",
  ".uni",
  ".keys",
  ".keys.Upper",
  ".keys.lower",
  ".keys.ünï",
  ".objs",
  ".list2",
  ".str.x",
  ".num.x",
  ".list.x",
  ".t.x",
  ".proto",
  ".proto.constructor",
  ".proto.__proto__",
  ".proto.toString",
  ".slashes",
  ".emptyMap",
  ".emptyMap.x",
  ".ctl",
  ".tabs",
  ".html",
  ".json",
  ".space",
  ".numstr",
  ".floatstr",
  ".Str",
  ".",
  "$",
  "$.str",
  "$.nested.x",
  "$.missing",
  ".map.a.x",
  ".mixed.x",
  ".keys.10",
];
const VALID_FIELDS = FIELDS.filter((f) => f !== ".keys.10");
const MULTIBYTE = ['"héllo"', '"世界abc"', '"😀x😀"', ".uni", '"a\\xffb"', '"é"', ".str", '""'];
const VERBS = [
  "d",
  "s",
  "v",
  "q",
  "x",
  "X",
  "f",
  "F",
  "e",
  "E",
  "g",
  "G",
  "t",
  "T",
  "c",
  "U",
  "o",
  "O",
  "b",
  "p",
  "w",
  "z",
  "!",
  "%",
  "+v",
  "#v",
  "h",
  "é",
  " ",
];
const FLAGS = ["", "", "", "-", "+", "#", " ", "0", "-0", "+0", "# ", "0+", "#0", "-+"];

/** The literals of NUMBERS the valid templates leave out: rejected by Go, or out of a float64's range. */
const BAD_NUMBERS = new Set([
  "08",
  "1__0",
  "_1",
  "1_",
  "0x1p",
  "1e400",
  "-1e400",
  "-9223372036854775809",
  "18446744073709551616",
  "123456789012345678901234567890",
  "1e-400",
  "0x1.fffffffffffffp1023",
  "0b",
  "0x",
  "0o",
  "1.2.3",
  "1e",
  "1e+",
  "0x1g",
  "1..2",
  "--1",
  "+-1",
  "1.5_0",
]);
const VALID_NUMBERS = NUMBERS.filter((x) => !BAD_NUMBERS.has(x));
/** The literals of CHARS that Go rejects (the valid templates leave them out). */
const BAD_CHARS = new Set([
  "'\\0'",
  "'ab'",
  "''",
  "'\\q'",
  "'\\x4'",
  "'\\u12'",
  "'\\U00110000'",
  "'\\uD800'",
  "'\\400'",
  "'a",
  "'\\'",
]);
const VALID_CHARS = CHARS.filter((x) => !BAD_CHARS.has(x));
const VALID_STRINGS = STRINGS.filter((s) => !s.includes("unterminated") && s !== '"\\q"' && s !== '"\\x4"');
const VALID_ODD = [
  "{{ ((.nested).x).y }}",
  "{{ ($).str }}",
  "{{ (.).str }}",
  "{{ $.nested.x.y.z }}",
  "{{ .nested.x.y.z.w }}",
  "{{ (1).x }}",
  "{{ (nil).x }}",
  "{{ .map.b.c }}",
  "{{ 'a' | printf \"%c\" }}",
  '{{ "%d" | printf }}',
  "{{ printf }}",
  '{{ (printf "%d" 1 | len) }}',
  "{{ 0x1p-2 }}",
  "{{ 1_000 }}",
  "{{ '\\x41' }}",
  "{{ `a\nb` }}",
  "{{ -0x10 }}",
  "{{ +0.5 }}",
  '{{ 1e3 | printf "%T" }}',
  '{{ 0x1p-2 | printf "%T %v" }}',
  "{{ 'a' | printf \"%T\" }}",
  '{{ 1i | printf "%T %v" }}',
  '{{ 1_000 | printf "%T" }}',
  '{{ 9223372036854775808 | printf "%T" }}',
  '{{ 18446744073709551615 | printf "%T" }}',
  '{{ 1e20 | printf "%T %v" }}',
  '{{ 3.0 | printf "%T %v" }}',
  '{{ -0 | printf "%T" }}',
  '{{ 0x10 | printf "%T" }}',
  '{{ 1.5i | printf "%T %v" }}',
  "{{.}}",
  "{{ $ }}",
  "{{ .ctl }}",
  "{{ .ctl | js }}",
  "{{ .ctl | html }}",
  "{{ .ctl | urlquery }}",
  '{{ printf "%q" .ctl }}',
  "{{ .str .num }}",
  "{{ nil }}",
  "{{ .keys.ünï }}",
  '{{ index .keys "with space" }}',
  "{{ .proto.__proto__ }}",
  "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
  "{{ $x := 1 }}{{ with 5 }}{{ $x := 3 }}{{ end }}{{ $x }}",
  "{{ range $i, $e := .list }}{{ if eq $i 1 }}{{ break }}{{ end }}{{ $e }}{{ end }}",
  "{{ range .nums }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ . }}{{ else }}none{{ end }}",
  "{{ range $k, $v := .keys }}{{ $k }}={{ $v }};{{ end }}",
  "{{ range $i, $c := .uni }}{{ $i }}{{ end }}",
  "{{ range 3 }}{{ . }}{{ end }}",
  "{{ range $i := 2 }}{{ $i }}{{ end }}",
  "{{ range $i, $j := 2 }}{{ end }}",
  "{{ and false (index .list 10) }}",
  "{{ or true (index .list 10) }}",
  '{{ and 1 "x" .list }}',
  '{{ or 0 "" .nil .map }}',
  "{{ or }}",
  "{{ and }}",
  "{{ not }}",
  "{{ eq }}",
  "{{ eq 1 }}",
  "{{ len }}",
  "{{ index }}",
  "{{ slice }}",
  "{{ $x := .nil }}{{ $x.a }}",
  "{{ $x := .missing }}{{ $x.a.b }}",
  '{{ (secret "nope").Data.x }}',
  "{{ with $x := .str }}{{ $x }}{{ end }}{{ $x }}",
  '{{ block "z" . }}{{ .str }}{{ end }}',
  '{{ template "z" }}',
];

/** Odd actions for the wild (mostly broken) templates: the valid ones and these. */
const ODD = [
  "{{end}}",
  "{{else}}",
  '{{ define "x" }}{{ end }}',
  "{{ }}",
  "{{-}}",
  "{{- -}}",
  "{{ - }}",
  "{{ .str | }}",
  "{{ | .str }}",
  "{{ (.str }}",
  "{{ .str) }}",
  "{{ $ := 1 }}",
  "{{ $x }}",
  "{{ $x := }}",
  "{{ .a.b. }}",
  "{{ . . }}",
  "{{ ( ) }}",
  "{{ (1 2) }}",
  '{{ "s".x }}',
  "{{ 1.x }}",
  "{{ nil.x }}",
  "{{ true.x }}",
  "{{ .list.0 }}",
  "{{ ..str }}",
  "{{ .str.. }}",
  "{{ $.}}",
  "{{ $$ }}",
  "{{ $1 }}",
  "{{ $x.y := 1 }}",
  "{{ if }}{{ end }}",
  "{{ range }}{{ end }}",
  "{{ with }}{{ end }}",
  "{{ if 1 }}",
  "{{ if 1 }}{{ else }}{{ else }}{{ end }}",
  "{{ if 1 }}{{ else if }}{{ end }}",
  "{{ range $i, $j, $k := .list }}{{ end }}",
  "{{ range $i := $j := .list }}{{ end }}",
  "{{ template }}",
  '{{ template "a" 1 2 }}',
  '{{ block "b" }}{{ end }}',
  '{{ define "d" }}',
  "{{ end 1 }}",
  "{{ else 1 }}",
  "{{ break 1 }}",
  "{{ continue }}",
  "{{ break }}",
  "{{ 1 | 2 }}",
  "{{ .str | .num }}",
  "{{ print | }}",
  "{{ $v := 1 | $w := 2 }}",
  "{{ ($v := 1) }}",
  ...VALID_ODD,
];

type Ctx = { vars: string[]; inRange: number; depth: number; inDefine: boolean };

class Gen2 {
  private defined = new Set<string>();
  private named = ["a", "b", "c", "rec"];
  private vc = 0;
  constructor(
    private readonly r: Rng,
    private readonly wild: boolean,
  ) {}

  private newVar(): string {
    const r = this.r;
    const base = r.pick(["v", "x", "é", "_", "V", "a1", "long_name"]);
    return `$${base}${this.vc++}`;
  }

  number(): string {
    return this.r.pick(this.wild ? NUMBERS : VALID_NUMBERS);
  }

  literal(): string {
    const r = this.r;
    const roll = r.next();
    if (roll < 0.35) return this.number();
    if (roll < 0.5) return r.pick(this.wild ? CHARS : VALID_CHARS);
    if (roll < 0.8) return r.pick(this.wild ? STRINGS : VALID_STRINGS);
    return r.pick(["true", "false", "nil"]);
  }

  variable(ctx: Ctx): string {
    const r = this.r;
    if (ctx.vars.length === 0 || r.chance(0.05))
      return r.pick(this.wild ? ["$", "$undef", "$.str"] : ["$", "$.str"]);
    const v = r.pick(ctx.vars);
    return r.chance(0.25) ? `${v}${r.pick([".x", ".str", ".a", ".y.z", ".nested.x"])}` : v;
  }

  operand(ctx: Ctx, depth: number): string {
    const r = this.r;
    const roll = r.next();
    if (roll < 0.32) return r.pick(this.wild ? FIELDS : VALID_FIELDS);
    if (roll < 0.55) return this.literal();
    if (roll < 0.68) return this.variable(ctx);
    if (depth < 3) {
      // Parenthesised pipeline, sometimes with a field chain on it.
      const inner = `(${this.pipeline(ctx, depth + 1)})`;
      if (r.chance(0.3))
        return `${inner}${r.pick(this.wild ? [".x", ".a", ".str", ".y.z", ".nested.x", ".Data", ".0"] : [".x", ".a", ".str", ".y.z", ".nested.x", ".Data", ".data"])}`;
      return inner;
    }
    return r.pick(FIELDS);
  }

  format(): string {
    const r = this.r;
    let f = "";
    const n = 1 + r.int(3);
    for (let i = 0; i < n; i++) {
      if (r.chance(0.3)) f += r.pick(["x", " ", "é", "|", "\\n"]);
      let spec = "%";
      spec += r.pick(FLAGS);
      if (r.chance(0.15)) spec += `[${r.int(4)}]`;
      if (r.chance(0.25)) spec += r.chance(0.3) ? "*" : String(r.int(12));
      if (r.chance(0.25)) spec += `.${r.chance(0.3) ? "*" : r.chance(0.2) ? "" : String(r.int(6))}`;
      if (r.chance(0.1)) spec += `[${1 + r.int(3)}]`;
      spec += r.pick(VERBS);
      f += spec;
    }
    if (r.chance(0.05)) f += "%";
    return `"${f}"`;
  }

  printfArg(ctx: Ctx, depth: number): string {
    const r = this.r;
    if (r.chance(0.4))
      return r.pick([
        "1",
        "-1",
        "0",
        "3.5",
        "1e3",
        "'a'",
        "1i",
        "nil",
        "true",
        '"s"',
        '"é😀"',
        ".nums",
        ".map",
        ".nested",
        ".mixed",
        ".num",
        ".big",
        ".float",
        ".nil",
        ".objs",
        ".emptyList",
        '(parseUint "7")',
        '(parseInt "-7")',
        '(parseFloat "2.5")',
        '(split "a,b" ",")',
        ".keys",
        "$",
        '(secret "kv/app")',
        '(secret "kv/app").Data',
        '(secret "kv1/db").LeaseDuration',
        '(secret "kv/app").Renewable',
        '(secret "kv/app").Warnings',
        '(secret "nope")',
        "18446744073709551615",
        "-9223372036854775808",
        '(base64Decode "/w==")',
      ]);
    return this.operand(ctx, depth);
  }

  command(ctx: Ctx, depth: number, piped: boolean): string {
    const r = this.r;
    const roll = r.next();
    const op = () => this.operand(ctx, depth);
    if (roll < 0.25 && !piped) return op();
    if (roll < 0.4) {
      const n = r.int(4);
      return [
        "printf",
        this.format(),
        ...Array.from({ length: piped ? Math.max(0, n - 1) : n }, () => this.printfArg(ctx, depth)),
      ].join(" ");
    }
    const cmds: (() => string)[] = [
      // comparisons with mixed kinds
      () =>
        `${r.pick(["eq", "ne", "lt", "le", "gt", "ge"])} ${this.cmpArg(ctx, depth)}${piped && r.chance(0.6) ? "" : ` ${this.cmpArg(ctx, depth)}`}${r.chance(0.15) ? ` ${this.cmpArg(ctx, depth)}` : ""}`,
      () =>
        `${r.pick(["and", "or"])} ${Array.from({ length: (piped ? 0 : 1) + r.int(3) }, () => this.cmpArg(ctx, depth)).join(" ")}`,
      () => `not ${piped ? "" : this.cmpArg(ctx, depth)}`,
      () =>
        `index ${piped ? "" : r.pick([...MULTIBYTE, ".list", ".map", ".nested", ".list2", ".keys", ".nil", ".missing", "nil", ".num", ".mixed", ".objs", ".proto"])} ${Array.from({ length: r.int(3) }, () => this.indexArg()).join(" ")}`,
      () =>
        `slice ${piped ? "" : r.pick([...MULTIBYTE, ".list", ".nums", ".map", ".nil", "nil", ".num", ".emptyList"])} ${Array.from({ length: r.int(4) }, () => this.indexArg()).join(" ")}`,
      () =>
        `len ${piped ? "" : r.pick([...MULTIBYTE, ".list", ".map", ".nil", "nil", ".num", ".keys", ".missing", "3", ".emptyMap", '(secret "kv/app").Data.data'])}`,
      () =>
        `${r.pick(["print", "println"])} ${Array.from({ length: r.int(4) }, () => this.printfArg(ctx, depth)).join(" ")}`,
      () =>
        `${r.pick(["html", "js", "urlquery"])} ${Array.from({ length: (piped ? 0 : 1) + r.int(2) }, () => this.printfArg(ctx, depth)).join(" ")}`,
      () =>
        `call ${piped ? "" : r.pick([".str", "nil", ".nil", ".missing", "1", "$"])} ${r.chance(0.5) ? op() : ""}`,
      () =>
        `${r.pick(["toUpper", "toLower", "trimSpace", "base64Encode", "sha256Hex", "toJSON", "parseJSON", "parseInt", "parseFloat", "parseBool", "parseUint", "toTitle"])} ${piped ? "" : this.printfArg(ctx, depth)}`,
      () =>
        `${r.pick(["add", "subtract", "multiply", "divide", "modulo", "minimum", "maximum"])} ${this.numArg(ctx, depth)}${piped ? "" : ` ${this.numArg(ctx, depth)}`}`,
      () =>
        `${r.pick(["split", "join", "trim", "trimPrefix", "replaceAll", "regexReplaceAll", "regexMatch", "contains", "in", "indent"])} ${Array.from({ length: (piped ? 1 : 2) + r.int(2) - 1 + (r.chance(0.5) ? 1 : 0) }, () => this.printfArg(ctx, depth)).join(" ")}`,
      () => `${r.pick([".str", ".num", "1", '"s"', "nil", ".nil", "$", ".missing", "true"])} ${op()}`, // arg to non-function
      () =>
        `executeTemplate ${r.pick(ctx.inDefine ? ['"nope"', "1", ".str"] : ['"a"', '"b"', '"nope"', "1", ".str", '"blk"'])}${r.chance(0.6) ? ` ${op()}` : ""}`,
      () =>
        `${r.pick(this.wild ? ["nosuchfunc", "Print", "printf", "secret", "scratch"] : ["printf", "secret", "scratch", "print"])}${r.chance(0.5) ? ` ${op()}` : ""}`,
    ];
    return r.pick(cmds)().trimEnd();
  }

  cmpArg(ctx: Ctx, depth: number): string {
    const r = this.r;
    if (r.chance(0.6))
      return r.pick([
        "1",
        "1.0",
        "-1",
        "0",
        "2.5",
        "'a'",
        "97",
        '"a"',
        '"1"',
        "true",
        "false",
        "nil",
        ".num",
        ".neg",
        ".zero",
        ".float",
        ".big",
        ".exp",
        ".str",
        ".t",
        ".f",
        ".nil",
        ".missing",
        ".list",
        ".map",
        ".nums",
        ".emptyList",
        '(parseUint "7")',
        '(parseUint "0")',
        '(parseFloat "42")',
        '(parseInt "42")',
        "(index .nums 0)",
        "(index .mixed 0)",
        "(index .mixed 2)",
        "(index .mixed 3)",
        "(len .list)",
        "1i",
        '(secret "kv/app").Data.data.port',
        '(secret "kv/app").Renewable',
        '(secret "kv1/db").LeaseDuration',
        "18446744073709551615",
        '(parseUint "18446744073709551615")',
        "$",
      ]);
    return this.operand(ctx, depth);
  }

  numArg(ctx: Ctx, depth: number): string {
    const r = this.r;
    if (r.chance(0.7))
      return r.pick([
        "1",
        "-1",
        "0",
        "2.5",
        "7",
        "'a'",
        ".num",
        ".float",
        ".big",
        '(parseUint "7")',
        '"3"',
        "nil",
        "9223372036854775807",
        "-9223372036854775808",
        "1e308",
        ".str",
        "(len .list)",
        "0x10",
        "1i",
      ]);
    return this.operand(ctx, depth);
  }

  indexArg(): string {
    return this.r.pick([
      "0",
      "1",
      "2",
      "3",
      "4",
      "5",
      "-1",
      "1.5",
      "'a'",
      '"a"',
      '"b"',
      '"x"',
      '""',
      "nil",
      '(parseUint "1")',
      "9223372036854775807",
      "18446744073709551615",
      ".num",
      ".zero",
      ".str",
      "true",
      '"with space"',
      '"10"',
    ]);
  }

  pipeline(ctx: Ctx, depth: number): string {
    const r = this.r;
    let p = "";
    if (r.chance(0.06) && ctx.vars.length > 0 && (this.wild || depth === 0)) {
      // A declaration / assignment inside a pipeline (allowed only at action level).
      p += `${r.chance(0.5) ? this.newVar() : r.pick(ctx.vars)} ${r.pick([":=", "="])} `;
    }
    p += this.command(ctx, depth, false);
    const stages = r.chance(0.3) ? 1 + r.int(3) : 0;
    for (let i = 0; i < stages; i++) p += ` | ${this.command(ctx, depth, true)}`;
    return p;
  }

  open(): string {
    if (!this.wild) return this.r.pick(["{{", "{{ ", "{{ ", "{{- ", "{{-\t", "{{-\n"]);
    return this.r.pick(["{{", "{{ ", "{{ ", "{{- ", "{{-\t", "{{-\n", "{{-"]);
  }
  close(): string {
    if (!this.wild) return this.r.pick(["}}", " }}", " }}", " -}}", "\t-}}", "\n-}}"]);
    return this.r.pick(["}}", " }}", " }}", " -}}", "\t-}}", "\n-}}", "-}}"]);
  }
  act(body: string): string {
    return `${this.open()}${body}${this.close()}`;
  }

  text(): string {
    if (!this.wild)
      return this.r.pick([
        "",
        "a",
        " ",
        "\n",
        "  \n  ",
        "\r\n",
        "x\n",
        "\t",
        "é",
        "}}",
        "-",
        "\u00a0",
        "\n\n",
        "{ ",
      ]);
    return this.r.pick([
      "",
      "a",
      " ",
      "\n",
      "  \n  ",
      "\r\n",
      "x\n",
      "\t",
      "é",
      "}}",
      "{",
      "}",
      "-",
      '{{"{{"}}',
      "\u00a0",
      "\n\n",
    ]);
  }

  comment(): string {
    const r = this.r;
    if (!this.wild)
      return r.pick([
        "{{/* c */}}",
        "{{- /* c */ -}}",
        "{{- /* c */}}",
        "{{/* c */ -}}",
        "{{/*c*/}}",
        "{{/* multi\nline */}}",
        "{{- /* multi\nline */ -}}",
        "{{/**/}}",
        "{{/* {{ }} */}}",
        "{{/*\n*/}}",
        "{{- /* c */ -}}\n",
        "{{/* a */}}{{/* b */}}",
      ]);
    return r.pick([
      "{{/* c */}}",
      "{{- /* c */ -}}",
      "{{- /* c */}}",
      "{{/* c */ -}}",
      "{{/*c*/}}",
      "{{-/* c */}}",
      "{{/* c */-}}",
      "{{ /* c */ }}",
      "{{/* multi\nline */}}",
      "{{- /* multi\nline */ -}}",
      "{{/* c */ .str}}",
      "{{/* unterminated",
      "{{/* c * /}}",
      "{{/**/}}",
      "{{/* {{ }} */}}",
      "{{/* c */ }}",
      "{{ /* c */}}",
      "{{- /* c */ -}}\n",
      "{{/*\n*/}}",
      "{{/* a */}}{{/* b */}}",
      "{{ /**/ -}}",
    ]);
  }

  block(ctx: Ctx, n: number): string {
    const inner: Ctx = { ...ctx, vars: [...ctx.vars], depth: ctx.depth + 1 };
    let s = "";
    for (let i = 0; i < n; i++) s += this.item(inner);
    return s;
  }

  item(ctx: Ctx): string {
    const r = this.r;
    const roll = r.next();
    if (roll < 0.1) return this.text();
    if (roll < 0.16) return this.comment();
    if (roll < 0.42 || ctx.depth >= 4) return this.act(this.pipeline(ctx, 0));
    if (roll < 0.5) {
      const v = this.newVar();
      const s = this.act(`${v} := ${this.pipeline(ctx, 0)}`);
      ctx.vars.push(v);
      return s;
    }
    if (roll < 0.54 && ctx.vars.length > 0) return this.act(`${r.pick(ctx.vars)} = ${this.pipeline(ctx, 0)}`);
    if (roll < 0.64) {
      // if / else if / else with / else chains
      let s = this.act(`if ${this.pipeline(ctx, 0)}`) + this.block(ctx, 1 + r.int(2));
      const n = r.int(4);
      for (let i = 0; i < n; i++) {
        const kind = r.pick(
          this.wild ? ["else if", "else with", "else if", "else"] : ["else if", "else if", "else"],
        );
        if (kind === "else") {
          s += this.act("else") + this.block(ctx, 1 + r.int(2));
          break;
        }
        s += this.act(`${kind} ${this.pipeline(ctx, 0)}`) + this.block(ctx, 1 + r.int(2));
      }
      return s + this.act("end");
    }
    if (roll < 0.7) {
      let s =
        this.act(`with ${r.chance(0.3) ? `${this.newVar()} := ` : ""}${this.pipeline(ctx, 0)}`) +
        this.block(ctx, 1 + r.int(2));
      const n = r.int(3);
      for (let i = 0; i < n; i++) {
        const kind = r.pick(this.wild ? ["else with", "else", "else if"] : ["else with", "else"]);
        if (kind === "else") {
          s += this.act("else") + this.block(ctx, 1);
          break;
        }
        s += this.act(`${kind} ${this.pipeline(ctx, 0)}`) + this.block(ctx, 1);
      }
      return s + this.act("end");
    }
    if (roll < 0.82) {
      const over = r.chance(0.7)
        ? r.pick([
            ".list",
            ".nums",
            ".map",
            ".keys",
            ".slashes",
            ".emptyList",
            ".emptyMap",
            ".nil",
            ".missing",
            ".str",
            ".num",
            "3",
            "0",
            "-2",
            "(len .list)",
            ".mixed",
            ".objs",
            ".list2",
            ".nested",
            "$",
            ".",
            "nil",
            '(secret "kv/app").Data.data',
            '(secret "kv/app").Warnings',
            '(secret "kv1/db").Warnings',
            '(split "a,b" ",")',
            "true",
            "1.5",
            '(parseUint "3")',
          ])
        : this.pipeline(ctx, 1);
      const inner: Ctx = { ...ctx, vars: [...ctx.vars], inRange: ctx.inRange + 1, depth: ctx.depth + 1 };
      let head = `range ${over}`;
      const form = r.int(5);
      if (form === 1) {
        const a = this.newVar();
        head = `range ${a} := ${over}`;
        inner.vars.push(a);
      } else if (form === 2) {
        const a = this.newVar();
        const b = this.newVar();
        head = `range ${a}, ${b} := ${over}`;
        inner.vars.push(a, b);
      } else if (form === 3 && ctx.vars.length > 0 && this.wild) {
        head = `range ${r.pick(ctx.vars)} = ${over}`; // assignment form (Go 1.23? not allowed)
      }
      let s = this.act(head);
      const n = 1 + r.int(3);
      for (let i = 0; i < n; i++) s += r.chance(0.25) ? this.breakOrContinue(inner) : this.item(inner);
      if (r.chance(0.25)) s += this.act("else") + this.block(ctx, 1);
      return s + this.act("end");
    }
    if (roll < 0.86 && (this.wild || ctx.inRange > 0)) return this.breakOrContinue(ctx);
    if (roll < 0.93 && !ctx.inDefine) {
      const name = r.pick(this.named.concat(["nope"]));
      if (name !== "nope" && name !== "") this.defined.add(name);
      const kw = r.chance(0.85) ? "template" : "block";
      if (kw === "block") {
        const bn = r.pick(["blk", "a", "blk2"]);
        return (
          this.act(`block "${bn}" ${this.pipeline(ctx, 1)}`) +
          this.block({ ...ctx, vars: [], inDefine: true }, 1 + r.int(2)) +
          this.act("end")
        );
      }
      return this.act(
        `template ${r.chance(0.9) || !this.wild ? `"${name}"` : r.pick(["`a`", ".str", "a", '"a" "b"'])}${r.chance(0.7) ? ` ${this.pipeline(ctx, 1)}` : ""}`,
      );
    }
    // Odd structural actions.
    if (!this.wild) return r.pick(VALID_ODD);
    return r.pick(ODD);
  }

  breakOrContinue(ctx: Ctx): string {
    const r = this.r;
    const kw = r.pick(["break", "continue"]);
    const wrap = r.int(4);
    if (wrap === 0) return this.act(kw);
    if (wrap === 1) return this.act(`if ${this.pipeline(ctx, 1)}`) + this.act(kw) + this.act("end");
    if (wrap === 2)
      return (
        this.act(`with ${this.pipeline(ctx, 1)}`) +
        this.act(kw) +
        this.act("else") +
        this.item(ctx) +
        this.act("end")
      );
    return (
      this.act(`if ${this.pipeline(ctx, 1)}`) +
      this.item(ctx) +
      this.act("else") +
      this.act(kw) +
      this.act("end")
    );
  }

  template(): string {
    const r = this.r;
    const ctx: Ctx = { vars: [], inRange: 0, depth: 0, inDefine: false };
    let s = "";
    const n = 1 + r.int(4);
    for (let i = 0; i < n; i++) s += this.item(ctx);
    for (const name of this.defined) {
      if (r.chance(0.05)) continue; // sometimes leave it undefined
      const dctx: Ctx = { vars: [], inRange: 0, depth: 2, inDefine: true };
      let body = "";
      if (name === "rec") {
        // Bounded recursion through a counter in the data.
        body = r.pick([
          '{{ if . }}{{ len . }}{{ template "rec" slice . 1 }}{{ end }}',
          '{{ . }}{{ if lt (len .) 5 }}{{ template "rec" print . "x" }}{{ end }}',
          '{{ template "rec" . }}',
        ]);
      } else {
        const m = 1 + r.int(2);
        for (let i = 0; i < m; i++) body += this.item(dctx);
      }
      const kw = r.chance(0.9) ? "define" : "block";
      s +=
        kw === "define"
          ? `{{ define "${name}" }}${body}{{ end }}`
          : `{{ block "${name}" . }}${body}{{ end }}`;
      if (r.chance(0.05)) s += `{{ define "${name}" }}redef{{ end }}`;
    }
    return s;
  }
}

const MUT_TOKENS = [
  "{{",
  "}}",
  "(",
  ")",
  "|",
  "$",
  '"',
  "'",
  "`",
  ".",
  ":=",
  "=",
  "-",
  " -",
  "- ",
  "/*",
  "*/",
  "\n",
  "_",
  "0x",
  "p-",
  "e",
  "i",
  "\\",
  ",",
  "else",
  "end",
  "break",
  "continue",
  "define",
  "block",
  "template",
  "range",
  "with",
  "if",
  "nil",
  "\t",
  "\r",
  "é",
  "\u0000",
  "\u00a0",
  "#",
  "@",
  "!",
  ";",
  "{",
  "}",
  "[",
  "]",
  "+",
  "*",
];

function mutate(r: Rng, t: string): string {
  if (t.length === 0) return r.pick(MUT_TOKENS);
  const at = r.int(t.length);
  switch (r.int(6)) {
    case 0:
      return t.slice(0, at) + t.slice(at + 1);
    case 1:
      return t.slice(0, at) + r.pick(MUT_TOKENS) + t.slice(at);
    case 2:
      return at + 1 < t.length ? t.slice(0, at) + t[at + 1] + t[at] + t.slice(at + 2) : t.slice(0, at);
    case 3:
      return t.slice(0, at);
    case 4: {
      const b = r.int(t.length);
      return t.slice(0, Math.min(at, b)) + t.slice(Math.max(at, b));
    }
    default:
      return t.slice(0, at) + r.pick(MUT_TOKENS) + t.slice(at + 1);
  }
}

const DELIMS: [string, string][] = [
  ["[[", "]]"],
  ["<%", "%>"],
  ["{%", "%}"],
  ["((", "))"],
  ["<<", ">>"],
  ["{{{", "}}}"],
  ["$(", ")"],
  ["@", "@"],
  ["|", "|"],
];

export function gen2Cases(seed: number, count: number): Case2[] {
  const r = new Rng(seed ^ 0x5eed2);
  const out: Case2[] = [];
  for (let i = 0; i < count; i++) {
    const wild = r.chance(0.35);
    let tpl = new Gen2(r, wild).template();
    const m = r.next();
    if (wild && m < 0.4) tpl = mutate(r, tpl);
    else if (wild && m < 0.55) tpl = mutate(r, mutate(r, tpl));
    const c: Case2 = { id: `g2${wild ? "w" : "c"}-${String(i + 1).padStart(5, "0")}`, tpl };
    const d = r.next();
    if (d < 0.8) c.data = "std";
    else if (d < 0.84) c.data = r.pick(["scalar", "number", "list", "null"]);
    if (r.chance(0.12)) c.missingkey = "error";
    if (r.chance(0.05)) {
      const [L, R] = r.pick(DELIMS);
      c.delims = [L, R];
      c.tpl = c.tpl.replaceAll("{{", L).replaceAll("}}", R);
    }
    out.push(c);
  }
  return out;
}
