/**
 * HCL1 syntax tree with positions, shaped like hashicorp/hcl v1's AST (what
 * shared/tools/hcl1json -ast prints): an object is a list of items; an item has one or more keys
 * (`method "aws" { … }` has keys ["method", "aws"]), says whether it was `key = value` (assign)
 * or a block, and holds an object, list or literal value.
 *
 * The grammar and its leniencies follow hcl v1's parser (so files Vault accepts parse the same):
 * items may be separated by commas, lists accept stray commas and need no comma after a nested
 * list, and a dangling `key =` at the very end of a file is dropped. Error messages use hcl's
 * wording. Literal values hcl would crash on (`08`, out-of-range numbers) are syntax errors here.
 */
import { HclSyntaxError, heredocValue, type Pos, Scanner, type Token, unquote } from "./lexer.ts";

export type Node = ObjectNode | ListNode | LiteralNode;

export interface Key {
  value: string;
  pos: Pos;
}

export interface Item {
  keys: Key[];
  assign: boolean;
  value: Node;
  pos: Pos;
}

export interface ObjectNode {
  type: "object";
  pos: Pos;
  items: Item[];
}

export interface ListNode {
  type: "list";
  pos: Pos;
  items: Node[];
}

export interface LiteralNode {
  type: "literal";
  pos: Pos;
  token: "STRING" | "HEREDOC" | "NUMBER" | "FLOAT" | "BOOL";
  text: string;
  value: string | number | boolean;
}

export { HclSyntaxError };

