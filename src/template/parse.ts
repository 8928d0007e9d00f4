/**
 * The parser of Go's text/template. It keeps Go's three-token look-ahead and error paths because
 * the line in a parse error is the line of the most recently lexed token, and templates that fail
 * must fail with the same message at the same place as in Vault Agent.
 */
import { Lexer, T } from "./lex.ts";
import { SyntaxError_, quoteGo, unquoteChar, unquoteGo } from "./quote.ts";

export const enum N {
  Text,
  Action,
  Bool,
  Chain,
  Command,
  Dot,
  Field,
  Identifier,
  If,
  List,
  Nil,
  Number,
  Pipe,
  Range,
  String,
  Template,
  Variable,
  With,
  Comment,
  Break,
  Continue,
  Else,
  End,
}

export interface BaseNode {
  k: N;
  pos: number;
  /** The tree (template) whose text holds `pos`; for error locations. */
  src: SourceText;
}

export interface SourceText {
  name: string;
  text: string;
}

export interface TextNode extends BaseNode {
  k: N.Text;
  text: string;
}
export interface PipeNode extends BaseNode {
  k: N.Pipe;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface ActionNode extends BaseNode {
  k: N.Action;
  pipe: PipeNode;
}
export interface CommandNode extends BaseNode {
  k: N.Command;
  args: Node[];
}
export interface IdentifierNode extends BaseNode {
  k: N.Identifier;
  ident: string;
}
export interface VariableNode extends BaseNode {
  k: N.Variable;
  ident: string[];
}
export interface FieldNode extends BaseNode {
  k: N.Field;
  ident: string[];
}
export interface ChainNode extends BaseNode {
  k: N.Chain;
  node: Node;
  field: string[];
}
export interface DotNode extends BaseNode {
  k: N.Dot;
}
export interface NilNode extends BaseNode {
  k: N.Nil;
}
export interface BoolNode extends BaseNode {
  k: N.Bool;
  val: boolean;
}
export interface StringNode extends BaseNode {
  k: N.String;
  quoted: string;
  text: string;
}
export interface NumberNode extends BaseNode {
  k: N.Number;
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int64: bigint;
  uint64: bigint;
  float64: number;
  complex: [number, number];
  /** The executor's cached value of the constant (set on first use). */
  ideal?: bigint | number;
}
export interface ListNode extends BaseNode {
  k: N.List;
  nodes: Node[];
}
export interface BranchNode extends BaseNode {
  k: N.If | N.Range | N.With;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
export interface TemplateNode extends BaseNode {
  k: N.Template;
  name: string;
  pipe: PipeNode | null;
}
export interface SimpleNode extends BaseNode {
  k: N.Break | N.Continue | N.Else | N.End | N.Comment;
}

export type Node =
  | TextNode
  | ActionNode
  | PipeNode
  | CommandNode
  | IdentifierNode
  | VariableNode
  | FieldNode
  | ChainNode
  | DotNode
  | NilNode
  | BoolNode
  | StringNode
  | NumberNode
  | ListNode
  | BranchNode
  | TemplateNode
  | SimpleNode;

/** Go's Node.String(): the context shown in exec errors (`at <.Data.x>`). */
export function nodeString(n: Node | null): string {
  if (!n) return "";
  switch (n.k) {
    case N.Text:
      return n.text;
    case N.Action:
      return `{{${nodeString(n.pipe)}}}`;
    case N.Pipe: {
      let s = "";
      if (n.decl.length > 0) {
        s = n.decl.map(nodeString).join(", ") + (n.isAssign ? " = " : " := ");
      }
      return s + n.cmds.map(nodeString).join(" | ");
    }
    case N.Command:
      return n.args.map((a) => (a.k === N.Pipe ? `(${nodeString(a)})` : nodeString(a))).join(" ");
    case N.Identifier:
      return n.ident;
    case N.Variable:
      return n.ident.join(".");
    case N.Field:
      return n.ident.map((i) => `.${i}`).join("");
    case N.Chain:
      return (
        (n.node.k === N.Pipe ? `(${nodeString(n.node)})` : nodeString(n.node)) +
        n.field.map((f) => `.${f}`).join("")
      );
    case N.Dot:
      return ".";
    case N.Nil:
      return "nil";
    case N.Bool:
      return n.val ? "true" : "false";
    case N.String:
      return n.quoted;
    case N.Number:
      return n.text;
    case N.List:
      return n.nodes.map(nodeString).join("");
    case N.If:
    case N.Range:
    case N.With: {
      const name = n.k === N.If ? "if" : n.k === N.Range ? "range" : "with";
      const els = n.elseList ? `{{else}}${nodeString(n.elseList)}` : "";
      return `{{${name} ${nodeString(n.pipe)}}}${nodeString(n.list)}${els}{{end}}`;
    }
    case N.Template:
      return n.pipe
        ? `{{template ${quoteGo(n.name)} ${nodeString(n.pipe)}}}`
        : `{{template ${quoteGo(n.name)}}}`;
    case N.Break:
      return "{{break}}";
    case N.Continue:
      return "{{continue}}";
    case N.Else:
      return "{{else}}";
    case N.End:
      return "{{end}}";
    case N.Comment:
      return "";
  }
}

export class ParseError extends Error {}

export interface Tree {
  name: string;
  root: ListNode;
}

const MAX_STACK_DEPTH = 10000;
const MAX_PIPELINE_CMDS = 100000;

/** Parses `text`; returns the named trees (the top-level one under `name`, plus defines/blocks). */
export function parseTemplates(
  name: string,
  text: string,
  leftDelim: string,
  rightDelim: string,
  hasFunction: (name: string) => boolean,
): Map<string, Tree> {
  const treeSet = new Map<string, Tree>();
  const lexer = new Lexer(text, leftDelim || "{{", rightDelim || "}}");
  lexer.breakOK = !hasFunction("break");
  lexer.continueOK = !hasFunction("continue");
  const p = new Parser(name, { name, text }, lexer, treeSet, hasFunction);
  p.parseTop();
  p.add();
  return treeSet;
}

class Parser {
  /** Look-ahead slots hold token indexes into the lexer's arrays (0: nothing read yet). */
  private token = [0, 0, 0];
  private peekCount = 0;
  private vars: string[] = ["$"];
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;
  root!: ListNode;

