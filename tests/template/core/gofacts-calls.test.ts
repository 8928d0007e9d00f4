/**
 * Go's calling rules for registered functions (driven by GoFunc.signature): arity, assignability
 * without implicit conversions, untyped constants, trailing error results, function_denylist, and
 * the guarantees around errors (Go-formatted, redacted, never a raw JS exception).
 */
import { describe, expect, test } from "bun:test";
import { redactor } from "../../../src/log/redact.ts";
import { compile, TemplateError } from "../../../src/template/index.ts";
import { depsOf, host, kv2, render, renderError, testFuncs } from "./gofacts-helpers.ts";

const at = (col: number, node: string, msg: string) =>
  `template: :1:${col}: executing "" at <${node}>: ${msg}`;

describe("arity", () => {
  test.each([
    ["too many", '{{ toUpper "a" "b" }}', at(3, "toUpper", "wrong number of args for toUpper: want 1 got 2")],
    ["too few", "{{ join }}", at(3, "join", "wrong number of args for join: want 2 got 0")],
    [
      "piped value counts",
      '{{ "a" | toUpper "b" }}',
      at(9, "toUpper", "wrong number of args for toUpper: want 1 got 2"),
    ],
    [
      "variadic minimum",
      "{{ printf }}",
      at(3, "printf", "wrong number of args for printf: want at least 1 got 0"),
    ],
    [
      "results must be (value) or (value, error)",
      "{{ two }}",
      at(3, "two", 'can\'t call method/function "two" with 2 results'),
    ],
  ])("%s", (_n, tpl, want) => expect(renderError(tpl)).toBe(want));

  test("variadic functions accept zero or more", () => {
    expect(render("{{ echo }}|{{ echo 1 2 }}")).toBe("[]|[1 2]");
  });
});

describe("argument types", () => {
  test.each([
    ["an int literal is not a string", "{{ toUpper 1 }}", at(11, "1", "expected string; found 1")],
    ["a float literal is not an int", "{{ add 1.5 2.5 }}", at(11, "2.5", "expected integer; found 2.5")],
    ["nil cannot be a string", "{{ toUpper nil }}", at(11, "nil", "cannot assign nil to string")],
    [
      "an int variable is not a float64",
      "{{ $x := 1 }}{{ add $x 2 }}",
      'template: :1:20: executing "" at <$x>: wrong type for value; expected float64; got int',
    ],
    // Go last visited the "," argument when it validates the piped value.
    [
      "a piped string is not a []string",
      '{{ "a" | join "," }}',
      at(14, '","', "wrong type for value; expected []string; got string"),
    ],
  ])("%s", (_n, tpl, want) => expect(renderError(tpl)).toBe(want));

  test.each([
    ["untyped int constants convert to float64 parameters", "{{ add 1 2 }}", "3"],
    ["char constants are integers", "{{ add 1.5 'a' }}", "98.5"],
    ["nil is the zero []string", '{{ join "," nil }}', ""],
    ["a []string result is assignable", '{{ join "-" (split "," "a,b") }}', "a-b"],
    ["interface {} parameters take anything", '{{ echo 1 "a" 2.5 nil true }}', "[1 a 2.5 <nil> true]"],
  ])("%s", (_n, tpl, want) => expect(render(tpl)).toBe(want));
});

describe("error results", () => {
  test("a thrown error aborts with error calling NAME", () => {
    expect(renderError('{{ fail "x" }}')).toBe(at(3, 'fail "x"', "error calling fail: boom x"));
  });

  test("an error in an unexecuted branch is harmless", () => {
    expect(render('{{ if 0 }}{{ fail "x" }}{{ end }}ok')).toBe("ok");
  });

  test("a JS exception that is not an Error is still a TemplateError", () => {
    const t = compile("{{ weird }}", { name: "" }, () => ({
      weird: {
        signature: "func() (string, error)",
        fn: (() => {
          throw "not an error object";
        }) as never,
      },
    }));
    expect(() => t.execute(depsOf(), host)).toThrow(TemplateError);
  });
});