/** Thrown internally when a value is missing at the end of the file (hcl drops that item). */
const EOF_VALUE = Symbol("eof");

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function parseHcl(src: string): ObjectNode {
  const sc = new Scanner(src);
  let tok: Token = { type: "EOF", text: "", pos: { line: 1, column: 1 } };
  let pushedBack = false;
  const scan = (): Token => {
    if (pushedBack) pushedBack = false;
    else tok = sc.next();
    return tok;
  };
  const unscan = () => {
    pushedBack = true;
  };
  const fail = (pos: Pos, msg: string): never => {
    throw new HclSyntaxError(pos, msg);
  };

  function objectList(inObject: boolean): Item[] {
    const items: Item[] = [];
    for (;;) {
      if (inObject) {
        const t = scan();
        unscan();
        if (t.type === "RBRACE") return items;
      }
      const item = objectItem();
      if (item === EOF_VALUE) return items;
      items.push(item);
      if (scan().type !== "COMMA") unscan();
    }
  }

  function objectItem(): Item | typeof EOF_VALUE {
    const keys: Key[] = [];
    const keyText: string[] = [];
    for (;;) {
      const t = scan();
      if (t.type === "IDENT" || t.type === "STRING") {
        keys.push({ value: t.type === "STRING" ? unquote(t.text, t.pos) : t.text, pos: t.pos });
        keyText.push(t.text);
        continue;
      }
      if (t.type === "EOF" && keys.length === 0) return EOF_VALUE;
      if (t.type === "ASSIGN") {
        if (keys.length > 1) fail(t.pos, "nested object expected: LBRACE got: ASSIGN");
        if (keys.length === 0) fail(t.pos, "no object keys found!");
        const value = object();
        if (value === EOF_VALUE) return EOF_VALUE;
        return { keys, assign: true, value, pos: keys[0]!.pos };
      }
      if (t.type === "LBRACE") {
        if (keys.length === 0) fail(t.pos, "expected: IDENT | STRING got: LBRACE");
        return { keys, assign: false, value: objectType(t), pos: keys[0]!.pos };
      }
      if (keys.length > 0 && (t.type === "EOF" || t.type === "RBRACE")) {
        fail(t.pos, `key '${keyText.join(" ")}' expected start of object ('{') or assignment ('=')`);
      }
      return fail(t.pos, `expected: IDENT | STRING | ASSIGN | LBRACE got: ${t.type}`);
    }
  }

  /** The value after `=`. */
  function object(): Node | typeof EOF_VALUE {
    const t = scan();
    switch (t.type) {
      case "NUMBER":
      case "FLOAT":
      case "BOOL":
      case "STRING":
      case "HEREDOC":
        return literal(t);
      case "LBRACE":
        return objectType(t);
      case "LBRACK":
        return listType(t);
      case "EOF":
        return EOF_VALUE;
      default:
        return fail(t.pos, `Unknown token: ${t.pos.line}:${t.pos.column} ${t.type} ${t.text}`);
    }
  }

  function objectType(open: Token): ObjectNode {
    const items = objectList(true);
    const close = scan();
    if (close.type !== "RBRACE") fail(close.pos, `object expected closing RBRACE got: ${close.type}`);
    return { type: "object", pos: open.pos, items };
  }

  function listType(open: Token): ListNode {
    const items: Node[] = [];
    let needComma = false;
    for (;;) {
      const t = scan();
      if (needComma && t.type !== "COMMA" && t.type !== "RBRACK") {
        fail(t.pos, `error parsing list, expected comma or list end, got: ${t.type}`);
      }
      switch (t.type) {
        case "BOOL":
        case "NUMBER":
        case "FLOAT":
        case "STRING":
        case "HEREDOC":
          items.push(literal(t));
          needComma = true;
          break;
        case "COMMA":
          needComma = false;
          break;
        case "LBRACE":
          items.push(objectType(t));
          needComma = true;
          break;
        case "LBRACK":
          items.push(listType(t)); // hcl asks for no comma after a nested list
          break;
        case "RBRACK":
          return { type: "list", pos: open.pos, items };
        default:
          fail(t.pos, `unexpected token while parsing list: ${t.type}`);
      }
    }
  }

  function literal(t: Token): LiteralNode {
    const type = t.type as LiteralNode["token"];
    let value: string | number | boolean;
    switch (type) {
      case "STRING":
        value = unquote(t.text, t.pos);
        break;
      case "HEREDOC":
        value = heredocValue(t.text);
        break;
      case "BOOL":
        value = t.text === "true";
        break;
      case "NUMBER":
        value = parseGoInt(t);
        break;
      case "FLOAT": {
        value = Number(t.text);
        if (!Number.isFinite(value))
          fail(t.pos, `invalid number ${JSON.stringify(t.text)}: value out of range`);
        break;
      }
    }
    return { type: "literal", pos: t.pos, token: type, text: t.text, value };
  }

  /** strconv.ParseInt(text, 0, 64) over what the scanner produces: decimal, 0-octal, 0x-hex. */
  function parseGoInt(t: Token): number {
    const neg = t.text.charCodeAt(0) === 45;
    const s = neg ? t.text.slice(1) : t.text;
    let big: bigint;
    if (s.length > 1 && s[0] === "0" && (s[1] === "x" || s[1] === "X")) big = BigInt(s);
    else if (s.length > 1 && s[0] === "0") {
      for (let k = 1; k < s.length; k++) if (s[k]! > "7") fail(t.pos, "illegal octal number");
      big = BigInt(`0o${s.slice(1)}`);
    } else big = BigInt(s);
    if (neg) big = -big;
    if (big < INT64_MIN || big > INT64_MAX)
      fail(t.pos, `invalid number ${JSON.stringify(t.text)}: value out of range`);
    return Number(big);
  }

  const items = objectList(false);
  return { type: "object", pos: { line: 1, column: 1 }, items };
}

/** The AST in shared/tools/hcl1json's -ast JSON shape (for golden comparisons). */
export function astToJson(node: Node | { items: Item[] }): unknown {
  const pos = (p: Pos) => `${p.line}:${p.column}`;
  const items = (list: Item[]) =>
    list.map((it) => ({
      assign: it.assign,
      keys: it.keys.map((k) => k.value),
      pos: pos(it.pos),
      value: astToJson(it.value),
    }));
  if (!("type" in node)) return { items: items(node.items) };
  switch (node.type) {
    case "object":
      return { items: items(node.items), pos: pos(node.pos), type: "object" };
    case "list":
      return {
        items: node.items.length ? node.items.map(astToJson) : null,
        pos: pos(node.pos),
        type: "list",
      };
    case "literal":
      return { pos: pos(node.pos), text: node.text, token: node.token, type: "literal", value: node.value };
  }
}

/** A whole file's AST in hcl1json's shape: just the top-level items. */
export function fileAstToJson(file: ObjectNode): unknown {
  return astToJson({ items: file.items });
}
