/**
 * Go's matching algorithm (src/template/funcs/regexp-vm.ts) for the patterns a JS RegExp runs
 * with other results. Expected values are Go 1.26's; scripts/fuzz/regexp-diff.ts compares both
 * engines with Go on random patterns, and the gotemplate/sprig goldens carry more cases.
 */
import { describe, expect, test } from "bun:test";
import {
  buildGoRegexp,
  compileGoRegexp,
  execGoSlots,
  goRegexpMatch,
  goRegexpReplaceAll,
} from "../../../src/template/funcs/regexp.ts";
import { vmExec } from "../../../src/template/funcs/regexp-vm.ts";
import { callSprigRegex as call } from "./helpers.ts";

describe("Go's regexp semantics where JS RegExp differs", () => {
  test("captures inside a repetition keep what an earlier round captured", () => {
    expect(goRegexpReplaceAll("(?:(a)|b)+", "[$1]", "ab")).toBe("[a]");
    expect(goRegexpReplaceAll("(?:(a)|(b))+", "[$1|$2]", "ab")).toBe("[a|b]");
    expect(goRegexpReplaceAll("(?:(a)|b){2}", "[$1]", "ab")).toBe("[a]");
    expect(goRegexpReplaceAll("(a|b)*?c", "[$1]", "abc")).toBe("[b]");
  });

  test("an empty round is taken in priority order", () => {
    expect(goRegexpReplaceAll("(a??)+", "[$1]", "a")).toBe("[]a[]");
    expect(goRegexpReplaceAll("(a*)*", "[$1]", "b")).toBe("[]b[]");
    expect(goRegexpReplaceAll("(a*)+", "[$1]", "b")).toBe("[]b[]");
    // golang.org/issue/46123: x* and x+ agree when x can match empty.
    expect(goRegexpReplaceAll("(|a)*", "[$1]", "aa")).toBe("[]a[]a[]");
    expect(call("mustRegexFindAll", "(a??)+", "aa", -1n)).toEqual(["", "", ""]);
    expect(call("mustRegexSplit", "(|a)+", "baa", -1n)).toEqual(["b", "a", "a"]);
    expect(call("mustRegexFind", "(|a)+", "aa")).toBe("");
  });

  test("group positions are Go's, in UTF-16 units, across astral characters", () => {
    expect(execGoSlots(compileGoRegexp("(?:(😀)|b)+"), "x😀b", 0)).toEqual([1, 4, 1, 3]);
    expect(execGoSlots(compileGoRegexp("(?i)(?:(k)|s)+"), "K\u017f", 0)).toEqual([0, 2, 0, 1]);
    expect(goRegexpMatch("^(?:(\\b)|a)+$", "a")).toBe(true);
    expect(execGoSlots(compileGoRegexp("^(?:(\\b)|a)+$"), "a", 0)).toEqual([0, 1, -1, -1]);
  });

  test("only the patterns that need it leave the JS RegExp for their results", () => {
    for (const p of ["(a|b)*", "(?:(a)|b){2}", "(a??)+", "(?:a?)+", "(?:\\b)*", "(?:a|)+?"]) {
      expect(compileGoRegexp(p).route).toBe("vm-results");
    }
    for (const p of ["a+b|c", "(\\d+\\.)?(\\d+)", "(?:ab)*", "(a)(?:b|c)+", "(?:a?){2}", "(a)?"]) {
      expect(compileGoRegexp(p).route).not.toBe("vm-results");
    }
    // Of those, the ones a backtracking search could take more than linear time on go to the
    // program for that (regexp-linear.test.ts).
    for (const p of ["(?:ab)*", "(a)(?:b|c)+", "(a)?"]) expect(compileGoRegexp(p).vm).toBeNull();
  });

  test("the program's DFA search finds the Pike VM's matches, groups included", () => {
    const patterns = [
      "(a|b)*",
      "(a|ab)(c|bcd)(d*)",
      "(?m)^(a+)$",
      "\\b(\\w+)\\b",
      "(?:(a)|b)+?c",
      "x*",
      "(a??)+",
      "(?i)(k)+s",
    ];
    const subjects = ["", "abcd", "ab\nab\n", "a KKs ks b", "aabbc xbac", "ſKKS"];
    for (const p of patterns) {
      const r = buildGoRegexp(p, "vm");
      for (const s of subjects) {
        for (let pos = 0; pos <= s.length; pos++)
          expect(execGoSlots(r, s, pos)).toEqual(vmExec(r.vm!, s, pos));
      }
    }
  });

  test("both engines agree on every pattern either can run", () => {
    for (const p of ["(a|b)*", "(a)(?:b|c)+", "x*(?i)y|(z)", "(?m)^(a)$"]) {
      const js = buildGoRegexp(p, "js");
      const vm = buildGoRegexp(p, "vm");
      for (const s of ["", "ab", "xYz", "a\na", "bcbc"]) {
        for (let pos = 0; pos <= s.length; pos++)
          expect(execGoSlots(vm, s, pos)).toEqual(execGoSlots(js, s, pos));
      }
    }
  });

  test("a 100 KB subject takes well under a second", () => {
    const s = "ab".repeat(50_000);
    const start = performance.now();
    expect(goRegexpReplaceAll("(a|b)*", "[$1]", s)).toBe("[b]");
    expect((call("mustRegexFindAll", "(?:(a)|b)+?", s, -1n) as string[]).length).toBe(100_000);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  test("patterns JS cannot compile, or too deep to walk, give Go's results or an error, never a crash", () => {
    // 200,000 optional items: too large for JS's regexp compiler, not for Go.
    expect(goRegexpReplaceAll("(?:a?)".repeat(200_000), "x", "aab")).toBe("xbx");
    // 20,000 levels: Go refuses past 1,000 (regexp-limits.test.ts), with the whole pattern quoted.
    const deep = `${"(".repeat(20_000)}a*${")*".repeat(20_000)}`;
    expect(() => goRegexpReplaceAll(deep, "x", "aab")).toThrow(
      `error parsing regexp: expression nests too deeply: \`${deep}\``,
    );
  });
});
