/**
 * Go's builtin functions: and/or/not, len/index/slice, html/js/urlquery, comparisons, call, and
 * the print family with Go's fmt rules.
 */
import { describe, expect, test } from "bun:test";
import { kv2, render, renderError } from "./gofacts-helpers.ts";

const secrets = { "kv/x": kv2('{"list":["a","b"],"m":{"k":"v"},"port":5432}') };
const err = (at: string, msg: string) => `template: :1:3: executing "" at <${at}>: ${msg}`;

describe("and / or / not", () => {
  test.each([
    ["and returns the first empty operand", "{{ and 1 0 2 }}", "0"],
    ["and returns the last operand", '{{ and 1 "x" }}', "x"],
    ["or returns the first non-empty operand", '{{ or 0 "" "fb" }}', "fb"],
    ["or returns the last operand", '{{ or 0 "" }}', ""],
    ["or as a default for a missing value", '{{ or .nope "default" }}', "default"],
    ["and short-circuits (the failing call is never made)", '{{ and 0 (fail "x") }}', "0"],
    ["or short-circuits", '{{ or 1 (fail "x") }}', "1"],
    ["not", '{{ not 0 }} {{ not "a" }}', "true false"],
    ["a piped operand is the last one", "{{ 0 | and 1 }}", "0"],
  ])("%s", (_n, tpl, want) => expect(render(tpl)).toBe(want));

  test("not takes exactly one argument", () => {
    expect(renderError("{{ not 1 2 }}")).toBe(err("not", "wrong number of args for not: want 1 got 2"));
  });
});

describe("len / index / slice", () => {
  test.each([
    ["len counts bytes", '{{ len "héllo" }}', "6"],
    ["len of a slice", '{{ len (split "," "a,b,c") }}', "3"],
    ["index of a string is a byte", '{{ index "abc" 1 }}', "98"],
    ["index of a slice", '{{ index (split "," "a,b,c") 2 }}', "c"],
    ["index with no keys returns the value", '{{ index "abc" }}', "abc"],
    ["slice of a string by bytes", '{{ slice "abcdef" 1 3 }}', "bc"],
    ["slice with one index", '{{ slice "abcdef" 4 }}', "ef"],
    ["slice with no index", '{{ slice "abc" }}', "abc"],
    ["slice of a slice", '{{ slice (split "," "a,b,c") 1 }}', "[b c]"],
  ])("%s", (_n, tpl, want) => expect(render(tpl)).toBe(want));

  test("index of a map and nested", () => {
    expect(render('{{ with secret "kv/x" }}{{ index .Data.data "m" "k" }}{{ end }}', { secrets })).toBe("v");
  });

  test.each([
    ["len of an int", "{{ len 3 }}", err("len 3", "error calling len: len of type int")],
    [
      "index out of range",
      '{{ index "abc" 5 }}',
      err('index "abc" 5', "error calling index: index out of range: 5"),
    ],
    [
      "index of an int",
      "{{ index 1 2 }}",
      err("index 1 2", "error calling index: can't index item of type int"),
    ],
    ["index of nil", "{{ index nil 1 }}", err("index nil 1", "error calling index: index of untyped nil")],
    [
      "slice indexes out of order",
      '{{ slice "abc" 2 1 }}',
      err('slice "abc" 2 1', "error calling slice: invalid slice index: 2 > 1"),
    ],
    [
      "3-index slice of a string",
      '{{ slice "abc" 1 2 3 }}',
      err('slice "abc" 1 2 3', "error calling slice: cannot 3-index slice a string"),
    ],
  ])("%s", (_n, tpl, want) => expect(renderError(tpl)).toBe(want));
});

describe("escaping", () => {
  test.each([
    ["html", `{{ html "<a href='x'>&\\"" }}`, "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"],
    ["js", `{{ js "a'b\\"<>&=\\\\" }}`, "a\\'b\\\"\\u003C\\u003E\\u0026\\u003D\\\\"],
    ["js control byte", '{{ js "\\x01" }}', "\\u0001"],
    ["js keeps printable non-ASCII", '{{ js "é" }}', "é"],
    ["js escapes U+2028", '{{ js "\\u2028" }}', "\\u2028"],
    ["urlquery", '{{ urlquery "a b&c=é/" }}', "a+b%26c%3D%C3%A9%2F"],
    ["urlquery joins like print", "{{ urlquery 1 2 }}", "1+2"],
  ])("%s", (_n, tpl, want) => expect(render(tpl)).toBe(want));
});

