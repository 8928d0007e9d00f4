/**
 * Pipelines, positions in multi-line and nested templates, and more of Go's fmt edge cases.
 */
import { describe, expect, test } from "bun:test";
import { kv2, render, renderError } from "./gofacts-helpers.ts";

const secrets = { "kv/x": kv2('{"pw":"hunter22","list":["a",null],"m":{"b":[1,2],"a":{"z":true}}}') };

describe("pipelines", () => {
  test.each([
    ["chained pipes", '{{ "abc" | printf "%s-%s" "x" | toUpper }}', "X-ABC"],
    ["parenthesised pipeline", '{{ (printf "%s" "a") | toUpper }}', "A"],
    ["variable holding a call result", '{{ $s := secret "kv/x" }}{{ $s.Data.data.pw }}', "hunter22"],
    ["a field chain on a call", '{{ (secret "kv/x").Data.data.pw }}', "hunter22"],
    ["a piped value into a builtin", '{{ with secret "kv/x" }}{{ .Data.data.list | len }}{{ end }}', "2"],
    ["$ inside with is still the top-level data", '{{ with secret "kv/x" }}{{ $ }}{{ end }}', "<no value>"],
  ])("%s", (_n, tpl, want) => expect(render(tpl, { secrets })).toBe(want));
});

describe("nil inside composites", () => {
  const w = (b: string) => render(`{{ with secret "kv/x" }}${b}{{ end }}`, { secrets });
  test("printed as <nil> inside a slice, <no value> as a ranged element", () => {
    expect(w("{{ .Data.data.list }}|{{ range .Data.data.list }}{{ . }},{{ end }}")).toBe(
      "[a <nil>]|a,<no value>,",
    );
  });
  test("nested maps and slices", () => {
    expect(w("{{ .Data.data.m }}")).toBe("map[a:map[z:true] b:[1 2]]");
  });
  test("%#v of []interface {}", () => {
    expect(w('{{ printf "%#v" .Data.data.list }}')).toBe('[]interface {}{"a", interface {}(nil)}');
  });
});

describe("error positions", () => {
  test("line and column on a later line", () => {
    expect(renderError('a\n  {{ fail "x" }}')).toBe(
      'template: :2:5: executing "" at <fail "x">: error calling fail: boom x',
    );
  });

  test("the executing template is the defined one", () => {
    expect(renderError('{{ define "t" }}{{ fail "x" }}{{ end }}{{ template "t" }}')).toBe(
      'template: :1:19: executing "t" at <fail "x">: error calling fail: boom x',
    );
  });

  test("block conflicts with a define of the same name", () => {
    expect(renderError('{{ define "b" }}Y{{ end }}{{ block "b" . }}X{{ end }}')).toBe(
      'template: :1: template: multiple definition of template "b"',
    );
  });
});

describe("fmt details", () => {
  test.each([
    ["%G and %e with width", '{{ printf "%5.1f|%-6.2e|%G" 3.14159 1234.5 1e-7 }}', "  3.1|1.23e+03|1E-07"],
    ["big and negative-zero floats", '{{ printf "%v %v %v" 1e20 1e21 -0.0 }}', "1e+20 1e+21 -0"],
    ["%b %o %O %#o", '{{ printf "%08b|%o|%O|%#o" 5 8 8 8 }}', "00000101|10|0o10|010"],
    [
      "%v with width and precision",
      '{{ printf "%6.2v|%10v|%-10v|" 3.14159 "ab" true }}',
      "   3.1|        ab|true      |",
    ],
    ["%t of an int", '{{ printf "%t" 1 }}', "%!t(int=1)"],
    ["%s of a bool", '{{ printf "%s" true }}', "%!s(bool=true)"],
    ["%d of a float", '{{ printf "%d" 1.5 }}', "%!d(float64=1.5)"],
    ["%x of a negative", '{{ printf "%x" -255 }}', "-ff"],
    ["%c", '{{ printf "%c%c" 72 105 }}', "Hi"],
    ["%q of an int is a char literal", '{{ printf "%q" 65 }}', "'A'"],
    ["float actions", "{{ 3.0 }} {{ 1e100 }} {{ 0.1 }} {{ 1e-7 }}", "3 1e+100 0.1 1e-07"],
    ["html formats its arguments like print", "{{ html 1 2 }}", "1 2"],
    ["empty string element prints as []", '{{ print (split "," "") }}', "[]"],
  ])("%s", (_n, tpl, want) => expect(render(tpl)).toBe(want));
});

