import { describe, expect, test } from "bun:test";
import {
  compile,
  formatFloat,
  GoStruct,
  JsonNumber,
  sprintf,
  typedMap,
  typedNil,
  typedSlice,
} from "../../../src/template/index.ts";
import { host, noDeps, render, testFuncs } from "./helpers.ts";

const cases: [string, string][] = [
  // text, trim markers, comments
  ["hello", "hello"],
  ["a  {{- 3 -}}  b", "a3b"],
  ["a \n\t{{- 3 }} \n", "a3 \n"],
  ["{{-3}}", "-3"],
  ["{{- 3}}", "3"],
  ["{{/* c */}}x", "x"],
  ["a {{- /* c */ -}} b", "ab"],
  ["{{ /* c */ }}", 'ERR template: :1: unexpected "/" in command'],
  ["{{/* c */ x}}", "ERR template: :1: comment ends before closing delimiter"],
  ["{{/* c ", "ERR template: :1: unclosed comment"],
  // numbers and constants
  ["{{ 1 }}", "1"],
  ["{{ 1e6 }}", "1e+06"],
  ["{{ 2.0 }}", "2"],
  ["{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }}", "31 15 15 5 1000"],
  ["{{ 'a' }} {{ '\\n' }}", "97 10"],
  ["{{ 1+2i }} {{ 2i }}", "(1+2i) (0+2i)"],
  ["{{ 99999999999999999999 }}", 'ERR template: :1: integer overflow: "99999999999999999999"'],
  [
    "{{ 9223372036854775808 }}",
    'ERR template: :1:3: executing "" at <9223372036854775808>: 9223372036854775808 overflows int',
  ],
  ["{{ 3x }}", 'ERR template: :1: bad number syntax: "3x"'],
  ["{{ 'ab' }}", "ERR template: :1: malformed character constant: 'ab'"],
  ['{{ "a\\qb" }}', "ERR template: :1: invalid syntax"],
  ["{{ `raw\\n` }}", "raw\\n"],
  ['{{ "\\u00e9\\t" }}', "é\t"],
  // pipelines, variables
  ['{{ "b" | printf "%s-%s" "a" }}', "a-b"],
  ["{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", "2"],
  ["{{ $x }}", 'ERR template: :1: undefined variable "$x"'],
  ['{{ "a" "b" }}', 'ERR template: :1:3: executing "" at <"a">: can\'t give argument to non-function "a"'],
  ["{{ nil }}", 'ERR template: :1:3: executing "" at <nil>: nil is not a command'],
  ['{{ "x" | 1 }}', "ERR template: :1: non executable command in pipeline stage 2"],
  ['{{ "abc".x }}', 'ERR template: :1: unexpected . after term "\\"abc\\""'],
  ["{{ . }} {{ $ }} {{ .foo }} {{ .foo.bar }}", "<no value> <no value> <no value> <no value>"],
  // control structures
  ["{{ if 1 }}y{{ else }}n{{ end }}", "y"],
  ['{{ if 0 }}a{{ else if "" }}b{{ else }}c{{ end }}', "c"],
  ["{{ with 0 }}a{{ else with 2 }}{{ . }}{{ end }}", "2"],
  ["{{ if $v := 1 }}{{ $v }}{{ end }}", "1"],
  ["{{ range $v := 3 }}{{ $v }}{{ end }}", "012"],
  [
    "{{ range $i, $e := 3 }}{{ end }}",
    'ERR template: :1:19: executing "" at <3>: can\'t use 3 to iterate over more than one variable',
  ],
  ["{{ range 0 }}x{{ else }}none{{ end }}", "none"],
  ["{{ range 5 }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}", "01"],
  ["{{ range 5 }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ . }}{{ end }}", "0134"],
  [
    '{{ range "abc" }}{{ end }}',
    'ERR template: :1:9: executing "" at <"abc">: range can\'t iterate over abc',
  ],
  ["{{ break }}", "ERR template: :1: {{break}} outside {{range}}"],
  ['{{ define "x" }}X{{ . }}{{ end }}{{ template "x" 5 }}', "X5"],
  ['A\n{{ define "x" }}X{{ end }}\nB', "A\n\nB"],
  ['{{ block "b" 1 }}[{{ . }}]{{ end }}', "[1]"],
  [
    '{{ define "b" }}1{{ end }}{{ define "b" }}2{{ end }}',
    'ERR template: :1: template: multiple definition of template "b"',
  ],
  [
    '{{ template "nope" }}',
    'ERR template: :1:12: executing "" at <{{template "nope"}}>: template "nope" not defined',
  ],
  ["{{ if 1 }}", "ERR template: :1: unexpected EOF"],
  ["{{ end }}", "ERR template: :1: unexpected {{end}}"],
  ["x{{ if }}{{ end }}", "ERR template: :1: missing value for if"],
  ["{{ 1 }", 'ERR template: :1: unexpected "}" in operand'],
  ["{{ 1", "ERR template: :1: unclosed action"],
  ["{{ (1 }}", "ERR template: :1: unclosed left paren"],
  ["{{ foo }}", 'ERR template: :1: function "foo" not defined'],
  ["{{ if false }}{{ foo }}{{ end }}", 'ERR template: :1: function "foo" not defined'],
  ["{{ $x+2 }}", "ERR template: :1: bad character U+002B '+'"],
  ["{{ § }}", "ERR template: :1: unrecognized character in action: U+00A7 '§'"],
  ["{{ \uFFFD }}", "ERR template: :1: unrecognized character in action: U+FFFD '\uFFFD'"],
  ["{{\n1 }}\n{{ foo }}", 'ERR template: :3: function "foo" not defined'],
  // builtins
  ['{{ and 1 0 2 }} {{ and 1 2 }} {{ or 0 3 }} {{ or 0 "" }}|', "0 2 3 |"],
  ["{{ or 1 (fail) }}", "1"],
  ["{{ not 0 }} {{ not 1 }}", "true false"],
  ['{{ len "héllo" }} {{ index "abc" 1 }} {{ slice "abcdef" 1 3 }} {{ slice "abc" 1 }}', "6 98 bc bc"],
  ["{{ len 3 }}", 'ERR template: :1:3: executing "" at <len 3>: error calling len: len of type int'],
  [
    "{{ index 1 2 }}",
    'ERR template: :1:3: executing "" at <index 1 2>: error calling index: can\'t index item of type int',
  ],
  [
    '{{ index "abc" 5 }}',
    'ERR template: :1:3: executing "" at <index "abc" 5>: error calling index: index out of range: 5',
  ],
  [
    "{{ index nil 1 }}",
    'ERR template: :1:3: executing "" at <index nil 1>: error calling index: index of untyped nil',
  ],
  [
    '{{ slice "abc" 2 1 }}',
    'ERR template: :1:3: executing "" at <slice "abc" 2 1>: error calling slice: invalid slice index: 2 > 1',
  ],
  [
    '{{ slice "abc" 1 2 3 }}',
    'ERR template: :1:3: executing "" at <slice "abc" 1 2 3>: error calling slice: cannot 3-index slice a string',
  ],
  ['{{ print 1 2 "a" 3 "b" "c" }}', "1 2a3bc"],
  ['{{ println 1 "a" }}', "1 a\n"],
  ['{{ html "<a href=\'x\'>&\\"" }}', "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"],
  ['{{ js "a\'b<>&=\\"\\\\\\n" }}', "a\\'b\\u003C\\u003E\\u0026\\u003D\\\"\\\\\\u000A"],
  ['{{ urlquery "a b&c/é" }}', "a+b%26c%2F%C3%A9"],
  [
    "{{ eq 1 2 3 1 }} {{ eq 1 2 }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt 1 2 }} {{ ge 2 1 }}",
    "true false true true true false true",
  ],
  ['{{ lt "B" "a" }} {{ lt "10" "9" }} {{ lt "a" "é" }}', "true true true"],
  [
    "{{ eq 1 1.0 }}",
    'ERR template: :1:3: executing "" at <eq 1 1.0>: error calling eq: incompatible types for comparison: int and float64',
  ],
  [
    "{{ eq 1 }}",
    'ERR template: :1:3: executing "" at <eq 1>: error calling eq: missing argument for comparison',
  ],
  [
    "{{ lt true false }}",
    'ERR template: :1:3: executing "" at <lt true false>: error calling lt: invalid type for comparison',
  ],
  ['{{ eq .x "a" }} {{ eq .x nil }}', "false true"],
  [
    "{{ eq }}",
    'ERR template: :1:3: executing "" at <eq>: wrong number of args for eq: want at least 1 got 0',
  ],
  [
    "{{ call 1 }}",
    'ERR template: :1:3: executing "" at <call 1>: error calling call: non-function 1 of type int',
  ],
  // printf
  [
    '{{ printf "%5.2f|%-5d|%05d|%x|%X|%o|%O|%b" 3.14159 42 42 255 255 8 8 5 }}',
    " 3.14|42   |00042|ff|FF|10|0o10|101",
  ],
  [
    '{{ printf "%e|%E|%g|%G|%.3g|%t|%c|%U|%#U" 1234.5678 1234.5678 0.00001 1e21 3.14159 true 65 65 65 }}',
    "1.234568e+03|1.234568E+03|1e-05|1E+21|3.14|true|A|U+0041|U+0041 'A'",
  ],
  [
    '{{ printf "%s" 1 }}|{{ printf "%d" "x" }}|{{ printf "%d" }}|{{ printf "%d" 1 2 }}|{{ printf "%!" }}',
    "%!s(int=1)|%!d(string=x)|%!d(MISSING)|1%!(EXTRA int=2)|%!!(MISSING)",
  ],
  ['{{ printf "%v %d %s" nil nil nil }}', "<nil> %!d(<nil>) %!s(<nil>)"],
  [
    '{{ printf "%08.3f|%+d|% d|% x|%#x|%q|%#q|%+q|%x" -3.14159 5 5 "hi" "hi" "é" "a" "é" "é" }}',
    '-003.142|+5| 5|68 69|0x6869|"é"|`a`|"\\u00e9"|c3a9',
  ],
  [
    '{{ printf "%[2]s %[1]s" "a" "b" }} {{ printf "%*d|%-*d|" 4 1 3 2 }} {{ printf "%.*f" 1 2.25 }}',
    "b a    1|2  | 2.2",
  ],
  ['{{ printf "%.2f %.0f %.0f %.1f" 0.125 2.5 3.5 0.05 }}', "0.12 2 4 0.1"],
  ['{{ printf "%6.2s|%-4s|%q" "abc" "é" "a\\tb" }}', '    ab|é   |"a\\tb"'],
  ['{{ printf "%T %T %T %T %T" 1 1.5 "s" true nil }}', "int float64 string bool <nil>"],
  ['{{ printf "%v %v %v" 1e20 123456.0 1234567.0 }}', "1e+20 123456 1.234567e+06"],
  ["{{ printf 1 }}", 'ERR template: :1:10: executing "" at <1>: expected string; found 1'],
  // calling rules
  [
    '{{ (secret "x").Data.pw | toUpper }}',
    'ERR template: :1:26: executing "" at <toUpper>: invalid value; expected string',
  ],
  ['{{ with secret "x" }}{{ .Data.pw | toUpper }}{{ end }}ok', "ok"],
  ["{{ toUpper 1 }}", 'ERR template: :1:11: executing "" at <1>: expected string; found 1'],
  [
    '{{ toUpper "a" "b" }}',
    'ERR template: :1:3: executing "" at <toUpper>: wrong number of args for toUpper: want 1 got 2',
  ],
  ["{{ half 3 }} {{ half 3.0 }}", "1.5 1.5"],
  ['{{ half "3" }}', 'ERR template: :1:8: executing "" at <"3">: expected float; found "3"'],
  ["{{ fail }}", 'ERR template: :1:3: executing "" at <fail>: error calling fail: boom'],
  ['{{ join "," nil }}|', "|"],
  [
    "{{ .Data.x | toUpper }}",
    'ERR template: :1:13: executing "" at <toUpper>: invalid value; expected string',
  ],
  ['{{ printf "%s" (secret "x") }}', "%!s(<nil>)"],
  // missingkey=error
  ["{{ .foo }}", 'ERR template: :1:3: executing "" at <.foo>: nil data; no entry for key "foo"'],
  [
    '{{ (secret "x").Data.k }}',
    'ERR template: :1:11: executing "" at <"x">: nil data; no entry for key "Data"',
  ],
];

