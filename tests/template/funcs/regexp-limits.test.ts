/**
 * Go's parser limits (src/template/funcs/regexp-limits.ts): a tree more than 1,000 levels high,
 * a program of more than 3,355,443 instructions, classes of more than 33,554,432 runes. Expected
 * results are Go 1.26's; the gotemplate goldens (fuzz-found-121 on) and scripts/fuzz/regexp-diff.ts
 * (kind "limits") carry more.
 */
import { describe, expect, test } from "bun:test";
import { buildGoRegexp, goRegexpMatch } from "../../../src/template/funcs/regexp.ts";

/** Go's Compile error for p, or "" when Go takes it. */
function err(p: string): string {
  try {
    buildGoRegexp(p);
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

const deep = (open: string, n: number, inner: string, close: string) =>
  open.repeat(n) + inner + close.repeat(n);
const tooDeep = (p: string) => `error parsing regexp: expression nests too deeply: \`${p}\``;
const tooLarge = (p: string) => `error parsing regexp: expression too large: \`${p}\``;

describe("Go's regexp limits", () => {
  test("1,000 levels of Go's tree, as Go's parser shapes it", () => {
    expect(err(deep("(", 999, "a", ")"))).toBe("");
    const p = deep("(", 1000, "a", ")");
    expect(err(p)).toBe(tooDeep(p));
    // a|b is one class to Go; ab|cd stays an alternation (one level more); ab|ac is a(?:[bc]).
    expect(err(deep("(", 999, "a|b", ")"))).toBe("");
    expect(err(deep("(", 999, "ab|cd", ")"))).toBe(tooDeep(deep("(", 999, "ab|cd", ")")));
    expect(err(deep("(", 998, "ab|cd", ")"))).toBe("");
    expect(err(deep("(", 999, "ab|ac", ")"))).toBe(tooDeep(deep("(", 999, "ab|ac", ")")));
    expect(err(deep("(", 998, "[ab]c|[ab]d", ")"))).toBe("");
    // Repetitions count; groups that capture nothing do not.
    expect(err(deep("(?:", 999, "a", ")*"))).toBe("");
    expect(err(deep("(?:", 1000, "a", ")*"))).toBe(tooDeep(deep("(?:", 1000, "a", ")*")));
    expect(err(deep("(?:", 5000, "a", ")"))).toBe("");
    expect(goRegexpMatch(deep("(?:", 5000, "a", ")"), "xa")).toBe(true);
  });

  test("which error comes first: Go checks as it parses", () => {
    const p = `${deep("(", 1000, "a", ")")}\\8`;
    expect(err(p)).toBe(tooDeep(p));
    expect(err(`\\8${deep("(", 1000, "a", ")")}`)).toBe(
      "error parsing regexp: invalid escape sequence: `\\8`",
    );
    // Unclosed: the check is on what is built, and an open group is not built yet.
    const open = `${"(".repeat(1001)}a`;
    expect(err(open)).toBe(`error parsing regexp: missing closing ): \`${open}\``);
    const extra = `${deep("(", 1000, "a", ")")})`;
    expect(err(extra)).toBe(tooDeep(extra));
  });

  test("3,355,443 instructions, counted before the copies of a repetition are", () => {
    expect(err("(?:(?:xxxx){1000}){1000}")).toBe(tooLarge("(?:(?:xxxx){1000}){1000}"));
    expect(err("(?:(?:x){1000}){1000}")).toBe("error parsing regexp: invalid repeat count: `{1000}`");
    const ok = `(?:${"ab".repeat(1677)}a){1000}`;
    expect(err(ok)).toBe("");
    const over = `(?:${"ab".repeat(1678)}){1000}`;
    expect(err(over)).toBe(tooLarge(over));
    expect(err("a{1000}".repeat(3355))).toBe("");
    expect(err("a{1000}".repeat(3356))).toBe(tooLarge("a{1000}".repeat(3356)));
  });
});
