/**
 * The data model as Consul Template exposes it: nil data at the top, missingkey=zero vs error,
 * json.Number behaving as a Go named string, structs with fields and methods, typed nils, and the
 * multi-pass model where the first pass has no secret data.
 */
import { describe, expect, test } from "bun:test";
import {
  compile,
  type FuncContext,
  GoStruct,
  type GoValue,
  TemplateError,
  typedNil,
} from "../../../src/template/index.ts";
import { depsOf, host, kv2, render, renderError, run } from "./gofacts-helpers.ts";

const secrets = {
  "kv/x": kv2(
    '{"pw":"hunter22","port":5432,"ratio":1.50,"list":["a","b"],"n":null,"big":123456789012345678901234567890,"zero":0}',
  ),
};

describe("nil data and missing keys", () => {
  test.each([
    ["dot is nil", "{{ . }}", "<no value>"],
    ["a field of nil data", "{{ .foo }}", "<no value>"],
    ["a chain on nil data", "{{ .foo.bar.baz }}", "<no value>"],
    [
      "a missing key in map[string]interface {}",
      '{{ with secret "kv/x" }}{{ .Data.data.nope }}{{ end }}',
      "<no value>",
    ],
    ["a JSON null is a present key", '{{ with secret "kv/x" }}{{ .Data.data.n }}{{ end }}', "<no value>"],
    [
      "index never errors on a missing key",
      '{{ with secret "kv/x" }}{{ index .Data.data "nope" }}{{ end }}',
      "<no value>",
    ],
  ])("%s", (_n, tpl, want) => expect(render(tpl, { secrets })).toBe(want));

  test("a key under a missing key is an error (missingkey=zero gives a nil interface)", () => {
    expect(renderError('{{ with secret "kv/x" }}{{ .Data.data.nope.deeper }}{{ end }}', { secrets })).toBe(
      // The field node's position is that of its second element (Go's parser quirk).
      'template: :1:32: executing "" at <.Data.data.nope.deeper>: nil pointer evaluating interface {}.deeper',
    );
  });

  describe("error_on_missing_key", () => {
    const opts = { secrets, errorOnMissingKey: true };
    test("a field of nil data", () => {
      expect(renderError("{{ .foo }}", opts)).toBe(
        'template: :1:3: executing "" at <.foo>: nil data; no entry for key "foo"',
      );
    });
    test("a missing map key", () => {
      expect(renderError('{{ with secret "kv/x" }}{{ .Data.data.nope }}{{ end }}', opts)).toBe(
        'template: :1:32: executing "" at <.Data.data.nope>: map has no entry for key "nope"',
      );
    });
    test("a JSON null is still present", () => {
      expect(render('{{ with secret "kv/x" }}{{ .Data.data.n }}{{ end }}', opts)).toBe("<no value>");
    });
    test("index still returns the zero value", () => {
      expect(render('{{ with secret "kv/x" }}{{ index .Data.data "nope" }}{{ end }}', opts)).toBe(
        "<no value>",
      );
    });
    test("the unguarded first pass fails", () => {
      // Go last visited the string argument of `secret` when evalField fails.
      expect(renderError('{{ (secret "x").Data.k }}', opts)).toBe(
        'template: :1:11: executing "" at <"x">: nil data; no entry for key "Data"',
      );
    });
  });
});

describe("the empty first pass", () => {
  test("an unguarded field chain renders <no value> and reports the missing secret", () => {
    expect(run('{{ (secret "kv/x").Data.pw }}')).toEqual({
      output: "<no value>",
      complete: false,
      used: ["secret(kv/x)"],
      missing: ["secret(kv/x)"],
    });
  });

  test("piping the missing value into a string parameter fails", () => {
    expect(renderError('{{ (secret "kv/x").Data.pw | toUpper }}')).toBe(
      'template: :1:29: executing "" at <toUpper>: invalid value; expected string',
    );
  });

  test("the with form renders empty, then the value on the next pass", () => {
    const tpl = '{{ with secret "kv/x" }}{{ .Data.data.pw | toUpper }}{{ end }}';
    expect(run(tpl)).toEqual({
      output: "",
      complete: false,
      used: ["secret(kv/x)"],
      missing: ["secret(kv/x)"],
    });
    expect(run(tpl, { secrets })).toEqual({
      output: "HUNTER22",
      complete: true,
      used: ["secret(kv/x)"],
      missing: [],
    });
  });

  test("used/missing are per execution and de-duplicated", () => {
    const t = compile(
      '{{ secret "kv/x" }}{{ secret "kv/x" }}{{ secret "kv/y" }}',
      { name: "" },
      (ctx: FuncContext) => ({
        secret: {
          signature: "func(...string) (interface {}, error)",
          fn: ((p: string) => {
            const found = ctx.deps.secret(p, []);
            ctx.record({ kind: "secret", path: p, args: [], key: `secret(${p})` }, found !== undefined);
            return null;
          }) as never,
        },
      }),
    );
    const first = t.execute(depsOf(), host);
    expect(first.used.map((d) => d.key)).toEqual(["secret(kv/x)", "secret(kv/y)"]);
    expect(first.complete).toBe(false);
    const second = t.execute(depsOf(secrets), host);
    expect(second.missing.map((d) => d.key)).toEqual(["secret(kv/y)"]);
  });
});

