/**
 * HCL1 syntax tree with positions, shaped like hashicorp/hcl v1's AST (what
 * shared/tools/hcl1json -ast prints): an object is a list of items; an item has one or more keys
 * (`method "aws" { … }` has keys ["method", "aws"]), says whether it was `key = value` (assign)
 * or a block, and holds an object, list or literal value.
 */
import { HclSyntaxError, heredocValue, type Pos, type Token, tokenize, unquote } from "./lexer.ts";

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

export function parseHcl(src: string): ObjectNode {
  const tokens = tokenize(src);
  let p = 0;
  const peek = () => tokens[p]!;
  const next = () => tokens[p++]!;
  const fail = (t: Token, msg: string): never => {
    throw new HclSyntaxError(t.pos, msg);
  };
  const describe = (t: Token) => (t.type === "EOF" ? "end of file" : `${t.type} ${JSON.stringify(t.text)}`);

  function objectList(top: boolean): Item[] {
    const items: Item[] = [];
    for (;;) {
      const t = peek();
      if (t.type === "EOF") {
        if (!top) fail(t, "object expected closing RBRACE got: EOF");
        return items;
      }
      if (t.type === "RBRACE") {
        if (top) fail(t, "unexpected RBRACE: no block to close");
        return items;
      }
      items.push(objectItem());
      if (peek().type === "COMMA") next();
    }
  }

  function objectItem(): Item {
    const keys: Key[] = [];
    for (;;) {
      const t = peek();
      if (t.type === "IDENT") keys.push({ value: next().text, pos: t.pos });
      else if (t.type === "STRING") keys.push({ value: unquote(next().text, t.pos), pos: t.pos });
      else break;
    }
    const t = peek();
    if (keys.length === 0) fail(t, `expected: IDENT | STRING got: ${describe(t)}`);
    if (t.type === "ASSIGN") {
      if (keys.length > 1) fail(t, `nested object expected: LBRACE got: ASSIGN`);
      next();
      return { keys, assign: true, value: value(), pos: keys[0]!.pos };
    }
    if (t.type === "LBRACE") return { keys, assign: false, value: object(), pos: keys[0]!.pos };
    return fail(t, `key '${keys.map((k) => k.value).join(" ")}' expected start of object ('{') or assignment ('=')`);
  }

  function object(): ObjectNode {
    const open = next(); // LBRACE
    const items = objectList(false);
    next(); // RBRACE
    return { type: "object", pos: open.pos, items };
  }

  function list(): ListNode {
    const open = next(); // LBRACK
    const items: Node[] = [];
    for (;;) {
      const t = peek();
      if (t.type === "RBRACK") {
        next();
        return { type: "list", pos: open.pos, items };
      }
      if (t.type === "EOF") fail(open, "list not terminated: expected RBRACK");
      items.push(value());
      const sep = peek();
      if (sep.type === "COMMA") next();
      else if (sep.type !== "RBRACK") fail(sep, `list: expected COMMA or RBRACK got: ${describe(sep)}`);
    }
  }

  function value(): Node {
    const t = peek();
    switch (t.type) {
      case "LBRACE":
        return object();
      case "LBRACK":
        return list();
      case "STRING":
        next();
        return { type: "literal", pos: t.pos, token: "STRING", text: t.text, value: unquote(t.text, t.pos) };
      case "HEREDOC":
        next();
        return { type: "literal", pos: t.pos, token: "HEREDOC", text: t.text, value: heredocValue(t.text) };
      case "NUMBER": {
        next();
        return { type: "literal", pos: t.pos, token: "NUMBER", text: t.text, value: parseGoInt(t) };
      }
      case "FLOAT":
        next();
        return { type: "literal", pos: t.pos, token: "FLOAT", text: t.text, value: Number(t.text) };
      case "BOOL":
        next();
        return { type: "literal", pos: t.pos, token: "BOOL", text: t.text, value: t.text === "true" };
      default:
        return fail(t, `Unknown token: ${describe(t)}`);
    }
  }

  function parseGoInt(t: Token): number {
    let s = t.text;
    let sign = 1;
    if (s[0] === "-" || s[0] === "+") {
      sign = s[0] === "-" ? -1 : 1;
      s = s.slice(1);
    }
    let v: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = Number.parseInt(s.slice(2), 16);
    else if (/^0[0-7]+$/.test(s)) v = Number.parseInt(s.slice(1), 8);
    else if (/^[0-9]+$/.test(s) && !(s.length > 1 && s[0] === "0")) v = Number(s);
    else return fail(t, `invalid number ${JSON.stringify(t.text)}`);
    return sign * v;
  }

  const items = objectList(true);
  return { type: "object", pos: { line: 1, column: 1 }, items };
}

/** The AST in shared/tools/hcl1json's -ast JSON shape (for golden comparisons). */
export function astToJson(node: Node | { items: Item[] }): unknown {
  const pos = (p: Pos) => `${p.line}:${p.column}`;
  const items = (list: Item[]) =>
    list.map((it) => ({ assign: it.assign, keys: it.keys.map((k) => k.value), pos: pos(it.pos), value: astToJson(it.value) }));
  if (!("type" in node)) return { items: items(node.items) };
  switch (node.type) {
    case "object":
      return { items: items(node.items), pos: pos(node.pos), type: "object" };
    case "list":
      return { items: node.items.length ? node.items.map(astToJson) : null, pos: pos(node.pos), type: "list" };
    case "literal":
      return { pos: pos(node.pos), text: node.text, token: node.token, type: "literal", value: node.value };
  }
}

/** A whole file's AST in hcl1json's shape: just the top-level items. */
export function fileAstToJson(file: ObjectNode): unknown {
  return astToJson({ items: file.items });
}
