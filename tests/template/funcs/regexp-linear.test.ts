/**
 * Every template regexp runs in time linear in the subject (regexp-route.ts): the patterns a
 * backtracking JS RegExp could take exponential or polynomial time on run on Go's program, whose
 * DFA search reads each character once; the common ones stay on JS RegExp where that is provably
 * linear. Wall-clock bounds here are generous (the machine may be busy); the step counts are what
 * can fail.
 */
import { describe, expect, test } from "bun:test";
import { dfaFor } from "../../../src/template/funcs/regexp-dfa.ts";
import {
  buildGoRegexp,
  compileGoRegexp,
  execGoSlots,
  goRegexpMatch,
  goRegexpReplaceAll,
} from "../../../src/template/funcs/regexp.ts";
import { callSprigRegex as call } from "./helpers.ts";

const N = 50_000;

/** Pattern, adversarial subject, whether Go's MatchString is true. */
const PATHOLOGICAL: [string, string, boolean][] = [
  ["^(?:a|a)*c", "a".repeat(N), false],
  ["(?:a+)+b", "a".repeat(N), false],
  ["(a+)+b", "a".repeat(N), false],
  ["(a*)*b", "a".repeat(N), false],
  ["(?:a|aa)*c", "a".repeat(N), false],
  ["^(a|a?)+$", `${"a".repeat(N)}!`, false],
  ["^(\\w+\\s?)*$", `${"a".repeat(N)}!`, false],
  ["(.*a){12}", `${"a".repeat(11)}${"b".repeat(N)}`, false],
  ["(?:.*a){12}", `${"a".repeat(11)}${"b".repeat(N)}`, false],
  ["(?:a|a){30}x", "a".repeat(N), false],
  ["\\d*\\d*\\d*x", "1".repeat(N), false],
  ["x[a-z]*y", "x".repeat(N), false],
  ["^([a-zA-Z0-9._-]+)+@", `${"a".repeat(N)}!`, false],
  ["(?:\\s*,)*\\s*$x", " ".repeat(N), false],
  ["x[a-z]*y|z", "x".repeat(N), false],
];

