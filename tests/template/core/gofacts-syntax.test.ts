/**
 * Lexing and parsing as Go's text/template does it: text, trim markers, comments, constants,
 * custom delimiters, and the parse errors Go reports (name empty, as Consul Template names it).
 */
import { describe, expect, test } from "bun:test";
import { render, renderError } from "./gofacts-helpers.ts";

describe("text and trim markers", () => {
  test.each([
    ["plain text, no actions", "hello\nworld\n", "hello\nworld\n"],
    ["empty template", "", ""],
    ["trim both sides across newlines", "a \n\t {{- 1 -}} \n b", "a1b"],
    ["left trim only", "a  {{- 1 }}  b", "a1  b"],
    ["right trim only", "a  {{ 1 -}}  b", "a  1b"],
    ["{{-3}} is the number -3, not a trim", "x {{-3}} y", "x -3 y"],
    ["{{- 3}} trims and prints 3", "x {{- 3}} y", "x3 y"],
    ["{{3 -}} trims", "x {{3 -}} y", "x 3y"],
    ["trim with a tab after the dash", "a {{-\t1\t-}} b", "a1b"],
    ["only ASCII whitespace is trimmed (NBSP stays)", "a\u00a0{{- 1 }}", "a\u00a01"],
    ["text around a define stays", 'A\n{{define "x"}}X{{end}}\nB', "A\n\nB"],
  ])("%s", (_name, tpl, want) => {
    expect(render(tpl)).toBe(want);
  });
});

describe("comments", () => {
  test.each([
    ["comment prints nothing", "a{{/* hi */}}b", "ab"],
    ["multi-line comment", "a{{/* x\ny */}}b", "ab"],
    ["trimmed comment", "a {{- /* hi */ -}} b", "ab"],
  ])("%s", (_name, tpl, want) => {
    expect(render(tpl)).toBe(want);
  });

  test("a comment must touch the delimiters", () => {
    expect(renderError("{{ /* c */ }}")).toBe('template: :1: unexpected "/" in command');
  });

  test("an unclosed comment", () => {
    expect(renderError("{{/* c ")).toBe("template: :1: unclosed comment");
  });
});

describe("constants", () => {
  test.each([
    ["decimal int", "{{ 42 }}", "42"],
    ["negative int", "{{ -3 }}", "-3"],
    ["hex", "{{ 0x1F }}", "31"],
    ["octal 0o", "{{ 0o17 }}", "15"],
    ["binary", "{{ 0b101 }}", "5"],
    ["underscores", "{{ 1_000 }}", "1000"],
    ["float in exponent form is float64", "{{ 1e6 }}", "1e+06"],
    ["float", "{{ 1.5 }}", "1.5"],
    ["float 100000.0 prints plainly", "{{ 100000.0 }}", "100000"],
    ["small float", "{{ 0.00001 }}", "1e-05"],
    ["char constant is its code point", "{{ 'a' }}", "97"],
    ["escaped char constant", "{{ '\\n' }}", "10"],
    ["complex", "{{ 1+2i }}", "(1+2i)"],
    ["true", "{{ true }}", "true"],
    ["false", "{{ false }}", "false"],
    ["interpreted string", '{{ "a\\tb" }}', "a\tb"],
    ["raw string keeps backslashes", "{{ `a\\tb` }}", "a\\tb"],
    ["raw string spans lines", "{{ `a\nb` }}", "a\nb"],
    ["unicode escape", '{{ "\\u00e9" }}', "é"],
  ])("%s", (_name, tpl, want) => {
    expect(render(tpl)).toBe(want);
  });

  test("integer literal too large for int64 or uint64", () => {
    expect(renderError("{{ 99999999999999999999 }}")).toBe(
      'template: :1: integer overflow: "99999999999999999999"',
    );
  });

  test("a uint64-only literal overflows int at execution", () => {
    expect(renderError("{{ 9223372036854775808 }}")).toBe(
      'template: :1:3: executing "" at <9223372036854775808>: 9223372036854775808 overflows int',
    );
  });

  test("nil is not a command", () => {
    expect(renderError("{{ nil }}")).toBe('template: :1:3: executing "" at <nil>: nil is not a command');
  });
});

describe("custom delimiters", () => {
  test("<< >> delimiters; braces are plain text", () => {
    expect(render("{{ x }} <<- 1 ->> [[", { leftDelim: "<<", rightDelim: ">>" })).toBe("{{ x }}1[[");
  });

  test("one side customised, the other default", () => {
    expect(render("[[ 1 }}", { leftDelim: "[[" })).toBe("1");
  });

  test("comments with custom delimiters", () => {
    expect(render("a[[/* c */]]b", { leftDelim: "[[", rightDelim: "]]" })).toBe("ab");
  });
});

describe("parse errors", () => {
  test.each([
    ["unknown function", "{{ nope }}", 'template: :1: function "nope" not defined'],
    ["unknown function on line 2", "a\n{{ nope }}", 'template: :2: function "nope" not defined'],
    ["unclosed action", "{{ 1 ", "template: :1: unclosed action"],
    ["stray right brace", "{{ 1 }", 'template: :1: unexpected "}" in operand'],
    ["end without start", "{{ end }}", "template: :1: unexpected {{end}}"],
    ["else without if", "{{ else }}", "template: :1: unexpected {{else}}"],
    ["if without end", "{{ if 1 }}x", "template: :1: unexpected EOF"],
    ["if without a value", "{{ if }}{{ end }}", "template: :1: missing value for if"],
    ["undefined variable", "{{ $x }}", 'template: :1: undefined variable "$x"'],
    ["empty action", "{{ }}", "template: :1: missing value for command"],
    ["unterminated string", '{{ "abc }}', "template: :1: unterminated quoted string"],
    ["unterminated raw string", "{{ `abc }}", "template: :1: unterminated raw quoted string"],
    ["break outside range", "{{ break }}", "template: :1: {{break}} outside {{range}}"],
    ["continue outside range", "{{ continue }}", "template: :1: {{continue}} outside {{range}}"],
    ["field after a literal", '{{ "a".x }}', 'template: :1: unexpected . after term "\\"a\\""'],
    ["unclosed paren", "{{ (1 }}", "template: :1: unclosed left paren"],
    // Go 1.20+ (CT builds with 1.26) dropped the rune from this message.
    ["unexpected right paren", "{{ 1) }}", "template: :1: unexpected right paren"],
  ])("%s", (_name, tpl, want) => {
    expect(renderError(tpl)).toBe(want);
  });

  test("duplicate define with non-empty bodies", () => {
    expect(renderError('{{define "b"}}1{{end}}{{define "b"}}2{{end}}')).toBe(
      // Go's parser wraps its own "template: " prefix around the message.
      'template: :1: template: multiple definition of template "b"',
    );
  });

  test("an empty define may be replaced", () => {
    expect(render('{{define "b"}}{{end}}{{define "b"}}2{{end}}{{template "b"}}')).toBe("2");
  });

  test("the name option appears in parse errors", () => {
    expect(renderError("{{ nope }}", { name: "t.tmpl" })).toBe(
      'template: t.tmpl:1: function "nope" not defined',
    );
  });
});
