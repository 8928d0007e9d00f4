/**
 * parseYAML / toYAML against gopkg.in/yaml.v2 2.4.0 itself: testdata/yaml-goldens.json holds
 * what yaml.v2 (and Go's text/template with Consul Template's helpers) produced for every case
 * in scripts/goldens/yaml/cases.txt — regenerate with scripts/goldens/yaml/gen.sh.
 *
 * Checked per YAML case: the decoded value with its Go types (or the exact error), yaml.Marshal
 * of that value, and the template outputs. Template outputs that depend on the engine knowing
 * the map[interface {}]interface {} type (%T, toJSON refusing such maps, printing non-string
 * keys in Go's order) are only compared once the engine reports that type (see ENGINE_KNOWS_*).
 * Inputs that are not UTF-8 (UTF-16 documents with a byte-order mark) are stored as hex.
 */
import { describe, expect, test } from "bun:test";
import { parseJsonNumbers } from "../../../src/common/json.ts";
import { typeName } from "../../../src/template/gotype.ts";
import { formatFloat } from "../../../src/template/fmt.ts";
import { quoteGo } from "../../../src/template/quote.ts";
import { GoChan, GoComplex, GoNil, GoStruct, GoTime, GoTyped } from "../../../src/template/value.ts";
import { goKeyOf, isInterfaceMap, parseYaml, toYaml } from "../../../src/template/funcs/yaml.ts";
import { newInterfaceMap, setEntry } from "../../../src/template/funcs/yaml/gomap.ts";
import { goBytesString } from "../../../src/template/funcs/yaml/reader.ts";
import goldens from "./testdata/yaml-goldens.json";
import { run } from "./helpers.ts";

interface Result {
  out?: string;
  err?: string;
  badUtf8?: boolean;
}

interface GoldenCase {
  name: string;
  kind: "yaml" | "json" | "typed";
  input: string;
  badInput?: boolean;
  /** The input's bytes when they are not UTF-8 (e.g. UTF-16 with a byte-order mark). */
  inputHex?: string;
  value?: string;
  err?: string;
  marshal?: Result;
  tpl?: Record<"print" | "type" | "json" | "yaml", Result>;
  nonStringKeys?: boolean;
}

// Inputs that are not UTF-8 become Go strings in the engine's representation of bytes.
const cases = (goldens as { cases: GoldenCase[] }).cases.map((c) =>
  c.inputHex === undefined ? c : { ...c, input: goBytesString(Buffer.from(c.inputHex, "hex")) },
);

/** The Go side's dump: typed, ASCII-only, map entries sorted. */
function dump(v: unknown): string {
  if (v === null) return "nil";
  switch (typeof v) {
    case "boolean":
      return `bool:${v}`;
    case "bigint":
      return `int:${v}`;
    case "number":
      return `float64:${formatFloat(v, "g", -1)}`;
    case "string":
      return `string:${quoteGo(v, true)}`;
  }
  if (v instanceof GoTyped) return `${v.type}:${v.value}`;
  if (Array.isArray(v)) return `[${v.map(dump).join(",")}]`;
  if (isInterfaceMap(v)) {
    const parts = Object.keys(v).map((k) => `${dump(goKeyOf(v, k))}=${dump(v[k])}`);
    return `{${parts.sort().join(",")}}`;
  }
  return `?${typeName(v)}`;
}

function outcome(f: () => string): Result {
  try {
    return { out: f() };
  } catch (e) {
    return { err: (e as Error).message };
  }
}

/** The engine's output in the golden's shape ("ERR " marks an error in helpers.run). */
function engine(text: string): Result {
  const r = run(text);
  return r.startsWith("ERR ") ? { err: r.slice(4) } : { out: r };
}

const ENGINE_KNOWS_IFACE_MAPS = typeName(parseYaml("a: 1")) === "map[interface {}]interface {}";

const yamlCases = cases.filter((c) => c.kind === "yaml" && (!c.badInput || c.inputHex !== undefined));

describe("parseYAML decodes like yaml.v2", () => {
  for (const c of yamlCases) {
    test(c.name, () => {
      if (c.err !== undefined) {
        expect(outcome(() => dump(parseYaml(c.input)))).toEqual({ err: c.err });
        return;
      }
      const v = parseYaml(c.input);
      expect(dump(v)).toBe(c.value!);
      const m = c.marshal!;
      if (!m.badUtf8) expect(outcome(() => toYaml(v))).toEqual({ out: m.out, err: m.err } as Result);
    });
  }
});

