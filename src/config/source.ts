/**
 * Reading one config file into the HCL AST, whatever its format: HCL1 (our parser), JSON (as
 * hashicorp/hcl accepts it: objects become items, arrays of objects become repeated blocks) or
 * TOML (our extension, via smol-toml; TOML gives no positions, so nodes point at the file start).
 */
import { parse as parseToml } from "smol-toml";
import { HclSyntaxError, type Pos } from "./hcl/lexer.ts";
import { type Item, type Node, type ObjectNode, parseHcl } from "./hcl/parser.ts";

export type ConfigFormat = "hcl" | "json" | "toml";

export function detectFormat(path: string, text: string): ConfigFormat {
  if (path.endsWith(".toml")) return "toml";
  if (path.endsWith(".json") || text.trimStart().startsWith("{")) return "json";
  return "hcl";
}

/** Parses a file's text; throws HclSyntaxError with a position. */
export function parseSource(path: string, text: string): ObjectNode {
  const format = detectFormat(path, text);
  if (format === "hcl") return parseHcl(text);
  if (format === "json") return jsonToAst(text);
  let value: unknown;
  try {
    value = parseToml(text);
  } catch (e) {
    const m = /line (\d+), column (\d+)/i.exec(String((e as Error).message));
    const pos = m ? { line: Number(m[1]), column: Number(m[2]) } : { line: 1, column: 1 };
    throw new HclSyntaxError(pos, `invalid TOML: ${String((e as Error).message).split("\n")[0]}`);
  }
  return valueToNode(value, { line: 1, column: 1 }) as ObjectNode;
}

/** Converts a plain value (TOML) into AST nodes, all at `pos`. */
function valueToNode(v: unknown, pos: Pos): Node {
  if (Array.isArray(v)) return { type: "list", pos, items: v.map((x) => valueToNode(x, pos)) };
  if (v instanceof Date) return { type: "literal", pos, token: "STRING", text: JSON.stringify(v.toISOString()), value: v.toISOString() };
  if (v !== null && typeof v === "object") {
    const items: Item[] = Object.entries(v as Record<string, unknown>).map(([k, val]) => ({
      keys: [{ value: k, pos }],
      assign: true,
      value: valueToNode(val, pos),
      pos,
    }));
    return { type: "object", pos, items };
  }
  if (typeof v === "boolean") return { type: "literal", pos, token: "BOOL", text: String(v), value: v };
  if (typeof v === "number" || typeof v === "bigint") {
    const n = Number(v);
    return { type: "literal", pos, token: Number.isInteger(n) ? "NUMBER" : "FLOAT", text: String(v), value: n };
  }
  return { type: "literal", pos, token: "STRING", text: JSON.stringify(String(v)), value: String(v) };
}

/** A small JSON parser that keeps positions (JSON.parse has none). */
export function jsonToAst(text: string): ObjectNode {
  let i = 0;
  let line = 1;
  let col = 1;
  const pos = (): Pos => ({ line, column: col });
  const fail = (msg: string): never => {
    throw new HclSyntaxError(pos(), msg);
  };
  const adv = (n = 1) => {
    for (let k = 0; k < n; k++) {
      if (text[i] === "\n") {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) adv();
  };
  function value(): Node {
    ws();
    const p = pos();
    const c = text[i];
    if (c === "{") {
      adv();
      const items: Item[] = [];
      ws();
      if (text[i] === "}") {
        adv();
        return { type: "object", pos: p, items };
      }
      for (;;) {
        ws();
        const kp = pos();
        if (text[i] !== '"') fail("expected a string key");
        const key = str();
        ws();
        if (text[i] !== ":") fail("expected ':' after key");
        adv();
        items.push({ keys: [{ value: key, pos: kp }], assign: true, value: value(), pos: kp });
        ws();
        if (text[i] === ",") {
          adv();
          continue;
        }
        if (text[i] === "}") {
          adv();
          return { type: "object", pos: p, items };
        }
        fail("expected ',' or '}' in object");
      }
    }
    if (c === "[") {
      adv();
      const items: Node[] = [];
      ws();
      if (text[i] === "]") {
        adv();
        return { type: "list", pos: p, items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ",") {
          adv();
          continue;
        }
        if (text[i] === "]") {
          adv();
          return { type: "list", pos: p, items };
        }
        fail("expected ',' or ']' in array");
      }
    }
    if (c === '"') {
      const start = i;
      const s = str();
      return { type: "literal", pos: p, token: "STRING", text: text.slice(start, i), value: s };
    }
    const m = /^(true|false|null|-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)/.exec(text.slice(i, i + 64));
    if (!m) return fail(i >= text.length ? "unexpected end of JSON" : `invalid character ${JSON.stringify(c)}`);
    adv(m[0].length);
    if (m[1] === "true" || m[1] === "false") return { type: "literal", pos: p, token: "BOOL", text: m[0], value: m[0] === "true" };
    if (m[1] === "null") return { type: "literal", pos: p, token: "STRING", text: "null", value: "" };
    const isFloat = m[3] !== undefined || m[4] !== undefined;
    return { type: "literal", pos: p, token: isFloat ? "FLOAT" : "NUMBER", text: m[0], value: Number(m[0]) };
  }
  function str(): string {
    const start = i;
    adv();
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\n") fail("newline in string");
      adv(text[i] === "\\" ? 2 : 1);
    }
    if (i >= text.length) fail("string not terminated");
    adv();
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail("invalid string escape");
    }
  }
  const root = value();
  ws();
  if (i < text.length) fail("unexpected data after the top-level object");
  if (root.type !== "object") throw new HclSyntaxError({ line: 1, column: 1 }, "a JSON config must be an object");
  return root;
}