const errorKey = new Set(["{{ .foo }}", '{{ (secret "x").Data.k }}']);

describe("Go text/template core", () => {
  for (const [tpl, want] of cases) {
    test(JSON.stringify(tpl), () => {
      expect(render(tpl, { errorOnMissingKey: errorKey.has(tpl) })).toBe(want);
    });
  }
});

class Secret extends GoStruct {
  readonly goType = "*dependency.Secret";
  override readonly goFields = ["LeaseID", "Data", "Auth"];
  constructor(
    public LeaseID: string,
    public Data: Record<string, unknown>,
    public Auth: unknown = typedNil("*dependency.SecretAuth"),
  ) {
    super();
  }
}

function withData(text: string, data: unknown, errorOnMissingKey = false): string {
  const funcs = () => ({
    ...testFuncs(),
    data: { signature: "func() interface {}", fn: () => data },
  });
  return render(text, { funcs, errorOnMissingKey });
}

describe("values from Vault (json.Number, maps, structs)", () => {
  const kv = {
    data: {
      port: new JsonNumber("5432"),
      ratio: new JsonNumber("1.50"),
      zero: new JsonNumber("0"),
      b: "x",
      a: "y",
      "10": 1n,
      "9": 2n,
      é: 3n,
      nul: null,
    },
    metadata: { version: new JsonNumber("3") },
  };
  const secret = new Secret("lease", kv);
  test("json.Number prints its text, is truthy, compares as a string", () => {
    expect(
      withData(
        '{{ with data }}{{ .Data.data.ratio }} {{ if .Data.data.zero }}t{{ end }} {{ eq .Data.data.ratio "1.50" }} {{ len .Data.data.port }}{{ end }}',
        secret,
      ),
    ).toBe("1.50 t true 4");
    expect(withData("{{ with data }}{{ eq .Data.data.port 5432 }}{{ end }}", secret)).toContain(
      "incompatible types for comparison: json.Number and int",
    );
    expect(
      withData(
        '{{ with data }}{{ printf "%d|%s|%v" .Data.data.port .Data.data.port .Data.data.port }}{{ end }}',
        secret,
      ),
    ).toBe("%!d(json.Number=5432)|5432|5432");
    expect(withData("{{ with data }}{{ .Data.data.port | toUpper }}{{ end }}", secret)).toContain(
      "wrong type for value; expected string; got json.Number",
    );
  });
  test("map order is by bytes; %v of maps/slices; nil elements", () => {
    expect(
      withData("{{ with data }}{{ range $k, $v := .Data.data }}{{ $k }},{{ end }}{{ end }}", secret),
    ).toBe("10,9,a,b,nul,port,ratio,zero,é,");
    expect(withData("{{ with data }}{{ .Data.metadata }}{{ end }}", secret)).toBe("map[version:3]");
    expect(withData("{{ data }}", [1n, "a", null, 2.5])).toBe("[1 a <nil> 2.5]");
    expect(withData("{{ range data }}{{ . }},{{ end }}", [1n, null])).toBe("1,<no value>,");
  });
  test("<no value> for a missing key, error one level deeper", () => {
    expect(withData("{{ with data }}{{ .Data.nope }}{{ end }}", secret)).toBe("<no value>");
    expect(withData("{{ with data }}{{ .Data.nope.deeper }}{{ end }}", secret)).toBe(
      'ERR template: :1:23: executing "" at <.Data.nope.deeper>: nil pointer evaluating interface {}.deeper',
    );
    expect(withData("{{ with data }}{{ .Data.nope }}{{ end }}", secret, true)).toBe(
      'ERR template: :1:23: executing "" at <.Data.nope>: map has no entry for key "nope"',
    );
    expect(withData('{{ with data }}{{ index .Data "nope" }}|{{ end }}', secret, true)).toBe("<no value>|");
    expect(withData("{{ data.nul }}", { nul: null }, true)).toBe("<no value>");
  });
  test("structs: fields, pointers, typed nils, unknown fields", () => {
    expect(withData("{{ data.LeaseID }}", secret)).toBe("lease");
    expect(withData("{{ data.data }}", secret)).toBe(
      // Go names the last node it visited: the function call inside the chain.
      'ERR template: :1:3: executing "" at <data>: can\'t evaluate field data in type *dependency.Secret',
    );
    expect(withData("{{ data.Auth.ClientToken }}", secret)).toBe(
      'ERR template: :1:3: executing "" at <data>: nil pointer evaluating *dependency.SecretAuth.ClientToken',
    );
    expect(withData("{{ data }}", new Secret("l", { a: 1n }))).toBe("{l map[a:1] <nil>}");
    expect(withData("{{ print data }}", new Secret("l", {}))).toBe("&{l map[] <nil>}");
    expect(withData('{{ printf "%+v" data }}', new Secret("l", {}))).toBe(
      "&{LeaseID:l Data:map[] Auth:<nil>}",
    );
  });
  test("typed slices and maps: no implicit conversion", () => {
    expect(withData('{{ join "," data }}', typedSlice("string", ["a", "b"]))).toBe("a,b");
    expect(withData('{{ join "," data }}', ["a", "b"])).toContain(
      "wrong type for value; expected []string; got []interface {}",
    );
    expect(withData("{{ data.missing }}|", typedMap("string", { a: "x" }))).toBe("|");
    expect(withData('{{ printf "%#v %#v" data 1 }}', typedSlice("string", ["a"]))).toBe('[]string{"a"} 1');
  });
});

