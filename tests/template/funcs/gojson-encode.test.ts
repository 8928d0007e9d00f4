/**
 * encoding/json as toJSON and friends use it (funcs/gojson.ts): the escaping fast path must agree
 * with the escaping loop, and a cycle fails with Go's message. Expected texts are Go 1.23's
 * json.Marshal, json.Encoder with SetEscapeHTML(false), and json.MarshalIndent of the same values.
 */
import { describe, expect, test } from "bun:test";
import { encodeGoJson } from "../../../src/template/funcs/gojson.ts";

const strings = {
  plain: "abc",
  html: '<a href="x">&</a>',
  ls: "a\u2028b\u2029c",
  ctl: "\x00\x01\b\f\n\r\t\x1f",
  bs: "a\\b",
  uni: "日本😀",
  // A byte that is not UTF-8 (held as a lone surrogate, see bytes.ts): Go writes \ufffd.
  bad: "a\udcffb",
};

describe("encodeGoJson", () => {
  test("escapes as json.Marshal does", () => {
    expect(encodeGoJson(strings)).toBe(
      '{"bad":"a\\ufffdb","bs":"a\\\\b","ctl":"\\u0000\\u0001\\b\\f\\n\\r\\t\\u001f","html":"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e","ls":"a\\u2028b\\u2029c","plain":"abc","uni":"日本😀"}',
    );
  });

  test("without HTML escaping", () => {
    expect(encodeGoJson(strings, { escapeHtml: false })).toBe(
      '{"bad":"a\\ufffdb","bs":"a\\\\b","ctl":"\\u0000\\u0001\\b\\f\\n\\r\\t\\u001f","html":"<a href=\\"x\\">&</a>","ls":"a\\u2028b\\u2029c","plain":"abc","uni":"日本😀"}',
    );
  });

  test("indented", () => {
    expect(encodeGoJson(["x", 1.5, null, true, {}], { indent: "  " })).toBe(
      '[\n  "x",\n  1.5,\n  null,\n  true,\n  {}\n]',
    );
    expect(encodeGoJson({ b: [1.5], a: {} }, { indent: "  " })).toBe(
      '{\n  "a": {},\n  "b": [\n    1.5\n  ]\n}',
    );
  });

  test("a cycle fails with Go's message", () => {
    const d: Record<string, unknown> = {};
    d.self = d;
    expect(() => encodeGoJson(d)).toThrow(
      "json: unsupported value: encountered a cycle via map[string]interface {}",
    );
    const l: unknown[] = [null];
    l[0] = l;
    expect(() => encodeGoJson(l)).toThrow("json: unsupported value: encountered a cycle via []interface {}");
  });

  test("a value shared by two members is not a cycle", () => {
    const shared = { x: 1.5 };
    expect(encodeGoJson({ a: shared, b: [shared, shared] })).toBe(
      '{"a":{"x":1.5},"b":[{"x":1.5},{"x":1.5}]}',
    );
  });
});