describe("json.Number", () => {
  const w = (body: string) => `{{ with secret "kv/x" }}${body}{{ end }}`;
  test.each([
    ["prints its literal text", "{{ .Data.data.ratio }}", "1.50"],
    ["keeps big integers", "{{ .Data.data.big }}", "123456789012345678901234567890"],
    ["len counts its bytes", "{{ len .Data.data.port }}", "4"],
    ["a zero is truthy (it is a string)", "{{ if .Data.data.zero }}t{{ else }}f{{ end }}", "t"],
    [
      "compares as a string with strings",
      '{{ eq .Data.data.ratio "1.50" }} {{ eq .Data.data.ratio "1.5" }}',
      "true false",
    ],
    ["orders textually", '{{ lt .Data.data.port "6" }}', "true"],
    ["print puts no space between two of them", "{{ print .Data.data.port .Data.data.port }}", "54325432"],
    ["%d is a bad verb", '{{ printf "%d" .Data.data.port }}', "%!d(json.Number=5432)"],
    ["%s and %v print the text", '{{ printf "%s %v" .Data.data.port .Data.data.ratio }}', "5432 1.50"],
    ["%T", '{{ printf "%T" .Data.data.port }}', "json.Number"],
    ["%q quotes", '{{ printf "%q" .Data.data.port }}', '"5432"'],
    [
      "precision applies inside the bad-verb form",
      '{{ printf "%.1f" .Data.data.ratio }}',
      "%!f(json.Number=1)",
    ],
    ["inside a map print", "{{ .Data.metadata }}", "map[version:3]"],
  ])("%s", (_n, body, want) => expect(render(w(body), { secrets })).toBe(want));

  test("comparing with an int is an error", () => {
    expect(renderError(w("{{ eq .Data.data.port 5432 }}"), { secrets })).toBe(
      'template: :1:27: executing "" at <eq .Data.data.port 5432>: error calling eq: incompatible types for comparison: json.Number and int',
    );
  });

  test("is not a string argument", () => {
    expect(renderError(w("{{ .Data.data.port | toUpper }}"), { secrets })).toBe(
      'template: :1:45: executing "" at <toUpper>: wrong type for value; expected string; got json.Number',
    );
  });

  test("[]interface {} is not []string", () => {
    expect(renderError(w('{{ join "," .Data.data.list }}'), { secrets })).toBe(
      'template: :1:41: executing "" at <.Data.data.list>: wrong type for value; expected []string; got []interface {}',
    );
  });
});

class Inner extends GoStruct {
  readonly goType = "*test.Inner";
  readonly X = "x";
}

class Box extends GoStruct {
  readonly goType = "*test.Box";
  override readonly goMethods = ["Upper", "Greet"];
  override readonly goFields = ["Name", "Count", "Inner"];
  readonly Name = "n";
  readonly Count = 3n;
  readonly Inner: GoValue = typedNil("*test.Inner");
  readonly Upper = { signature: "func() string", fn: () => "N" };
  readonly Greet = { signature: "func(string) (string, error)", fn: (s: string) => `hi ${s}` };
}

function renderWith(tpl: string, value: unknown): string {
  const t = compile(tpl, { name: "" }, () => ({
    box: { signature: "func() *test.Box", fn: (() => value) as never },
  }));
  return t.execute(depsOf(), host).output;
}

function errorWith(tpl: string, value: unknown): string {
  try {
    renderWith(tpl, value);
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("structs", () => {
  test("fields and zero-argument methods", () => {
    expect(renderWith("{{ with box }}{{ .Name }} {{ .Count }} {{ .Upper }}{{ end }}", new Box())).toBe(
      "n 3 N",
    );
  });

  test("a method with an argument, as the last element of a chain", () => {
    expect(renderWith('{{ with box }}{{ .Greet "bob" }}{{ end }}', new Box())).toBe("hi bob");
  });

  test("an unknown field", () => {
    expect(errorWith("{{ with box }}{{ .data }}{{ end }}", new Box())).toBe(
      'template: :1:17: executing "" at <.data>: can\'t evaluate field data in type *test.Box',
    );
  });

  test("a field through a nil pointer", () => {
    expect(errorWith("{{ with box }}{{ .Inner.X }}{{ end }}", new Box())).toBe(
      'template: :1:23: executing "" at <.Inner.X>: nil pointer evaluating *test.Inner.X',
    );
  });

  test("a struct is always truthy and prints its field values", () => {
    expect(renderWith("{{ if box }}{{ box }}{{ end }}", new Box())).toBe("{n 3 <nil>}");
  });

  test("print does not dereference the top-level pointer", () => {
    expect(renderWith("{{ print box }}", new Box())).toBe("&{n 3 <nil>}");
  });

  test("a non-nil nested pointer field is reachable", () => {
    const b = new Box();
    Object.defineProperty(b, "Inner", { value: new Inner() });
    expect(renderWith("{{ box.Inner.X }}", b)).toBe("x");
  });
});