describe("harness", () => {
  test("custom delimiters and trim", () => {
    expect(render("a <%- 1 -%> b <%/* c */%>", { left: "<%", right: "%>" })).toBe("a1b ");
  });
  test("function_denylist replaces functions with a stub", () => {
    expect(render('{{ toUpper "a" }}', { denylist: ["to*"] })).toBe(
      'ERR template: :1:3: executing "" at <toUpper "a">: error calling toUpper: function is disabled',
    );
    expect(render("{{ if false }}{{ toUpper 1 }}{{ end }}ok", { denylist: ["*"] })).toBe("ok");
    expect(render('{{ printf "%d" 1 }}', { denylist: ["*"] })).toBe("1");
  });
  test("deep template recursion stops with Go's depth error, quickly", () => {
    const t0 = performance.now();
    expect(render('{{ define "a" }}{{ template "a" }}{{ end }}{{ template "a" }}')).toBe(
      'ERR template: :1:28: executing "a" at <{{template "a"}}>: exceeded maximum template depth (100000)',
    );
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  test("errors are redacted", async () => {
    const { redactor } = await import("../../../src/log/redact.ts");
    redactor.register("s3cr3t-value");
    expect(withData("{{ data.x }}", "s3cr3t-value")).toBe(
      'ERR template: :1:3: executing "" at <data>: can\'t evaluate field x in type string',
    );
    const msg = render('{{ range "s3cr3t-value" }}{{ end }}');
    expect(msg).toContain("range can't iterate over [redacted]");
    expect(msg).not.toContain("s3cr3t");
  });
  test("execute reports recorded dependencies", () => {
    const t = compile("{{ dep }}", { name: "n" }, (ctx) => ({
      dep: {
        signature: "func() string",
        fn: () => {
          ctx.record({ kind: "secret", path: "p", args: [], key: "secret(p)" }, false);
          return "";
        },
      },
    }));
    const r = t.execute(noDeps, host);
    expect(r.complete).toBe(false);
    expect(r.missing.map((m) => m.key)).toEqual(["secret(p)"]);
  });
});

describe("fmt", () => {
  test("float formatting", () => {
    expect(formatFloat(1e6, "g", -1)).toBe("1e+06");
    expect(formatFloat(999999.5, "g", -1)).toBe("999999.5");
    expect(formatFloat(9e-5, "g", -1)).toBe("9e-05");
    expect(formatFloat(-0, "g", -1)).toBe("-0");
    expect(formatFloat(Number.NaN, "g", -1)).toBe("NaN");
    expect(sprintf("%v %v", [Number.POSITIVE_INFINITY, 100000])).toBe("+Inf 100000");
    expect(sprintf("%6.2f|%-8.3e|", [2.345, 1234.5])).toBe("  2.35|1.234e+03|");
  });
});