describe("comparisons", () => {
  test.each([
    ["eq ints", "{{ eq 1 1 }}", "true"],
    ["eq with several candidates", "{{ eq 1 2 3 1 }}", "true"],
    ["eq strings by bytes", '{{ eq "a" "a" }} {{ lt "B" "a" }} {{ lt "a" "é" }}', "true true true"],
    ["ne", "{{ ne 1 2 }}", "true"],
    ["lt le gt ge", "{{ lt 1 2 }}{{ le 2 2 }}{{ gt 1 2 }}{{ ge 1 2 }}", "truetruefalsefalse"],
    ["floats", "{{ lt 1.5 2.5 }}", "true"],
    ["bools", "{{ eq true true }}", "true"],
    ["a missing value equals nothing, without error", '{{ eq .nope "x" }}', "false"],
  ])("%s", (_n, tpl, want) => expect(render(tpl)).toBe(want));

  test.each([
    [
      "int vs float",
      "{{ eq 1 1.0 }}",
      err("eq 1 1.0", "error calling eq: incompatible types for comparison: int and float64"),
    ],
    [
      "string vs int",
      '{{ lt "a" 1 }}',
      err('lt "a" 1', "error calling lt: incompatible types for comparison: string and int"),
    ],
    [
      "lt on bools",
      "{{ lt true false }}",
      err("lt true false", "error calling lt: invalid type for comparison"),
    ],
    ["eq with one argument", "{{ eq 1 }}", err("eq 1", "error calling eq: missing argument for comparison")],
    ["ne takes two", "{{ ne 1 2 3 }}", err("ne", "wrong number of args for ne: want 2 got 3")],
  ])("%s", (_n, tpl, want) => expect(renderError(tpl)).toBe(want));
});

describe("call", () => {
  test("call of a non-function", () => {
    expect(renderError('{{ call "x" }}')).toBe(
      err('call "x"', 'error calling call: non-function "x" of type string'),
    );
  });
});

describe("print / printf / println", () => {
  test.each([
    ["print spaces only between non-strings", '{{ print 1 2 "a" "b" 3 }}', "1 2ab3"],
    ["println always spaces and ends in a newline", '{{ println 1 "a" }}', "1 a\n"],
    ["print of nil", "{{ print nil }}", "<nil>"],
    ["%v of a slice", '{{ printf "%v" (split "," "a,b") }}', "[a b]"],
    ["%q of a slice", '{{ printf "%q" (split "," "a,b") }}', '["a" "b"]'],
    ["%#v of a []string", '{{ printf "%#v" (split "," "a,b") }}', '[]string{"a", "b"}'],
    ["%T of a []string", '{{ printf "%T" (split "," "a") }}', "[]string"],
    ["%v of nil", '{{ printf "%v" nil }}', "<nil>"],
    ["%d %s %t", '{{ printf "%d %s %t" 42 "x" true }}', "42 x true"],
    ["%x %X %o %b", '{{ printf "%x %X %o %b" 255 255 8 5 }}', "ff FF 10 101"],
    ["%x of a string", '{{ printf "%x % x %#x" "hi" "hi" 255 }}', "6869 68 69 0xff"],
    ["%c %U", '{{ printf "%c %U" 233 233 }}', "é U+00E9"],
    [
      "width and flags",
      '{{ printf "[%5d][%-5d][%05d][%+d][% d]" 42 42 42 42 42 }}',
      "[   42][42   ][00042][+42][ 42]",
    ],
    [
      "string width and precision",
      '{{ printf "[%8s][%-8s][%.2s]" "abc" "abc" "abcdef" }}',
      "[     abc][abc     ][ab]",
    ],
    [
      "%f %e %g",
      '{{ printf "%f %.2f %e %g %g" 3.14159 3.14159 1234.5678 0.00001 1e21 }}',
      "3.141590 3.14 1.234568e+03 1e-05 1e+21",
    ],
    ["%08.3f of a negative", '{{ printf "%08.3f" -3.14159 }}', "-003.142"],
    ["round half to even", '{{ printf "%.2f %.0f %.0f" 0.125 2.5 3.5 }}', "0.12 2 4"],
    [
      "%v of floats",
      '{{ printf "%v %v %v %v" 1000000.0 100000.0 1234567.0 123456789.0 }}',
      "1e+06 100000 1.234567e+06 1.23456789e+08",
    ],
    ["%q of a string", '{{ printf "%q %+q %#q" "é" "é" "a" }}', '"é" "\\u00e9" `a`'],
    ["%*d", '{{ printf "%*d" 5 1 }}', "    1"],
    ["explicit argument index", '{{ printf "%[2]s %[1]s" "a" "b" }}', "b a"],
    ["%%", '{{ printf "100%%" }}', "100%"],
    ["wrong verb", '{{ printf "%s %d" 1 "x" }}', "%!s(int=1) %!d(string=x)"],
    ["missing argument", '{{ printf "%d" }}', "%!d(MISSING)"],
    ["extra argument", '{{ printf "%d" 1 "b" }}', "1%!(EXTRA string=b)"],
    ["nil with a verb", '{{ printf "%s %d" nil nil }}', "%!s(<nil>) %!d(<nil>)"],
    ["unknown verb", '{{ printf "%z" 1 }}', "%!z(int=1)"],
    ["complex", '{{ printf "%v" 2i }}', "(0+2i)"],
    ["%v of a bool", '{{ printf "%v" false }}', "false"],
    ["piped value is the last argument", '{{ "b" | printf "%s-%s" "a" }}', "a-b"],
  ])("%s", (_n, tpl, want) => expect(render(tpl)).toBe(want));

  test("maps print sorted as map[k:v]", () => {
    expect(render('{{ with secret "kv/x" }}{{ .Data.data }}{{ end }}', { secrets })).toBe(
      "map[list:[a b] m:map[k:v] port:5432]",
    );
  });
});
