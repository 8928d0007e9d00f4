/**
 * toTOML against Consul Template's own: testdata/toml-goldens.json holds what Go's text/template
 * with CT's toTOML (BurntSushi/toml v1.5.0, the version CT v0.42 builds with) produced for every
 * case in scripts/goldens/toml/cases.ts — regenerate with scripts/goldens/toml/gen.sh.
 *
 * Each case runs through vaultrun's whole engine (render.ts, shared with the gotemplate goldens):
 * Vault-like JSON as dot with numbers kept as json.Number, values built by CT and Sprig helpers,
 * and `secret` structs. Output bytes and error texts must match exactly.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { expected, loadGoldens, renderCase } from "../../../scripts/goldens/gotemplate/render.ts";

const goldens = loadGoldens(join(import.meta.dir, "testdata", "toml-goldens.json"));
const version = (goldens as unknown as { tomlVersion?: string }).tomlVersion ?? "?";

describe(`toTOML goldens (${goldens.cases.length} cases, ${version}, Go ${goldens.goVersion})`, () => {
  test("the goldens are present, from toml v1.5.0, and varied", () => {
    expect(version).toContain("v1.5.0");
    const count = (pred: (c: (typeof goldens.cases)[number]) => boolean) => goldens.cases.filter(pred).length;
    expect(goldens.cases.length).toBeGreaterThan(400);
    expect(count((c) => c.out !== undefined && c.out !== "")).toBeGreaterThan(300);
    expect(count((c) => c.err?.includes("error calling toTOML: toTOML: ") === true)).toBeGreaterThan(30);
    expect(count((c) => c.outBase64 !== undefined)).toBeGreaterThan(0);
  });

  for (const c of goldens.cases) {
    test(c.id, () => {
      const got = renderCase(goldens, c);
      expect({ tpl: c.tpl, data: c.data ? goldens.datasets[c.data] : null, ...got }).toEqual({
        tpl: c.tpl,
        data: c.data ? goldens.datasets[c.data] : null,
        ...expected(c),
      });
    });
  }
});
