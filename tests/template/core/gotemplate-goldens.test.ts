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

/** Why vaultrun differs from Go, one line each, with the file the fix most likely belongs in. */
const CAUSES = {
  "static-type":
    'exec.ts: "can\'t evaluate field F in type T" must name the static type, interface {} for a map or slice element, not the dynamic type (Go takes the type before looking through the interface)',
  "slice-index-static-type":
    'builtins.ts: slice, unlike index, does not look through interfaces, so "cannot index slice/array with type" names interface {} for a map value',
  "number-syntax":
    'parse.ts: a malformed number with underscores (1__0, 1_, 1_000_) is "illegal number syntax" (strconv rejects it), not "integer overflow"',
  "right-paren": 'lex.ts: Go\'s lexer (1.20+) says "unexpected right paren", without the %#U rune',
  terminator:
    "lex.ts: only the whole right delimiter ends a field or identifier; a lone '}' after one is \"bad character U+007D '}'\"",
  "slice-capacity":
    "value model: a JSON-decoded slice has Go's append capacity (4 for 3 elements), so a 3-index slice up to 4 is legal",
} as const;

/**
 * Case id → cause. Every listed case must still differ from Go (so a fix elsewhere shows up
 * here as a failure: delete the id); every unlisted case must match Go exactly.
 * scripts/goldens/gotemplate/triage.ts --ids regroups the current differences.
 */
const KNOWN_DIFFERENCES: Record<keyof typeof CAUSES, string[]> = {
  "static-type": [
    "print-data-022",
    "print-data-023",
    "print-data-024",
    "print-data-025",
    "print-data-026",
    "print-data-030",
    "print-data-040",
    "print-data-049",
    "funcs-builtin-misc-044",
    "funcs-builtin-misc-047",
    "secret-037",
    "positions-003",
    "positions-006",
    "positions-007",
    "positions-008",
    "positions-016",
    "positions-028",
    "positions-029",
    "rnd-0057",
    "rnd-0073",
    "rnd-0096",
    "rnd-0099",
    "rnd-0144",
    "rnd-0166",
    "rnd-0170",
    "rnd-0188",
    "rnd-0201",
    "rnd-0204",
    "rnd-0225",
    "rnd-0245",
    "rnd-0257",
    "rnd-0263",
    "rnd-0282",
    "rnd-0289",
    "rnd-0293",
    "rnd-0300",
    "rnd-0339",
    "rnd-0341",
    "rnd-0379",
    "rnd-0403",
    "rnd-0408",
    "rnd-0416",
    "rnd-0422",
    "rnd-0464",
    "rnd-0470",
    "rnd-0482",
    "rnd-0488",
    "rnd-0502",
    "rnd-0503",
    "rnd-0512",
    "rnd-0517",
    "rnd-0580",
    "rnd-0613",
    "rnd-0619",
    "rnd-0620",
    "rnd-0643",
    "rnd-0674",
    "rnd-0677",
    "rnd-0696",
    "rnd-0699",
    "rnd-0718",
    "rnd-0736",
    "rnd-0738",
    "rnd-0750",
    "rnd-0770",
    "rnd-0776",
    "rnd-0778",
    "rnd-0829",
    "rnd-0841",
    "rnd-0866",
    "rnd-0876",
    "rnd-0883",
    "rnd-0892",
    "rnd-0898",
    "rnd-0905",
    "rnd-0920",
    "rnd-0935",
    "rnd-1013",
    "rnd-1036",
    "rnd-1043",
    "rnd-1053",
    "rnd-1074",
    "rnd-1096",
    "rnd-1098",
    "rnd-1132",
    "rnd-1139",
    "rnd-1146",
    "rnd-1157",
    "rnd-1208",
    "rnd-1256",
    "rnd-1267",
    "rnd-1273",
    "rnd-1281",
    "rnd-1291",
    "rnd-1301",
    "rnd-1303",
    "rnd-1328",
    "rnd-1338",
    "rnd-1459",
    "rnd-1460",
    "rnd-1494",
    "rnd-1496",
    "rnd-1553",
    "rnd-1562",
    "rnd-1576",
    "rnd-1602",
    "rnd-1606",
    "rnd-1626",
    "rnd-1645",
    "rnd-1648",
    "rnd-1672",
    "rnd-1694",
    "rnd-1699",
    "rnd-1728",
    "rnd-1746",
    "rnd-1772",
    "rnd-1842",
    "rnd-1852",
    "rnd-1870",
    "rnd-1875",
    "rnd-1888",
    "rnd-1896",
    "rnd-1905",
    "rnd-1923",
    "rnd-1935",
    "rnd-1941",
    "rnd-1962",
    "rnd-1993",
    "rnd-1999",
    "rnd-2006",
    "rnd-2011",
    "rnd-2027",
    "rnd-2043",
    "rnd-2054",
    "rnd-2077",
    "rnd-2084",
    "rnd-2125",
    "rnd-2137",
    "rnd-2146",
    "rnd-2155",
    "rnd-2176",
    "rnd-2183",
    "rnd-2271",
    "rnd-2280",
    "rnd-2355",
    "rnd-2372",
    "rnd-2394",
    "rnd-2399",
    "rnd-2407",
    "rnd-2418",
    "rnd-2436",
    "rnd-2446",
    "rnd-2464",
    "rnd-2468",
    "rnd-2486",
    "rnd-2505",
    "rnd-2512",
    "rnd-2553",
    "rnd-2562",
    "rnd-2570",
    "rnd-2577",
    "rnd-2584",
    "rnd-2602",
    "rnd-2603",
    "rnd-2627",
    "rnd-2632",
    "rnd-2644",
    "rnd-2665",
    "rnd-2666",
    "rnd-2670",
    "rnd-2696",
    "rnd-2699",
    "rnd-2707",
    "rnd-2708",
    "rnd-2712",
    "rnd-2720",
    "rnd-2722",
    "rnd-2727",
    "rnd-2728",
    "rnd-2736",
    "rnd-2739",
    "rnd-2793",
    "rnd-2799",
    "rnd-2811",
    "rnd-2819",
    "rnd-2843",
    "rnd-2853",
    "rnd-2855",
    "rnd-2903",
    "rnd-2939",
    "rnd-2940",
    "rnd-2978",
    "rnd-2981",
    "rnd-2994",
  ],
  "slice-index-static-type": ["rnd-1403", "rnd-2432"],
  "number-syntax": ["const-004", "const-005", "unterminated-077"],
  "right-paren": [
    "pipeline-015",
    "positions-019",
    "delims-square-011",
    "unterminated-008",
    "unterminated-016",
    "rnd-2459",
    "rnd-2850",
  ],
  terminator: ["rnd-0954", "rnd-2617"],
  "slice-capacity": ["len-index-slice-052"],
};

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