describe("edge cases of builtins and commands", () => {
  const at = (n: string, m: string) => `template: :1:3: executing "" at <${n}>: ${m}`;
  test.each([
    [
      "len of nil recovers Go's reflect panic",
      "{{ len nil }}",
      at("len nil", "error calling len: reflect: call of reflect.Value.Type on zero Value"),
    ],
    [
      "index of a missing value",
      "{{ index .nope 1 }}",
      at("index .nope 1", "error calling index: index of untyped nil"),
    ],
    [
      "index with a string key on a string",
      '{{ index "abc" "a" }}',
      at('index "abc" "a"', "error calling index: cannot index slice/array with type string"),
    ],
    [
      "negative index",
      '{{ index (split "," "a,b") -1 }}',
      at('index (split "," "a,b") -1', "error calling index: index out of range: -1"),
    ],
    ["and needs an argument", "{{ and }}", at("and", "wrong number of args for and: want at least 1 got 0")],
    ["eq needs an argument", "{{ eq }}", at("eq", "wrong number of args for eq: want at least 1 got 0")],
    [
      "lt of a missing value",
      "{{ lt .nope 1 }}",
      at("lt .nope 1", "error calling lt: invalid type for comparison"),
    ],
    [
      "eq of slices",
      '{{ eq (split "," "a") (split "," "a") }}',
      at('eq (split "," "a") (split "," "a")', "error calling eq: non-comparable type [a]: []string"),
    ],
    [
      "a variable given arguments",
      "{{ $x := 1 }}{{ $x 2 }}",
      'template: :1:16: executing "" at <$x>: can\'t give argument to non-function $x',
    ],
    [
      "a literal as a later pipeline stage",
      "{{ 1 | 2 }}",
      "template: :1: non executable command in pipeline stage 2",
    ],
    [
      "a second else",
      "{{ if 1 }}{{ else }}{{ else }}{{ end }}",
      "template: :1: expected end; found {{else}}",
    ],
  ])("%s", (_n, tpl, want) => expect(renderError(tpl)).toBe(want));

  test.each([
    [
      "a map key given arguments",
      '{{ with secret "kv/x" }}{{ .Data.data.pw 1 }}{{ end }}',
      'template: :1:32: executing "" at <.Data.data.pw>: pw is not a method but has arguments',
    ],
  ])("%s", (_n, tpl, want) => expect(renderError(tpl, { secrets })).toBe(want));

  test.each([
    [
      "print puts no space next to a string, even around nil",
      '{{ print "a" nil "b" }}|{{ print 1 nil 2 }}',
      "a<nil>b|1 <nil> 2",
    ],
    ["eq of two nils", "{{ eq nil nil }} {{ eq .nope nil }}", "true true"],
    ["fields of nil data ignore arguments", "{{ .x 1 }}", "<no value>"],
    ["templates may be defined after use", '{{ template "x" }}{{ define "x" }}X{{ end }}', "X"],
    ["a with-declared variable is visible in else", '{{ with $x := "" }}{{ else }}[{{ $x }}]{{ end }}', "[]"],
    ["%d applies inside a slice", '{{ printf "%d" (split "," "a,b") }}', "[%!d(string=a) %!d(string=b)]"],
    ["empty print family", "{{ print }}|{{ urlquery }}", "|"],
  ])("%s", (_n, tpl, want) => expect(render(tpl)).toBe(want));
});
