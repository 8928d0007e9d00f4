/**
 * parseYAML / toYAML facts the yaml.v2 goldens (yaml-goldens.test.ts) cannot carry: behaviour
 * of the Go version Vault is built with where it differs from the Go 1.19 that made the goldens,
 * how map[interface{}]interface{} is represented, documented limits, depth and alias-bomb safety,
 * and use through the template engine (expected outputs checked against Go + yaml.v2 2.4.0).
 */
import { describe, expect, test } from "bun:test";
import {
  GO_KEY_TYPE,
  GO_MAP_KEYS,
  goKeyOf,
  isInterfaceMap,
  parseYaml,
  toYaml,
  yamlKeyLess,
} from "../../../src/template/funcs/yaml.ts";
import { GoTyped } from "../../../src/template/value.ts";
import { run } from "./helpers.ts";

const parseError = (s: string): string => {
  try {
    parseYaml(s);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a parse error");
};

describe("map[interface{}]interface{} representation", () => {
  test("maps are plain objects tagged with their Go key type", () => {
    const m = parseYaml("b: 1\na: {c: d}") as Record<string, unknown>;
    expect(isInterfaceMap(m)).toBe(true);
    expect((m as Record<symbol, unknown>)[GO_KEY_TYPE]).toBe("interface {}");
    expect(Object.keys(m).sort()).toEqual(["a", "b"]);
    expect(isInterfaceMap(m.a)).toBe(true);
    expect(isInterfaceMap({ a: 1 })).toBe(false);
  });

  test("non-string keys are stored under their %v text with the Go value on the side", () => {
    const m = parseYaml("80: http\ntrue: t\n~: n\n1.5: f\n18446744073709551615: big") as Record<
      string,
      unknown
    >;
    expect(Object.keys(m).sort()).toEqual(["1.5", "18446744073709551615", "80", "<nil>", "true"]);
    expect(goKeyOf(m, "80")).toBe(80n);
    expect(goKeyOf(m, "true")).toBe(true);
    expect(goKeyOf(m, "<nil>")).toBeNull();
    expect(goKeyOf(m, "1.5")).toBe(1.5);
    expect(goKeyOf(m, "18446744073709551615")).toEqual(new GoTyped("uint64", (1n << 64n) - 1n));
    expect((m as Record<symbol, Map<string, unknown>>)[GO_MAP_KEYS]!.size).toBe(5);
  });

  test("an int key and the string key that prints the same collapse (the later wins)", () => {
    // yaml.v2 keeps both (1 and "1" differ in Go); a string-keyed object cannot.
    const m = parseYaml('1: int\n"1": string') as Record<string, unknown>;
    expect(Object.keys(m)).toEqual(["1"]);
    expect(m["1"]).toBe("string");
    expect(goKeyOf(m, "1")).toBe("1");
  });

  test("values have Go's types: int, uint64 beyond int64, float64, bool, nil, string", () => {
    expect(parseYaml("[1, 9223372036854775808, 1.5, yes, ~, x, 0755, 08]")).toEqual([
      1n,
      new GoTyped("uint64", 9223372036854775808n),
      1.5,
      true,
      null,
      "x",
      493n,
      8,
    ]);
  });
});

describe("behaviour of newer Go than the goldens' 1.19", () => {
  test("time.Parse range-checks zone offsets (Go ≥ 1.20), so +25:00 is no timestamp", () => {
    // The string decodes the same either way; only toYAML's quoting shows the difference.
    expect(toYaml(["2001-12-14T21:59:43+25:00", "2001-12-14T21:59:43+24:00"])).toBe(
      '- 2001-12-14T21:59:43+25:00\n- "2001-12-14T21:59:43+24:00"\n',
    );
  });
});

describe("limits", () => {
  test("nesting up to yaml.v2's limits works without exhausting the JS stack", () => {
    const flow = parseYaml(`${"[".repeat(10000)}${"]".repeat(10000)}`);
    let depth = 0;
    for (let v = flow; Array.isArray(v) && v.length > 0; v = v[0]) depth++;
    expect(depth).toBe(9999);
    const block = parseYaml(`${"- ".repeat(10000)}x`);
    expect(toYaml(block).length).toBe(20002);
  });

  test("deeper nesting fails like yaml.v2", () => {
    expect(parseError(`${"[".repeat(10001)}${"]".repeat(10001)}`)).toBe("yaml: exceeded max depth of 10000");
    expect(parseError(`${"- ".repeat(10001)}x`)).toBe("yaml: exceeded max depth of 10000");
  });

  test("alias bombs are refused after a bounded amount of work", () => {
    let doc = 'a0: &a0 ["lol"]\n';
    for (let i = 1; i <= 9; i++)
      doc += `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(", ")}]\n`;
    expect(parseError(doc)).toBe("yaml: document contains excessive aliasing");
  });

  test("only the first document is read: errors later in the stream go unnoticed", () => {
    expect(parseYaml("a: 1\n---\nb: : :\n")).toEqual(parseYaml("a: 1"));
  });
});

describe("key order of toYAML (yaml.v2's keyList)", () => {
  test("digit runs compare as numbers, letters sort before other runes", () => {
    const keys = ["b", "a10", "a9", "a", "1", "_", "A", "a01", "a1"];
    const sorted = keys.sort((x, y) => (yamlKeyLess(x, y) ? -1 : yamlKeyLess(y, x) ? 1 : 0));
    expect(sorted).toEqual(["_", "1", "A", "a", "a1", "a01", "a9", "a10", "b"]);
  });

  test("numbers and bools sort by value before strings", () => {
    expect(toYaml(parseYaml("b: 1\n10: 2\n9: 3\ntrue: 4\n1.5: 5\na: 6"))).toBe(
      "true: 4\n1.5: 5\n9: 3\n10: 2\na: 6\nb: 1\n",
    );
  });
});

describe("through the template engine (outputs from Go + yaml.v2)", () => {
  test("parseYAML results print, range, index like Go values", () => {
    expect(run('{{ parseYAML "" }}')).toBe("map[]");
    expect(run('{{ range $k, $v := parseYAML "b: 2\\na: 1" }}{{ $k }}={{ $v }};{{ end }}')).toBe("a=1;b=2;");
    expect(run('{{ (parseYAML "a:\\n  b: [x, y, n]").a.b }}')).toBe("[x true false]");
    expect(run('{{ index (parseYAML "list: [1, 2]").list 1 }}')).toBe("2");
    expect(run('{{ (parseYAML "a: 1").missing }}')).toBe("<no value>");
    expect(run('{{ if eq (index (parseYAML "[on]") 0) true }}bool{{ end }}')).toBe("bool");
    expect(run('{{ len (parseYAML "a: 1\\nb: 2") }}')).toBe("2");
    expect(run('{{ (parseYAML "port: 8080").port | printf "%d" }}')).toBe("8080");
  });

  test("a parse error aborts the template with yaml.v2's message", () => {
    expect(run('{{ parseYAML "a: b: c" }}')).toBe(
      'ERR template: :1:3: executing "" at <parseYAML "a: b: c">: error calling parseYAML: yaml: mapping values are not allowed in this context',
    );
  });

  test("toYAML quotes what YAML 1.1 would read back differently and trims the output", () => {
    expect(run('{{ parseJSON "{\\"k\\":\\"v\\\\n\\",\\"n\\":1}" | toYAML }}')).toBe('k: |\n  v\n"n": 1');
    expect(run('{{ "yes" | toYAML }} {{ 1.0 | toYAML }} {{ 10000000.0 | toYAML }}')).toBe('"yes" 1 1e+07');
  });

  test("toYAML of Vault data keeps json.Number values as numbers", () => {
    const out = run('{{ with secret "secret/app" }}{{ .Data.data | toYAML }}{{ end }}', {
      secrets: {
        "secret/app":
          '{"data":{"data":{"port":5432,"ratio":1.50,"big":12345678901234567890,"on":"on","list":[]}}}',
      },
    });
    expect(out).toBe('big: 1.2345678901234567e+19\nlist: []\n"on": "on"\nport: 5432\nratio: 1.5');
  });
});
