/**
 * Error texts of the builtins and CT helpers where Go's exact formatting is easy to get wrong:
 * the type index names after looking through a pointer, int64() of a uint64 index, %s in eq's
 * non-comparable error, and loop's string bounds through CT's parseInt. (The Go goldens in
 * tests/template/core check the same cases among others; these name the rule.)
 */
import { describe, expect, test } from "bun:test";
import { run } from "./helpers.ts";

const at = (tpl: string, err: string) => `ERR template: :1:3: executing "" at <${tpl}>: error calling ${err}`;

describe("index", () => {
  test("looks through a pointer before naming the type it cannot index", () => {
    const secrets = { "kv/app": '{"data":{"a":"1"}}' };
    expect(run('{{ index (secret "kv/app") 0 }}', { secrets })).toBe(
      at('index (secret "kv/app") 0', "index: can't index item of type dependency.Secret"),
    );
  });

  test("converts a uint64 index with int64(), so the largest is -1", () => {
    expect(run('{{ index "abc" (parseUint "18446744073709551615") }}')).toBe(
      at('index "abc" (parseUint "18446744073709551615")', "index: index out of range: -1"),
    );
    expect(run('{{ slice "abc" (parseUint "9223372036854775808") }}')).toBe(
      at('slice "abc" (parseUint "9223372036854775808")', "slice: index out of range: -9223372036854775808"),
    );
    expect(run('{{ index "abc" (parseUint "1") }}')).toBe("98");
  });
});

describe("eq", () => {
  test('formats the non-comparable value with %s, as Go does ("%!s(bool=true)")', () => {
    expect(run('{{ eq (parseJSON "[true, 1.5, \\"x\\", null]") (parseJSON "[]") }}')).toBe(
      at(
        'eq (parseJSON "[true, 1.5, \\"x\\", null]") (parseJSON "[]")',
        "eq: non-comparable type []: []interface {}",
      ),
    );
    expect(run('{{ eq (parseJSON "{}") (parseJSON "{\\"b\\": true, \\"f\\": 1.5}") }}')).toBe(
      at(
        'eq (parseJSON "{}") (parseJSON "{\\"b\\": true, \\"f\\": 1.5}")',
        "eq: non-comparable type map[b:%!s(bool=true) f:%!s(float64=1.5)]: map[string]interface {}",
      ),
    );
  });
});

describe("loop", () => {
  test('reads string bounds with CT\'s parseInt: "" is 0', () => {
    expect(run('{{ range loop "" }}x{{ else }}none{{ end }}|{{ range loop "2" "4" }}{{ . }}{{ end }}')).toBe(
      "none|23",
    );
  });

  test("its parse errors carry parseInt's prefix", () => {
    expect(run('{{ loop "x" }}')).toBe(
      at('loop "x"', 'loop: parseInt: strconv.ParseInt: parsing "x": invalid syntax'),
    );
  });
});
