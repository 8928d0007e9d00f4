/**
 * Actions parsed straight from the text (parse.ts, Parser.directAction): the simple ones are built
 * into nodes without tokens, the rest are left to the lexer from the action's start. Either way the
 * result must be Go's: the expected results were produced by Go 1.23's text/template (nil data,
 * with toUpper and a failing `fail` registered). Each case runs as is and after a first line of
 * 3,000 actions, so that its actions are also met again later, by the action cache.
 */
import { describe, expect, test } from "bun:test";
import { compile } from "../../../src/template/index.ts";
import { host, noDeps, testFuncs } from "./helpers.ts";

function render(text: string, leftDelim?: string, rightDelim?: string): string {
  try {
    return `OUT ${compile(text, { name: "t", leftDelim, rightDelim }, testFuncs).execute(noDeps, host).output}`;
  } catch (e) {
    return `ERR ${(e as Error).message}`;
  }
}

/** [template, Go's result, delimiters]. */
const cases: [string, string, string?, string?][] = [
  ['a {{ "x" }} b {{- "y" -}} c {{-\t"t" \t-}} d', "OUT a x byctd"],
  ["a {{\r.x\r}} b", "OUT a <no value> b"],
  ["{{if.a}}x{{end}}|{{if 1}}y{{else}}n{{end}}", "OUT |y"],
  [
    "{{ len .a.b }}",
    'ERR template: t:1:3: executing "t" at <len .a.b>: error calling len: reflect: call of reflect.Value.Type on zero Value',
  ],
  [
    "xx {{ index .a.b.c 1 }}",
    'ERR template: t:1:6: executing "t" at <index .a.b.c 1>: error calling index: index of untyped nil',
  ],
  ["{{ true }} {{ false }} {{ nil }}", 'ERR template: t:1:26: executing "t" at <nil>: nil is not a command'],
  ["{{ 1 | 2 }}", "ERR template: t:1: non executable command in pipeline stage 2"],
  ['{{ "a" | len }} {{ "abc"|len }}', "OUT 1 3"],
  ['{{ printf "%d %d" 007 8 }}', "OUT 7 8"],
  ['{{ "a}}b" }}', "OUT a}}b"],
  ['{{ .a"b" }}', "ERR template: t:1: bad character U+0022 '\"'"],
  ["{{ nofunc 1 }}", 'ERR template: t:1: function "nofunc" not defined'],
  ["{{ .é }}", "OUT <no value>"],
  ["x\n{{ end }}", "ERR template: t:2: unexpected {{end}}"],
  ["{{ if 1 }}{{ else }}{{ else }}{{ end }}", "ERR template: t:1: expected end; found {{else}}"],
  ['{{ with "s" }}{{ . }}{{ else }}none{{ end }}|{{ with "" }}{{ . }}{{ else }}none{{ end }}', "OUT s|none"],
  [
    '{{ range "abc" }}x{{ end }}',
    'ERR template: t:1:9: executing "t" at <"abc">: range can\'t iterate over abc',
  ],
  ["{{ .a. }}", "ERR template: t:1: unexpected <.> in operand"],
  ["{{ .a.5 }}", 'ERR template: t:1: unexpected ".5" in operand'],
  ["{{ ..a }}", 'ERR template: t:1: unexpected . after term "."'],
  ['{{ . }}{{ .}}{{.}}{{.a|printf "%v"}}', "OUT <no value><no value><no value><nil>"],
  ["{{ 1.5 }} {{ 0 }} {{ 00 }} {{ 1234567890 }}", "OUT 1.5 0 0 1234567890"],
  ["{{ 12a }}", 'ERR template: t:1: bad number syntax: "12a"'],
  ['{{ printf "%v" .a.b }}', "OUT <nil>"],
  ["{{ if 1 -}}   x   {{- end }}|{{ if 0 -}} x {{- else -}} y {{- end }}", "OUT x|y"],
  ["{{ if 1 }}a{{ else if 0 }}b{{ end }}", "OUT a"],
  ["{{ if }}x{{ end }}", "ERR template: t:1: missing value for if"],
  ['{{ toUpper "a" | printf "%s-%s" "b" }}', "OUT b-A"],
  ["ab\n {{ fail }}", 'ERR template: t:2:4: executing "t" at <fail>: error calling fail: boom'],
  ["{{ if 1 }}\nx", "ERR template: t:2: unexpected EOF"],
  ['[[ .a ]] [[ if 1 ]]x[[ end ]] [[- "t" -]] [[ "]]" ]]', "OUT <no value> xt]]", "[[", "]]"],
  [
    "{{ if 1 }}\n{{ len 3 }}\n{{ end }}",
    'ERR template: t:2:3: executing "t" at <len 3>: error calling len: len of type int',
  ],
  [
    '{{ .a | len | printf "%d" }}',
    'ERR template: t:1:8: executing "t" at <len>: error calling len: reflect: call of reflect.Value.Type on zero Value',
  ],
  ['{{ "x" "y" }}', 'ERR template: t:1:3: executing "t" at <"x">: can\'t give argument to non-function "x"'],
  [
    "{{ with .a }}{{ end }}\n  {{ len 1 }}",
    'ERR template: t:2:5: executing "t" at <len 1>: error calling len: len of type int',
  ],
  [
    '{{ template "x" }}',
    'ERR template: t:1:12: executing "t" at <{{template "x"}}>: template "x" not defined',
  ],
  ["{{ range .a }}{{ break }}{{ end }}{{ break }}", "ERR template: t:1: {{break}} outside {{range}}"],
  ['{{ printf "%T" 1 | printf "%s!" }}{{ print true false nil }}', "OUT int!true false <nil>"],
  ["{{ .a.b.c }}{{ .a_b.c1 }}{{ ._ }}", "OUT <no value><no value><no value>"],
  ['{{ len "a" }}{{len "ab"}}{{ len\t"abc" }}', "OUT 123"],
  ['{{- "a" }}{{"b" -}}', "OUT ab"],
  ["{{ print -1 }} {{ print +2 }}", "OUT -1 2"],
  ["{{ print 'a' }} {{ print `r` }} {{ print \"\\n\" }}", "OUT 97 r \n"],
  ["{{ $x := 1 }}{{ $x }}", "OUT 1"],
  ["{{ (1) }}", "OUT 1"],
  ["{{ print 1,2 }}", 'ERR template: t:1: unexpected "," in operand'],
  ["{{ eq .a nil }}", "OUT true"],
  ['{{ if eq 1 1 }}a{{ end }}{{ if and 1 0 }}b{{ end }}{{ or 0 "" }}', "OUT a"],
];

describe("simple actions read straight from the text", () => {
  for (const [text, expected, left, right] of cases) {
    test(JSON.stringify(text), () => {
      expect(render(text, left, right)).toBe(expected);
      // Again after a line of other actions, and then a second copy of the case.
      const l = left ?? "{{";
      const r = right ?? "}}";
      const filler = `${`${l} "" ${r}`.repeat(3000)}\n`;
      // The filler prints a newline (unless the case trims it), and moves errors one line down.
      const shifted = expected.startsWith("OUT ")
        ? `OUT ${text.startsWith(`${l}- `) ? "" : "\n"}${expected.slice(4)}`
        : expected.replace(/^(ERR template: t:)(\d+)/, (_, p: string, n: string) => `${p}${Number(n) + 1}`);
      expect(render(filler + text, left, right)).toBe(shifted);
    });
  }
});
