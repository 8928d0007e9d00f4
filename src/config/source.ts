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
export function parseSource(path: string, input: string): ObjectNode {
  // A leading byte-order mark (Windows editors) is not part of any of the three syntaxes.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const format = detectFormat(path, text);
  if (format === "hcl") return parseHcl(text);
  if (format === "json") return jsonToAst(text);
  let value: unknown;
  try {
    value = parseToml(text);
  } catch (e) {
    // smol-toml's TomlError carries the 1-based line and column of the problem.
    const te = e as { line?: unknown; column?: unknown; message?: unknown };
    const pos =
      typeof te.line === "number" && typeof te.column === "number"
        ? { line: te.line, column: te.column }
        : { line: 1, column: 1 };
    throw new HclSyntaxError(pos, `invalid TOML: ${String(te.message).split("\n")[0]}`);
  }
  // TOML tables map onto blocks exactly as JSON objects do (`[env_template.FOO]`, `[[template]]`).
  const root = valueToNode(value, { line: 1, column: 1 }) as ObjectNode;
  flattenObject(root);
  return root;
}

/** Converts a plain value (TOML) into AST nodes, all at `pos`. */
function valueToNode(v: unknown, pos: Pos): Node {
  if (Array.isArray(v)) return { type: "list", pos, items: v.map((x) => valueToNode(x, pos)) };
  if (v instanceof Date)
    return {
      type: "literal",
      pos,
      token: "STRING",
      text: JSON.stringify(v.toISOString()),
      value: v.toISOString(),
    };
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
    return {
      type: "literal",
      pos,
      token: Number.isInteger(n) ? "NUMBER" : "FLOAT",
      text: String(v),
      value: n,
    };
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
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(i))
      adv();
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
    if (!m)
      return fail(i >= text.length ? "unexpected end of JSON" : `invalid character ${JSON.stringify(c)}`);
    adv(m[0].length);
    if (m[1] === "true" || m[1] === "false")
      return { type: "literal", pos: p, token: "BOOL", text: m[0], value: m[0] === "true" };
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
  if (root.type !== "object")
    throw new HclSyntaxError({ line: 1, column: 1 }, "a JSON config must be an object");
  flattenObject(root);
  return root;
}

/**
 * hcl's JSON reader turns nested objects into HCL-style blocks so that JSON and HCL decode alike:
 * an item whose value is an object made only of objects becomes one item per member with the
 * member's key appended (`"env_template": {"FOO": {…}}` ≡ `env_template "FOO" {…}`), and an item
 * whose value is a non-empty list of objects becomes one item per element (repeated blocks).
 * Order is kept. Applied to every object, depth first, as hcl does.
 */
function flattenObject(obj: ObjectNode): void {
  const out: Item[] = [];
  const expand = (it: Item): void => {
    const v = it.value;
    if (v.type === "object" && v.items.length > 0 && v.items.every((sub) => sub.value.type === "object")) {
      for (const sub of v.items)
        expand({ keys: [...it.keys, ...sub.keys], assign: it.assign, value: sub.value, pos: it.pos });
      return;
    }
    if (v.type === "list" && v.items.length > 0 && v.items.every((e) => e.type === "object")) {
      for (const e of v.items) expand({ keys: it.keys, assign: it.assign, value: e, pos: it.pos });
      return;
    }
    out.push(it);
  };
  for (const it of obj.items) expand(it);
  obj.items = out;
  for (const it of out) flattenNode(it.value);
}

function flattenNode(n: Node): void {
  if (n.type === "object") flattenObject(n);
  else if (n.type === "list") for (const e of n.items) flattenNode(e);
}