  constructor(
    private treeName: string,
    private readonly src: SourceText,
    private readonly lex: Lexer,
    private readonly treeSet: Map<string, Tree>,
    private readonly hasFunction: (name: string) => boolean,
  ) {}

  // --- token stream -------------------------------------------------------------------------

  private typ(t: number): T {
    return this.lex.typs[t];
  }
  private pos(t: number): number {
    return this.lex.poss[t];
  }
  private val(t: number): string {
    return this.lex.val(t);
  }

  private next(): number {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount];
  }
  private backup(): void {
    this.peekCount++;
  }
  private backup2(t1: number): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  private backup3(t2: number, t1: number): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  private peek(): number {
    if (this.peekCount > 0) return this.token[this.peekCount - 1];
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }
  private nextNonSpace(): number {
    let t: number;
    do t = this.next();
    while (this.typ(t) === T.Space);
    return t;
  }
  private peekNonSpace(): number {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // --- errors -------------------------------------------------------------------------------

  private errorf(msg: string): never {
    throw new ParseError(`template: ${this.src.name}:${this.lex.lines[this.token[0]]}: ${msg}`);
  }

  private expect(typ: T, context: string): number {
    const t = this.nextNonSpace();
    if (this.typ(t) !== typ) this.unexpected(t, context);
    return t;
  }

  private unexpected(t: number, context: string): never {
    const val = this.val(t);
    if (this.typ(t) === T.Error) {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== this.lex.lines[t]) {
        extra = ` in action started at ${this.src.name}:${this.actionLine}`;
        if (val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(`${val}${extra}`);
    }
    this.errorf(`unexpected ${itemString(this.typ(t), val)} in ${context}`);
  }

  // --- nodes --------------------------------------------------------------------------------

  private newList(pos: number): ListNode {
    return { k: N.List, pos, src: this.src, nodes: [] };
  }

  // --- grammar ------------------------------------------------------------------------------

  add(): void {
    const existing = this.treeSet.get(this.treeName);
    if (!existing || isEmptyTree(existing.root)) {
      this.treeSet.set(this.treeName, { name: this.treeName, root: this.root });
      return;
    }
    if (!isEmptyTree(this.root))
      this.errorf(`template: multiple definition of template ${quoteGo(this.treeName)}`);
  }

  parseTop(): void {
    this.root = this.newList(this.pos(this.peek()));
    while (this.typ(this.peek()) !== T.EOF) {
      if (this.typ(this.peek()) === T.LeftDelim) {
        const delim = this.next();
        if (this.typ(this.nextNonSpace()) === T.Define) {
          const sub = new Parser("definition", this.src, this.lex, this.treeSet, this.hasFunction);
          sub.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.k === N.End || n.k === N.Else) this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
  }

  private parseDefinition(): void {
    const context = "define clause";
    const name = this.nextNonSpace();
    if (this.typ(name) !== T.String && this.typ(name) !== T.RawString) this.unexpected(name, context);
    this.treeName = this.unquote(this.val(name));
    this.expect(T.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.k !== N.End) this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private unquote(lit: string): string {
    try {
      return unquoteGo(lit);
    } catch (e) {
      if (e instanceof SyntaxError_) this.errorf("invalid syntax");
      throw e;
    }
  }

  private itemList(): [ListNode, Node] {
    const list = this.newList(this.pos(this.peekNonSpace()));
    while (this.typ(this.peekNonSpace()) !== T.EOF) {
      const n = this.textOrAction();
      if (n.k === N.End || n.k === N.Else) return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace();
    switch (this.typ(t)) {
      case T.Text:
        return { k: N.Text, pos: this.pos(t), src: this.src, text: this.val(t) };
      case T.LeftDelim: {
        this.actionLine = this.lex.lines[t];
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      default:
        this.unexpected(t, "input");
    }
  }

  private action(): Node {
    const t = this.nextNonSpace();
    switch (this.typ(t)) {
      case T.Block:
        return this.blockControl();
      case T.Break:
        return this.breakOrContinue(t, N.Break, "{{break}}");
      case T.Continue:
        return this.breakOrContinue(t, N.Continue, "{{continue}}");
      case T.Else:
        return this.elseControl();
      case T.End:
        return { k: N.End, pos: this.pos(this.expect(T.RightDelim, "end")), src: this.src };
      case T.If:
        return this.branch(N.If, "if");
      case T.Range:
        return this.branch(N.Range, "range");
      case T.Template:
        return this.templateControl();
      case T.With:
        return this.branch(N.With, "with");
    }
    this.backup();
    const tok = this.peek();
    return { k: N.Action, pos: this.pos(tok), src: this.src, pipe: this.pipeline("command", T.RightDelim) };
  }

  private breakOrContinue(t: number, k: N.Break | N.Continue, context: string): Node {
    const next = this.nextNonSpace();
    if (this.typ(next) !== T.RightDelim) this.unexpected(next, context);
    if (this.rangeDepth === 0) this.errorf(`${context} outside {{range}}`);
    return { k, pos: this.pos(t), src: this.src };
  }

  private pipeline(context: string, end: T): PipeNode {
    const tok = this.peekNonSpace();
    const pipe: PipeNode = {
      k: N.Pipe,
      pos: this.pos(tok),
      src: this.src,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    for (;;) {
      const v = this.peekNonSpace();
      if (this.typ(v) !== T.Variable) break;
      this.next();
      const after = this.peek();
      const next = this.peekNonSpace();
      if (this.typ(next) === T.Assign || this.typ(next) === T.Declare) {
        pipe.isAssign = this.typ(next) === T.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(this.pos(v), this.val(v)));
        this.vars.push(this.val(v));
      } else if (this.typ(next) === T.Char && this.val(next) === ",") {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(this.pos(v), this.val(v)));
        this.vars.push(this.val(v));
        if (context === "range" && pipe.decl.length < 2) {
          const p = this.typ(this.peekNonSpace());
          if (p === T.Variable || p === T.RightDelim || p === T.RightParen) continue;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (this.typ(after) === T.Space) {
        this.backup3(v, after);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      switch (this.typ(t)) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case T.Bool:
        case T.CharConstant:
        case T.Complex:
        case T.Dot:
        case T.Field:
        case T.Identifier:
        case T.Number:
        case T.Nil:
        case T.RawString:
        case T.String:
        case T.Variable:
        case T.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          if (pipe.cmds.length > MAX_PIPELINE_CMDS) this.errorf("pipeline too long");
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const k = pipe.cmds[i].args[0].k;
      if (k === N.Bool || k === N.Dot || k === N.Nil || k === N.Number || k === N.String) {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private branch(k: N.If | N.Range | N.With, context: string): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, T.RightDelim);
      if (k === N.Range) this.rangeDepth++;
      let [list, next] = this.itemList();
      if (k === N.Range) this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.k === N.Else) {
        if (k === N.If && this.typ(this.peek()) === T.If) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.branch(N.If, "if"));
        } else if (k === N.With && this.typ(this.peek()) === T.With) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.branch(N.With, "with"));
        } else {
          [elseList, next] = this.itemList();
          if (next.k !== N.End) this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { k, pos: pipe.pos, src: this.src, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    if (this.typ(peek) === T.If || this.typ(peek) === T.With)
      return { k: N.Else, pos: this.pos(peek), src: this.src };
    const t = this.expect(T.RightDelim, "else");
    return { k: N.Else, pos: this.pos(t), src: this.src };
  }

  private blockControl(): Node {
    const context = "block clause";
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, T.RightDelim);
    const block = new Parser(name, this.src, this.lex, this.treeSet, this.hasFunction);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.k !== N.End) this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return { k: N.Template, pos: this.pos(t), src: this.src, name, pipe };
  }

  private templateControl(): Node {
    const context = "template clause";
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.typ(this.nextNonSpace()) !== T.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.RightDelim);
    }
    return { k: N.Template, pos: this.pos(t), src: this.src, name, pipe };
  }

  private templateName(t: number, context: string): string {
    if (this.typ(t) === T.String || this.typ(t) === T.RawString) return this.unquote(this.val(t));
    this.unexpected(t, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { k: N.Command, pos: this.pos(this.peekNonSpace()), src: this.src, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (this.typ(t) === T.Space) continue;
      if (this.typ(t) === T.RightDelim || this.typ(t) === T.RightParen) this.backup();
      else if (this.typ(t) !== T.Pipe) this.unexpected(t, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  private operand(): Node | null {
    const node = this.term();
    if (!node) return null;
    if (this.typ(this.peek()) === T.Field) {
      const pos = this.pos(this.peek());
      const fields: string[] = [];
      while (this.typ(this.peek()) === T.Field) fields.push(this.lex.fieldName(this.next()));
      switch (node.k) {
        case N.Field:
          return { k: N.Field, pos, src: this.src, ident: [...node.ident, ...fields] };
        case N.Variable:
          return { k: N.Variable, pos, src: this.src, ident: [...node.ident, ...fields] };
        case N.Bool:
        case N.String:
        case N.Number:
        case N.Nil:
        case N.Dot:
          this.errorf(`unexpected . after term ${quoteGo(nodeString(node))}`);
          break;
        default:
          return { k: N.Chain, pos, src: this.src, node, field: fields };
      }
    }
    return node;
  }

  private term(): Node | null {
    const t = this.nextNonSpace();
    switch (this.typ(t)) {
      case T.Identifier:
        if (!this.hasFunction(this.val(t))) this.errorf(`function ${quoteGo(this.val(t))} not defined`);
        return { k: N.Identifier, pos: this.pos(t), src: this.src, ident: this.val(t) };
      case T.Dot:
        return { k: N.Dot, pos: this.pos(t), src: this.src };
      case T.Nil:
        return { k: N.Nil, pos: this.pos(t), src: this.src };
      case T.Variable:
        return this.useVar(this.pos(t), this.val(t));
      case T.Field:
        return { k: N.Field, pos: this.pos(t), src: this.src, ident: [this.lex.fieldName(t)] };
      case T.Bool:
        return { k: N.Bool, pos: this.pos(t), src: this.src, val: this.val(t) === "true" };
      case T.CharConstant:
      case T.Complex:
      case T.Number:
        return this.newNumber(t);
      case T.LeftParen: {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf("max expression depth exceeded");
        this.stackDepth++;
        try {
          return this.pipeline("parenthesized pipeline", T.RightParen);
        } finally {
          this.stackDepth--;
        }
      }
      case T.String:
      case T.RawString: {
        const quoted = this.val(t);
        return { k: N.String, pos: this.pos(t), src: this.src, quoted, text: this.unquote(quoted) };
      }
    }
    this.backup();
    return null;
  }

  private newVariable(pos: number, name: string): VariableNode {
    return { k: N.Variable, pos, src: this.src, ident: name.split(".") };
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (!this.vars.includes(v.ident[0])) this.errorf(`undefined variable ${quoteGo(v.ident[0])}`);
    return v;
  }

  private newNumber(t: number): NumberNode {
    try {
      return parseNumber(this.typ(t), this.val(t), this.pos(t), this.src);
    } catch (e) {
      if (e instanceof SyntaxError_) this.errorf("invalid syntax");
      if (e instanceof NumberError) this.errorf(e.message);
      throw e;
    }
  }
}

function itemString(typ: T, val: string): string {
  if (typ === T.EOF) return "EOF";
  if (typ === T.Error) return val;
  if (typ > T.Keyword) return `<${val}>`;
  if (val.length > 10) return `${quoteGo([...val].slice(0, 10).join(""))}...`;
  return quoteGo(val);
}

function isEmptyTree(n: Node | null): boolean {
  if (!n) return true;
  switch (n.k) {
    case N.Comment:
      return true;
    case N.List:
      return n.nodes.every(isEmptyTree);
    case N.Text:
      return GO_SPACE_ONLY.test(n.text);
    default:
      return false;
  }
}

/** Only unicode.IsSpace characters (bytes.TrimSpace would leave nothing). */
const GO_SPACE_ONLY = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

class NumberError extends Error {}

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_UINT64 = (1n << 64n) - 1n;

/** strconv.ParseInt/ParseUint with base 0 (Go literal syntax); null on any failure. */
const DECIMAL_DIGITS = /^[0-9]+$/;

function parseGoInteger(text: string): bigint | null {
  let s = text;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  let base = 10;
  let prefixed = false;
  if (s.length > 1 && s[0] === "0") {
    const p = s[1].toLowerCase();
    if (p === "x" || p === "o" || p === "b") {
      base = p === "x" ? 16 : p === "o" ? 8 : 2;
      s = s.slice(2);
      prefixed = true;
    } else {
      base = 8;
      s = s.slice(1);
      prefixed = true;
    }
  }
  if (s.includes("_")) {
    // Underscores only between digits, or after a base prefix.
    if (!/^_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/.test(s) || (s[0] === "_" && !prefixed)) return null;
    s = s.replaceAll("_", "");
  }
  if (s === "") return prefixed && base === 8 ? 0n : null;
  // Short decimal literals (the usual case) are exact as doubles: skip the per-digit BigInt loop.
  if (base === 10 && s.length <= 15 && DECIMAL_DIGITS.test(s)) {
    const small = BigInt(Number(s));
    return neg ? -small : small;
  }
  const digits = "0123456789abcdef".slice(0, base);
  let v = 0n;
  const b = BigInt(base);
  for (const c of s.toLowerCase()) {
    const d = digits.indexOf(c);
    if (d < 0) return null;
    v = v * b + BigInt(d);
  }
  return neg ? -v : v;
}

/** strconv.ParseFloat(s, 64) for template literals (decimal and hex floats, underscores). */
function parseGoFloat(text: string): number | null {
  let s = text.replaceAll("_", "");
  let sign = 1;
  if (s[0] === "+" || s[0] === "-") {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  if (/^0[xX]/.test(s)) {
    const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
    if (!m || (m[1] === "" && !m[2])) return null;
    const frac = m[2] ?? "";
    const mant = Number.parseInt(m[1] + frac || "0", 16);
    return sign * mant * 2 ** (Number(m[3]) - 4 * frac.length);
  }
  if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? sign * v : null;
}

/** Shared by every non-complex literal (never mutated; complex literals get their own pair). */
const NO_COMPLEX: [number, number] = [0, 0];

/** A plain decimal literal without a leading zero, short enough to be exact as a double. */
function isSmallDecimal(text: string): boolean {
  const len = text.length;
  if (len === 0 || len > 15) return false;
  const first = text.charCodeAt(0);
  if (first < 49 || first > 57) return len === 1 && first === 48;
  for (let i = 1; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function parseNumber(typ: T, text: string, pos: number, src: SourceText): NumberNode {
  if (typ === T.Number && isSmallDecimal(text)) {
    // The usual literal (42, 0, 1000): every kind fits, no regex or BigInt parsing needed.
    const f = Number(text);
    const b = BigInt(f);
    return {
      k: N.Number,
      pos,
      src,
      text,
      isInt: true,
      isUint: true,
      isFloat: true,
      isComplex: false,
      int64: b,
      uint64: b,
      float64: f,
      complex: NO_COMPLEX,
    };
  }
  const n: NumberNode = {
    k: N.Number,
    pos,
    src,
    text,
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int64: 0n,
    uint64: 0n,
    float64: 0,
    complex: NO_COMPLEX,
  };
  if (typ === T.CharConstant) {
    const q = text.charCodeAt(0);
    const [r, , next] = unquoteChar(text, 1, q);
    if (next !== text.length - 1 || text.charCodeAt(next) !== 39) {
      throw new NumberError(`malformed character constant: ${text}`);
    }
    n.isInt = n.isUint = n.isFloat = true;
    n.int64 = n.uint64 = BigInt(r);
    n.float64 = r;
    return n;
  }
  if (typ === T.Complex) {
    const m = /^([+-]?[^+-]+(?:[eEpP][+-][^+-]+)?)([+-].*)i$/.exec(text);
    const re = m ? parseGoFloat(m[1]) : null;
    const im = m ? parseGoFloat(m[2]) : null;
    if (re === null || im === null) throw new NumberError(`illegal number syntax: ${quoteGo(text)}`);
    n.isComplex = true;
    n.complex = [re, im];
    simplifyComplex(n);
    return n;
  }
  if (text.endsWith("i")) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== null) {
      n.isComplex = true;
      n.complex = [0, f];
      simplifyComplex(n);
      return n;
    }
  }
  const iv = parseGoInteger(text);
  if (iv !== null) {
    if (iv >= 0n && iv <= MAX_UINT64 && text[0] !== "-" && text[0] !== "+") {
      n.isUint = true;
      n.uint64 = iv;
    }
    if (iv >= MIN_INT64 && iv <= MAX_INT64) {
      n.isInt = true;
      n.int64 = iv;
      if (iv === 0n) {
        n.isUint = true;
        n.uint64 = 0n;
      }
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    const f = parseGoFloat(text);
    if (f !== null) {
      if (!/[.eEpP]/.test(text)) throw new NumberError(`integer overflow: ${quoteGo(text)}`);
      n.isFloat = true;
      n.float64 = f;
      if (Number.isInteger(f)) {
        const b = BigInt(f);
        if (b >= MIN_INT64 && b <= MAX_INT64) {
          n.isInt = true;
          n.int64 = b;
        }
        if (b >= 0n && b <= MAX_UINT64) {
          n.isUint = true;
          n.uint64 = b;
        }
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new NumberError(`illegal number syntax: ${quoteGo(text)}`);
  return n;
}

function simplifyComplex(n: NumberNode): void {
  if (n.complex[1] === 0) {
    n.isFloat = true;
    n.float64 = n.complex[0];
    if (Number.isInteger(n.float64)) {
      const b = BigInt(n.float64);
      if (b >= MIN_INT64 && b <= MAX_INT64) {
        n.isInt = true;
        n.int64 = b;
      }
      if (b >= 0n && b <= MAX_UINT64) {
        n.isUint = true;
        n.uint64 = b;
      }
    }
  }
}