describe("templates with parseYAML behave as under Consul Template", () => {
  for (const c of yamlCases) {
    if (c.tpl === undefined) continue;
    const lit = quoteGo(c.input);
    const tpl = c.tpl;
    const printable = !c.nonStringKeys || ENGINE_KNOWS_IFACE_MAPS;
    const hasMap = c.value?.includes("{") ?? false;
    test(c.name, () => {
      if (!tpl.yaml.badUtf8) expect(engine(`{{ parseYAML ${lit} | toYAML }}`)).toEqual(tpl.yaml);
      if (printable && !tpl.print.badUtf8) expect(engine(`{{ parseYAML ${lit} }}`)).toEqual(tpl.print);
      if (!hasMap || ENGINE_KNOWS_IFACE_MAPS) {
        expect(engine(`{{ printf "%T" (parseYAML ${lit}) }}`)).toEqual(tpl.type);
        if (!tpl.json.badUtf8) expect(engine(`{{ parseYAML ${lit} | toJSON }}`)).toEqual(tpl.json);
      }
    });
  }
});

describe("toYAML of Vault JSON data matches yaml.Marshal", () => {
  for (const c of cases.filter((x) => x.kind === "json")) {
    test(c.name, () => {
      expect(outcome(() => toYaml(parseJsonNumbers(c.input)))).toEqual(c.marshal as Result);
    });
  }
});

class Sec extends GoStruct {
  readonly goType = "main.sec";
  override readonly goFields = ["RequestID", "LeaseDuration", "Renewable", "Data", "Warnings", "Auth"];
  RequestID = "r";
  LeaseDuration = 30n;
  Renewable = true;
  Data: unknown = { k: "v" };
  Warnings: unknown = new GoNil("[]string");
  Auth: unknown = new GoNil("*struct { Accessor string }");
}

function mixedKeys(): Record<string, unknown> {
  const m = newInterfaceMap();
  setEntry(m, true, 1n);
  setEntry(m, false, 0n);
  setEntry(m, "x", 2n);
  setEntry(m, null, 3n);
  setEntry(m, 1.5, 4n);
  setEntry(m, 2n, 5n);
  return m;
}

const TYPED: Record<string, () => unknown> = {
  int64: () => new GoTyped("int64", -5n),
  "uint64-max": () => new GoTyped("uint64", (1n << 64n) - 1n),
  float32: () => new GoTyped("float32", Math.fround(0.1)),
  "float64-third": () => 1 / 3,
  "float64-big": () => 1e21,
  "float64-small": () => 1e-7,
  "float64-negzero": () => -0,
  nan: () => Number.NaN,
  inf: () => Number.NEGATIVE_INFINITY,
  nil: () => null,
  "nil-slice": () => new GoNil("[]string"),
  "nil-map": () => new GoNil("map[string]string"),
  "nil-ptr": () => new GoNil("*main.sec"),
  "empty-slice": () => [],
  "string-slice": () => ["a", "b"],
  time: () => new GoTime(Date.UTC(2024, 0, 2, 3, 4, 5, 67)),
  "time-zone": () => new GoTime(Date.UTC(2024, 0, 2, 8, 4, 5), 0, -300, ""),
  struct: () => new Sec(),
  complex: () => new GoComplex(1, 2),
  chan: () => new GoChan("int", () => []),
  "bad-utf8": () => "\udcff\udcfe ok",
  "bad-utf8-long": () => "\udc80".repeat(60),
  "map-bool-keys": mixedKeys,
};

describe("toYAML of other Go values matches yaml.Marshal", () => {
  for (const c of cases.filter((x) => x.kind === "typed")) {
    test(c.name, () => {
      const make = TYPED[c.name];
      expect(make).toBeDefined();
      const want = c.marshal!;
      // yaml.v2 panics (no "yaml:" prefix) for types it cannot marshal; the text is the same.
      expect(outcome(() => toYaml(make!()))).toEqual(want);
    });
  }
});

test("the goldens cover what they should", () => {
  expect(yamlCases.length).toBeGreaterThan(200);
  expect(yamlCases.filter((c) => c.err !== undefined).length).toBeGreaterThan(50);
  expect(cases.filter((c) => c.kind === "json").length).toBeGreaterThan(10);
});
