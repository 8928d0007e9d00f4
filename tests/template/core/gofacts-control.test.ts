/**
 * Actions that steer execution: if/else if, with/else with, range (slices, maps in byte order,
 * integers, nil, break/continue), variables and their scope, define/template/block.
 */
import { describe, expect, test } from "bun:test";
import { kv2, render, renderError } from "./gofacts-helpers.ts";

const secrets = {
  "kv/m": kv2('{"b":1,"a":2,"B":3,"_x":4,"10":5,"9":6,"é":7}'),
  "kv/l": kv2('{"list":["x","y","z"],"empty":[],"emptymap":{}}'),
};

describe("if / else", () => {
  test.each([
    ["true branch", "{{ if 1 }}y{{ else }}n{{ end }}", "y"],
    ["zero is false", "{{ if 0 }}y{{ else }}n{{ end }}", "n"],
    ["empty string is false", '{{ if "" }}y{{ else }}n{{ end }}', "n"],
    ['the string "0" is true', '{{ if "0" }}y{{ else }}n{{ end }}', "y"],
    ["0.0 is false", "{{ if 0.0 }}y{{ else }}n{{ end }}", "n"],
    ["missing value is false", "{{ if .x }}y{{ else }}n{{ end }}", "n"],
    ["else if chain", "{{ if 0 }}a{{ else if 0 }}b{{ else if 1 }}c{{ else }}d{{ end }}", "c"],
    ["dot unchanged in if", "{{ if 1 }}{{ . }}{{ end }}", "<no value>"],
    ["declared variable visible in else", "{{ if $x := 0 }}y{{ else }}{{ $x }}{{ end }}", "0"],
  ])("%s", (_n, tpl, want) => expect(render(tpl)).toBe(want));
});

describe("with / else with", () => {
  test.each([
    ["dot becomes the value", '{{ with "v" }}[{{ . }}]{{ end }}', "[v]"],
    ["empty runs else with outer dot", '{{ with "" }}a{{ else }}{{ . }}{{ end }}', "<no value>"],
    ["else with chain (newer Go)", '{{ with 0 }}a{{ else with "" }}b{{ else with 7 }}{{ . }}{{ end }}', "7"],
    ["variable declaration", '{{ with $x := "v" }}{{ $x }}{{ . }}{{ end }}', "vv"],
  ])("%s", (_n, tpl, want) => expect(render(tpl)).toBe(want));
});