describe("ReDoS: every pattern takes linear time", () => {
  test("the classic backtracking shapes run on Go's program, reading each character once", () => {
    for (const [p, s, want] of PATHOLOGICAL) {
      const r = compileGoRegexp(p);
      expect(`${p}: ${r.route}`).toMatch(/: vm-/);
      const dfa = dfaFor(r.vm!);
      const before = dfa.steps;
      const t = performance.now();
      expect(goRegexpMatch(p, s)).toBe(want);
      expect(performance.now() - t).toBeLessThan(2000);
      // One search: at most one step per character.
      expect(dfa.steps - before).toBeLessThanOrEqual(s.length);
    }
  });

  test("replacing with groups: each character read a bounded number of times", () => {
    const s = "ab".repeat(N / 2);
    const r = compileGoRegexp("(a|ab)(c|bcd)?(d*)");
    const dfa = dfaFor(r.vm!);
    const before = dfa.steps;
    const t = performance.now();
    // Leftmost-first: (a|ab) takes "a", and nothing after it can take the "b".
    expect(goRegexpReplaceAll("(a|ab)(c|bcd)?(d*)", "[$1]", s)).toBe("[a]b".repeat(N / 2));
    expect(performance.now() - t).toBeLessThan(2000);
    expect(dfa.steps - before).toBeLessThanOrEqual(3 * s.length);
  });

  test("a pattern JSC's step budget got wrong now gives Go's answer", () => {
    // JS RegExp gives up on the first branch past its backtracking budget and reports no match.
    expect(goRegexpMatch("^(?:(?:a|a)*$|a*!)", `${"a".repeat(30)}!`)).toBe(true);
    expect(goRegexpMatch("^(?:(?:a|a)*$|a*!)", `${"a".repeat(N)}!`)).toBe(true);
  });

  test("quadratic JS shapes take linear time: \\s+$, (\\d+)\\.(\\d+), trimming skip the runs they read", () => {
    for (const p of ["\\s+$", "(\\d+)\\.(\\d+)", "^\\s+|\\s+$", "a+b|c"])
      expect(compileGoRegexp(p).route).toBe("js-skip");
    const t = performance.now();
    expect(goRegexpReplaceAll("\\s+$", "", `${" ".repeat(200_000)}x`)).toBe(`${" ".repeat(200_000)}x`);
    expect(goRegexpReplaceAll("^\\s+|\\s+$", "", `x${" ".repeat(200_000)}x`)).toBe(
      `x${" ".repeat(200_000)}x`,
    );
    expect(goRegexpMatch("a+b|c", "a".repeat(200_000))).toBe(false);
    expect(goRegexpMatch("(\\d+)\\.(\\d+)", "1".repeat(200_000))).toBe(false);
    expect(call("mustRegexSplit", "[a-z]+\\d", "a".repeat(200_000), -1n)).toEqual(["a".repeat(200_000)]);
    // Quadratic backtracking would take minutes here.
    expect(performance.now() - t).toBeLessThan(2000);
  });

  test("common template patterns stay on JS RegExp", () => {
    for (const p of [
      "^[a-z0-9-]+$",
      "(\\d+)\\.(\\d+)",
      "^https?://([^/]+)",
      "[^a-zA-Z0-9]",
      "\\s+",
      "^v?(\\d+)\\.(\\d+)\\.(\\d+)$",
      "(?i)^(true|yes|on|1)$",
      ",\\s*",
      "^([A-Z_]+)=(.*)$",
      "(?m)^([A-Z_]+)=(.*)$",
      "\\.",
      "-+",
      "[A-Z]",
      "(\\w+)=(\\w+)",
      "^\\s*$",
      "^(dev|development|staging|prod)$",
    ]) {
      expect(`${p}: ${compileGoRegexp(p).route}`).toMatch(/: js/);
    }
  });

  test("the skip search gives Go's leftmost match from every start", () => {
    const patterns = [
      "\\d+\\.x",
      "(\\d+)\\.(\\d+)",
      "\\s+$",
      "(?i)k*s$",
      "[^/]*/",
      "a*?b",
      "([a-zé]+)1",
      "^\\s+|\\s+$",
      "x|\\d+y|[a-z]+1",
      "(?i)^k|s+$",
    ];
    const subjects = [
      "11.x1.x",
      "1.2 33.44 5.",
      "a  \n  ",
      "kKsKKKs",
      "ab/cd//e",
      "aaab ab b",
      "éé1a1",
      "",
      " x1y ab1 ",
      "K sS",
    ];
    for (const p of patterns) {
      const js = buildGoRegexp(p);
      expect(`${p}: ${js.route}`).toMatch(/: js-skip/);
      const vm = buildGoRegexp(p, "vm");
      for (const s of subjects) {
        for (let pos = 0; pos <= s.length; pos++)
          expect(execGoSlots(js, s, pos)).toEqual(execGoSlots(vm, s, pos));
      }
    }
  });

  test("the route follows the rule: LL(1), and anchored, committing or skipping", () => {
    const route = (p: string) => buildGoRegexp(p).route;
    // Anchored and LL(1).
    expect(route("^a+b$")).toBe("js");
    // Not LL(1): both branches can start with a, or a round and leaving both can read a.
    expect(route("^(?:ab|ac)+$")).toBe("vm-time");
    expect(route("^a*a$")).toBe("vm-time");
    // No unbounded repetition and few paths: a start costs a bound of the pattern's.
    expect(route("^(dev|development)$")).toBe("js");
    expect(route("(?:a|a){5}x")).toBe("js");
    expect(route("(?:a|a){9}x")).toBe("vm-time");
    expect(route("(?:a|a){30}x")).toBe("vm-time");
    // Every unbounded repetition commits: what follows can match empty.
    expect(route("x\\d+")).toBe("js");
    expect(route("x\\d+y?")).toBe("js");
    // A repetition followed by something that can fail, not at the start: quadratic on JS.
    expect(route("x\\d+y")).toBe("vm-time");
    expect(route("x\\d+$")).toBe("vm-time");
    // ... but at the start, the skip search handles it.
    expect(route("\\d+y")).toBe("js-skip");
    // Required rounds after the first: the inner loop does not commit.
    expect(route("(?:b\\d+){2}")).toBe("vm-time");
    // Anchored at line starts, when no item can read a line break.
    expect(route("(?m)^([A-Z_]+)=(.*)$")).toBe("js");
    expect(route("(?m)^\\s*$")).toBe("vm-time");
    // Unicode classes count as any character.
    expect(route("\\pL+\\d")).toBe("vm-time");
  });
});