describe("function_denylist", () => {
  test("a denied function parses but fails when called", () => {
    expect(renderError('{{ toUpper "a" }}', { functionDenylist: ["toUpper"] })).toBe(
      at(3, 'toUpper "a"', "error calling toUpper: function is disabled"),
    );
  });

  test("globs match with *", () => {
    expect(renderError('{{ join "," "a" }}', { functionDenylist: ["jo*"] })).toBe(
      at(3, 'join "," "a"', "error calling join: function is disabled"),
    );
  });

  test("a denied function in an unexecuted branch is harmless", () => {
    expect(render('{{ if 0 }}{{ toUpper "a" }}{{ end }}ok', { functionDenylist: ["*"] })).toBe("ok");
  });

  test("the stub takes strings: other types fail before it runs", () => {
    expect(renderError("{{ toUpper 1 }}", { functionDenylist: ["toUpper"] })).toBe(
      at(11, "1", "expected string; found 1"),
    );
  });

  test("builtins are not affected", () => {
    expect(render('{{ print "a" }}', { functionDenylist: ["*"] })).toBe("a");
  });
});

describe("error hygiene", () => {
  test("secret values are redacted from error messages", () => {
    redactor.register("s3cr3t-value-xyz");
    const secrets = { "kv/x": kv2('{"pw":"s3cr3t-value-xyz"}') };
    const msg = renderError('{{ with secret "kv/x" }}{{ .Data.data.pw | fail }}{{ end }}', { secrets });
    expect(msg).not.toContain("s3cr3t-value-xyz");
    expect(msg).toContain("[redacted]");
  });

  test("malformed templates never escape as JS exceptions", () => {
    const pieces = [
      "{{",
      "}}",
      "{{-",
      "-}}",
      "(",
      ")",
      '"',
      "`",
      "'",
      "$x",
      ":=",
      "=",
      "|",
      ".a",
      "if",
      "end",
      "range",
      "else",
      "with",
      "define",
      "template",
      "block",
      "1",
      "-",
      "nil",
      "/*",
      "*/",
      "break",
      "\n",
      "\u00ff",
      "\ud800",
    ];
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      let tpl = "";
      const len = 1 + rand(12);
      for (let j = 0; j < len; j++) tpl += `${pieces[rand(pieces.length)]} `;
      try {
        compile(tpl, { name: "" }, testFuncs).execute(depsOf(), host);
      } catch (e) {
        if (!(e instanceof TemplateError)) throw new Error(`${JSON.stringify(tpl)} threw ${String(e)}`);
      }
    }
  });

  test("deeply nested parentheses fail cleanly", () => {
    const tpl = `{{ ${"(".repeat(20000)}1${")".repeat(20000)} }}`;
    expect(() => compile(tpl, { name: "" }, testFuncs).execute(depsOf(), host)).toThrow(TemplateError);
  });
});

describe("the default function library", () => {
  test("compile without a FuncMap installs Consul Template's functions", () => {
    const t = compile('{{ "abc" | toUpper }}{{ with secret "kv/x" }}x{{ end }}', { name: "" });
    const r = t.execute(depsOf(), host);
    expect(r.output).toBe("ABC");
    expect(r.complete).toBe(false);
    expect(r.missing.map((d) => d.key)).toEqual(["secret(kv/x)"]);
  });
});

describe("scaling", () => {
  test("a long single-line template compiles in linear time", () => {
    // 2 MB without a newline: counting lines by searching for the next "\n" made this quadratic
    // (about 10 s); linear work takes well under a second.
    const text = "a {{ 1 }} b {{- 2 -}} c ".repeat(85_000);
    const t0 = performance.now();
    const out = compile(text, { name: "" }, testFuncs).execute(depsOf(), host).output;
    expect(out.length).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(4000);
  });

  test("deeply nested control structures render, as in Go 1.26, without overflowing the stack", () => {
    const tpl = `${"{{ if 1 }}".repeat(50_000)}x${"{{ end }}".repeat(50_000)}`;
    expect(compile(tpl, { name: "" }, testFuncs).execute(depsOf(), host).output).toBe("x");
  });

  test("too deeply nested parentheses fail cleanly instead of overflowing the stack", () => {
    const tpl = `{{ ${"(".repeat(50_000)}1${")".repeat(50_000)} }}`;
    expect(() => compile(tpl, { name: "" }, testFuncs)).toThrow(TemplateError);
  });
});