describe("range", () => {
  test("over a []string", () => {
    expect(render('{{ range split "," "a,b,c" }}<{{ . }}>{{ end }}')).toBe("<a><b><c>");
  });

  test("index and element", () => {
    expect(render('{{ range $i, $v := split "," "a,b" }}{{ $i }}={{ $v }};{{ end }}')).toBe("0=a;1=b;");
  });

  test("one variable binds the element, not the index", () => {
    expect(render('{{ range $v := split "," "a,b" }}{{ $v }}{{ end }}')).toBe("ab");
  });

  test("a map is visited in byte order of its keys", () => {
    const tpl =
      '{{ with secret "kv/m" }}{{ range $k, $v := .Data.data }}{{ $k }}={{ $v }} {{ end }}{{ end }}';
    expect(render(tpl, { secrets })).toBe("10=5 9=6 B=3 _x=4 a=2 b=1 é=7 ");
  });

  test("map values only", () => {
    expect(
      render('{{ with secret "kv/m" }}{{ range .Data.data }}{{ . }}{{ end }}{{ end }}', { secrets }),
    ).toBe("5634217");
  });

  test("[]interface {} from JSON", () => {
    expect(
      render('{{ with secret "kv/l" }}{{ range .Data.data.list }}{{ . }}{{ end }}{{ end }}', { secrets }),
    ).toBe("xyz");
  });

  test.each([
    [
      "empty slice runs else",
      '{{ with secret "kv/l" }}{{ range .Data.data.empty }}x{{ else }}none{{ end }}{{ end }}',
    ],
    [
      "empty map runs else",
      '{{ with secret "kv/l" }}{{ range .Data.data.emptymap }}x{{ else }}none{{ end }}{{ end }}',
    ],
    ["missing value runs else", "{{ range .nope }}x{{ else }}none{{ end }}"],
    ["zero integer runs else", "{{ range 0 }}x{{ else }}none{{ end }}"],
  ])("%s", (_n, tpl) => expect(render(tpl, { secrets })).toBe("none"));

  test("over an integer (newer Go)", () => {
    expect(render("{{ range 4 }}{{ . }}{{ end }}")).toBe("0123");
    expect(render("{{ range $v := 3 }}{{ $v }}{{ end }}")).toBe("012");
  });

  test("over a huge integer, elements are made as the loop goes (break ends it at once)", () => {
    const t0 = performance.now();
    expect(
      render("{{ range 9223372036854775807 }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}x"),
    ).toBe("012x");
    expect(render('{{ range 100000000 }}{{ printf "%T " . }}{{ break }}{{ end }}')).toBe("int ");
    // Building the list first took 11 s for 1e8 and failed for 2^63-1; a lazy loop is instant.
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  test("an integer cannot bind two variables", () => {
    expect(renderError("{{ range $i, $v := 3 }}{{ end }}")).toBe(
      'template: :1:19: executing "" at <3>: can\'t use 3 to iterate over more than one variable',
    );
  });

  test("a string cannot be ranged over", () => {
    expect(renderError('{{ range "abc" }}{{ end }}')).toBe(
      'template: :1:9: executing "" at <"abc">: range can\'t iterate over abc',
    );
  });

  test("break and continue affect the innermost range", () => {
    expect(render("{{ range 5 }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}")).toBe("01");
    expect(render("{{ range 5 }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ . }}{{ end }}")).toBe("0134");
    expect(
      render("{{ range 2 }}{{ range 3 }}{{ if eq . 1 }}{{ break }}{{ end }}{{ . }}{{ end }}|{{ end }}"),
    ).toBe("0|0|");
  });

  test("variables declared in the body are fresh each iteration", () => {
    expect(render("{{ range 3 }}{{ $x := . }}{{ $x }}{{ end }}")).toBe("012");
  });
});

describe("variables", () => {
  test.each([
    ["declare and print", "{{ $x := 5 }}{{ $x }}", "5"],
    ["declaration prints nothing", "a{{ $x := 5 }}b", "ab"],
    ["assignment", "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", "2"],
    [
      "inner declaration shadows until end",
      "{{ $x := 1 }}{{ if 1 }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}",
      "21",
    ],
    [
      "assignment in a block changes the outer variable",
      "{{ $x := 1 }}{{ if 1 }}{{ $x = 2 }}{{ end }}{{ $x }}",
      "2",
    ],
    ["$ is the (nil) data", "{{ $ }}", "<no value>"],
    ["redeclaration in the same scope", "{{ $x := 1 }}{{ $x := 2 }}{{ $x }}", "2"],
    ["digits in names", "{{ $1 := 7 }}{{ $1 }}", "7"],
  ])("%s", (_n, tpl, want) => expect(render(tpl)).toBe(want));

  test("a defined template does not see the caller's variables", () => {
    expect(renderError('{{ $x := 1 }}{{ define "t" }}{{ $x }}{{ end }}')).toBe(
      'template: :1: undefined variable "$x"',
    );
  });
});

describe("define / template / block", () => {
  test.each([
    ["template with data", '{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" 5 }}', "[5]"],
    [
      "template without data gets nil",
      '{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" }}',
      "[<no value>]",
    ],
    ["$ inside a template is its argument", '{{ define "t" }}{{ $ }}{{ end }}{{ template "t" "a" }}', "a"],
    ["block defines and runs", '{{ block "b" 1 }}<{{ . }}>{{ end }}', "<1>"],
    [
      "recursion with a stop",
      '{{ define "r" }}{{ . }}{{ if . }}{{ template "r" (slice . 1) }}{{ end }}{{ end }}{{ template "r" "abc" }}',
      "abcbcc",
    ],
  ])("%s", (_n, tpl, want) => expect(render(tpl)).toBe(want));

  test("an unknown template is an execution error", () => {
    expect(renderError('{{ template "nope" }}')).toBe(
      'template: :1:12: executing "" at <{{template "nope"}}>: template "nope" not defined',
    );
  });

  test("endless recursion stops with Go's depth error, not a stack overflow", () => {
    expect(renderError('{{define "a"}}{{template "a"}}{{end}}{{template "a"}}')).toBe(
      'template: :1:25: executing "a" at <{{template "a"}}>: exceeded maximum template depth (100000)',
    );
  });
});
