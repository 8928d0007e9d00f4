/**
 * Differential test against Go itself. Every case in testdata/gotemplate-goldens.json was run
 * by Go's text/template set up as Consul Template sets it up, with CT's pure helper functions
 * (scripts/goldens/gotemplate: make-goldens.sh builds the Go harness, gen.ts writes ~4,000 curated
 * and seeded random cases), and its exact output or error text recorded. Here vaultrun's engine
 * renders each case with the same data — `.` decoded as vaultrun decodes Vault JSON (numbers stay
 * json.Number), `secret` serving *dependency.Secret built from the stored Vault responses — and
 * must produce the same bytes or the same error text.
 *
 * The known differences are listed below, so the suite stays green while every one of them stays
 * visible in the test names.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { expected, loadGoldens, renderCase, sameResult } from "../../../scripts/goldens/gotemplate/render.ts";

/**
 * Why vaultrun differs from Go, one line each, with the file the fix most likely belongs in.
 * Empty now: every case matches Go. A difference found later is listed here, not hidden.
 */
const CAUSES: Record<string, string> = {};

/**
 * Case id → cause. Every listed case must still differ from Go (so a fix elsewhere shows up
 * here as a failure: delete the id); every unlisted case must match Go exactly.
 * scripts/goldens/gotemplate/triage.ts --ids regroups the current differences.
 */
const KNOWN_DIFFERENCES: Record<keyof typeof CAUSES, string[]> = {};

const goldens = loadGoldens(join(import.meta.dir, "testdata", "gotemplate-goldens.json"));

const causeOf = new Map<string, keyof typeof CAUSES>();
for (const [cause, ids] of Object.entries(KNOWN_DIFFERENCES) as [keyof typeof CAUSES, string[]][]) {
  for (const id of ids) causeOf.set(id, cause);
}

describe(`Go text/template goldens (${goldens.cases.length} cases, Go ${goldens.goVersion}, ${goldens.ctVersion})`, () => {
  test("the goldens are present and varied", () => {
    const count = (pred: (c: (typeof goldens.cases)[number]) => boolean) => goldens.cases.filter(pred).length;
    expect(goldens.cases.length).toBeGreaterThan(3500);
    expect(count((c) => c.out !== undefined)).toBeGreaterThan(1200);
    expect(count((c) => c.phase === "parse")).toBeGreaterThan(400);
    expect(count((c) => c.phase === "exec")).toBeGreaterThan(1500);
    expect(count((c) => !c.id.startsWith("rnd-"))).toBeGreaterThan(800);
  });

  test("every known difference names an existing case, once", () => {
    const ids = new Set(goldens.cases.map((c) => c.id));
    const listed = Object.values(KNOWN_DIFFERENCES).flat();
    expect(listed.filter((id) => !ids.has(id))).toEqual([]);
    expect(listed.length).toBe(causeOf.size);
  });

  for (const c of goldens.cases) {
    const cause = causeOf.get(c.id);
    test(cause ? `${c.id} (known difference: ${cause})` : c.id, () => {
      const want = expected(c);
      const got = renderCase(goldens, c);
      // Bad input must give Go's error text, never a raw JS exception.
      expect("phase" in got && got.phase === "uncaught" ? got : null).toBeNull();
      if (cause) {
        // Listed as different: if this fails, vaultrun now agrees with Go here; delete the id.
        expect(sameResult(got, want)).toBe(false);
        return;
      }
      expect({ tpl: c.tpl, data: c.data ?? null, ...got }).toEqual({
        tpl: c.tpl,
        data: c.data ?? null,
        ...want,
      });
    });
  }
});
