/**
 * The parser of Go's text/template. It keeps Go's look-ahead and error paths because the line in
 * a parse error is the line of the most recently lexed token, and templates that fail must fail
 * with the same message at the same place as in Vault Agent.
 *
 * The parse tree is not made of objects: nodes live in one Int32Array (see Nodes). A 1 MB
 * template has ~300k nodes, and as objects they kept the garbage collector busy for most of the
 * parse (every collection re-marks the whole growing tree); typed arrays hold no pointers.
 *
 * Most of a template is parsed by fast paths that build the same nodes as Go's steps would: from
 * the text itself, without tokens, for text and simple actions (Parser.textRun, directAction, and
 * the action cache), from tokens for the other common actions (Parser.items, plainPipeline). They
 * hand anything unusual, and every error, to the general methods that follow Go's parser step by
 * step.
 */
import { skipTopTier } from "../common/jit.ts";
import {
  actionHash,
  isAsciiWordChar,
  isNumberStop,
  isSpace,
  isTerminatorChar,
  KEEP,
  keyword,
  LEXER_CODE,
  Lexer,
  SLOT,
  SPACED,
  T,
} from "./lex.ts";
import { type NumberInfo, NumberError, parseNumber } from "./number.ts";
import { quoteGo, SyntaxError_, unquoteGo } from "./quote.ts";

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

export interface SourceText {
  name: string;
  text: string;
}

/**
 * Node storage. A node is an offset into `d`; its six slots are:
 *
 *   +0 kind | flags << 8     +1 source position (string index)
 *   +2 A   +3 B   +4 C       +5 next sibling (lists of nodes are linked; NONE ends them)
 *
 *   kind         A                  B                    C           flags
 *   Text         strs: text
 *   Action       pipe                                                 shift (see sharedPipe)
 *   Pipe         first command      first declaration    #commands   isAssign | #decls << 1
 *   Command      first argument                          #arguments
 *   Identifier   strs: name         function index
 *   Variable     strs: first ident                       #idents
 *   Field        strs: first ident                       #idents
 *   Chain        node               strs: first field    #fields
 *   Bool                                                             value
 *   Number       nums: NumberInfo, or ~value for a small decimal (see Nodes.num)
 *   String       literal's end      strs: text
 *   List         first node                              #nodes
 *   If/Range/With  pipe             list                 else list   shift
 *   Template     strs: name         pipe (NONE)
 *
 * Identifiers of a Variable/Field and the fields of a Chain are consecutive entries of `strs`.
 */
export class Nodes {
  d: Int32Array;
  /** The next free node. Node 0 is NONE, node STRIDE the End/Else scratch (see Parser.endOrElse). */
  top = 2 * STRIDE;
  readonly strs: string[] = [];
  readonly nums: NumberInfo[] = [];
  /** Nodes.text's cache while parsing: a hash of a short text → its strs index + 1 (0: none). */
  private textCache: Int32Array | null = null;

  /**
   * Slots [top, zeroed) are 0; from `zeroed` on, a large store is not initialised yet. Zeroing the
   * whole store up front wrote every page of it: 5.5 ms for the 8 MB estimated for a 1 MB
   * template, which may use a third of that. Nodes are zeroed a chunk at a time as `top` reaches
   * them (see reserve), so only the pages used are ever touched.
   */
  zeroed: number;

  constructor(
    readonly src: SourceText,
    capacity: number,
  ) {
    const slots = (Math.ceil(Math.max(16, capacity)) + 2) * STRIDE;
    this.d = newStore(slots);
    this.zeroed = slots < ZERO_CHUNK ? slots : 0;
    this.reserve(0);
  }

  /** A new node; its other slots are 0 (NONE) (see zeroed). */
  alloc(kind: N, pos: number): number {
    const n = this.top;
    if (n + STRIDE > this.zeroed) this.reserve(STRIDE);
    const d = this.d;
    d[n] = kind;
    d[n + 1] = pos;
    this.top = n + STRIDE;
    return n;
  }

  /**
   * Parsing is over: drops Nodes.text's cache, and gives back the capacity estimated for a dense
   * template when far less was used (a compiled template keeps its nodes; small arrays are not
   * allocated lazily page by page). A large array's pages are: the unused ones never became
   * memory, and copying the used ones would cost more.
   */
  trim(): void {
    this.textCache = null;
    if (this.top * 2 < this.d.length && this.d.length <= TRIM_MAX) this.d = this.d.slice(0, this.top);
  }

  /** Frees the nodes from `top` on (zeroing them again, see alloc). */
  truncate(top: number): void {
    this.d.fill(0, top, this.top);
    this.top = top;
  }

  /** Makes the `slots` slots from `top` on zero and inside the store (a chunk or more of them). */
  reserve(slots: number): void {
    const need = this.top + slots;
    if (need <= this.zeroed) return;
    while (need > this.d.length) this.grow();
    const end = Math.min(this.d.length, Math.max(need, this.zeroed + ZERO_CHUNK));
    this.d.fill(0, this.zeroed, end);
    this.zeroed = end;
  }

  private grow(): void {
    const d = newStore(this.d.length * 2);
    d.set(this.d.subarray(0, this.top));
    this.d = d;
    this.zeroed = this.top;
  }

  str(s: string): number {
    return this.strs.push(s) - 1;
  }

  /**
   * The strs entry for the text s[start, end): an earlier equal text's if it is still in a small
   * cache, else a new one. Large templates repeat the same short texts between their actions
   * (" = ", "\n", "yes"); sharing them saves a string each (a third of a dense template's compile
   * time went to cutting them out). Text nodes never change their strings, so sharing is safe.
   */
  text(s: string, start: number, end: number): number {
    const len = end - start;
    if (len > TEXT_CACHE_MAX) return this.strs.push(s.slice(start, end)) - 1;
    const h =
      (len * 31 +
        s.charCodeAt(start) * 7 +
        s.charCodeAt(start + (len >> 1)) * 17 +
        s.charCodeAt(end - 1) * 131) &
      (TEXT_SLOTS - 1);
    this.textCache ??= new Int32Array(TEXT_SLOTS);
    const cached = this.textCache[h] - 1;
    if (cached >= 0) {
      const t = this.strs[cached];
      if (t.length === len && s.startsWith(t, start)) return cached;
    }
    const i = this.strs.push(s.slice(start, end)) - 1;
    this.textCache[h] = i + 1;
    return i;
  }

  /**
   * The NumberInfo of Number node n. A plain decimal of up to 9 digits (the usual literal: 0, 1,
   * 42, 8080) is kept in the node itself as ~value, with no NumberInfo until something needs one:
   * working out and keeping one for each of a large template's many distinct literals was a third
   * of its compile time. Such a literal cannot be malformed, so its parse error cannot be missed.
   */
  num(n: number): NumberInfo {
    const a = this.d[n + 2];
    if (a >= 0) return this.nums[a];
    const info = parseNumber(T.Number, String(~a));
    this.d[n + 2] = this.nums.push(info) - 1;
    return info;
  }
}

/**
 * A node store of `slots` ints. A large one comes uninitialised (Buffer.allocUnsafe: no page is
 * written until used; see Nodes.zeroed), a small one zeroed.
 */
function newStore(slots: number): Int32Array {
  if (slots >= ZERO_CHUNK) {
    const b = Buffer.allocUnsafe(slots * 4);
    if (b.byteOffset % 4 === 0) return new Int32Array(b.buffer, b.byteOffset, slots);
  }
  return new Int32Array(slots);
}

/** Parser.tryNumber's answer for a malformed literal (never a nums index or an inline ~value). */
const BAD_NUMBER = 0x7fffffff;

export const STRIDE = 6;
/** Slots zeroed at a time in a large node store (256 KB; see Nodes.zeroed). */
const ZERO_CHUNK = 1 << 16;
/** Nodes.text shares texts up to this long (longer ones rarely repeat, and cost more to compare). */
const TEXT_CACHE_MAX = 128;
/** Slots in Nodes.text's cache (a power of two). */
const TEXT_SLOTS = 1024;
/** Node stores up to this many slots (256 KB) are trimmed to what they use (see Nodes.trim). */
const TRIM_MAX = 1 << 16;
/** No node (node 0 is never used). */
export const NONE = 0;
/** The one node End and Else are built in: the parser only looks at them right away. */
const SCRATCH = STRIDE;
/** fastAction: the item is left to the general path. */
const HANDOFF = -1;

/** An open block of the item loop (see Parser.items). */
class Block {
  k: N.If | N.With | N.Range = N.If;
  pipe = NONE;
  /** The variables' count before the pipeline: restored when the block ends. */
  mark = 0;
  /** The list being filled, its last node and length. */
  list = NONE;
  tail = NONE;
  count = 0;
  /** In the else part: `main` is the list before the {{else}}. */
  inElse = false;
  main = NONE;
  /** An {{else if}}/{{else with}}: ends with the block whose else it is. */
  chained = false;
  /** For a pipeline shared with an earlier copy of the action: how far this copy is from it. */
  shift = 0;
}

export function kindOfNode(nodes: Nodes, n: number): N {
  return (nodes.d[n] & 255) as N;
}

/** Go's Node.String(): the context shown in exec errors (`at <.Data.x>`). */
export function nodeString(nodes: Nodes, n: number): string {
  if (n === NONE) return "";
  const d = nodes.d;
  const strs = nodes.strs;
  const a = d[n + 2];
  const b = d[n + 3];
  const c = d[n + 4];
  switch ((d[n] & 255) as N) {
    case N.Text:
      return strs[a];
    case N.Action:
      return `{{${nodeString(nodes, a)}}}`;
    case N.Pipe: {
      let s = "";
      const flags = d[n] >> 8;
      if (flags >> 1 > 0) {
        for (let v = b; v !== NONE; v = d[v + 5]) s += (v === b ? "" : ", ") + nodeString(nodes, v);
        s += flags & 1 ? " = " : " := ";
      }
      for (let cmd = a; cmd !== NONE; cmd = d[cmd + 5])
        s += (cmd === a ? "" : " | ") + nodeString(nodes, cmd);
      return s;
    }
    case N.Command: {
      let s = "";
      for (let arg = a; arg !== NONE; arg = d[arg + 5]) {
        if (arg !== a) s += " ";
        s += (d[arg] & 255) === N.Pipe ? `(${nodeString(nodes, arg)})` : nodeString(nodes, arg);
      }
      return s;
    }
    case N.Identifier:
      return strs[a];
    case N.Variable:
      return strs.slice(a, a + c).join(".");
    case N.Field: {
      let s = "";
      for (let i = 0; i < c; i++) s += `.${strs[a + i]}`;
      return s;
    }
    case N.Chain: {
      let s = (d[a] & 255) === N.Pipe ? `(${nodeString(nodes, a)})` : nodeString(nodes, a);
      for (let i = 0; i < c; i++) s += `.${strs[b + i]}`;
      return s;
    }
    case N.Dot:
      return ".";
    case N.Nil:
      return "nil";
    case N.Bool:
      return d[n] >> 8 ? "true" : "false";
    case N.String:
      return nodes.src.text.slice(d[n + 1], a);
    case N.Number:
      return a < 0 ? String(~a) : nodes.nums[a].text;
    case N.List: {
      let s = "";
      for (let m = a; m !== NONE; m = d[m + 5]) s += nodeString(nodes, m);
      return s;
    }
    case N.If:
    case N.Range:
    case N.With: {
      const k = d[n] & 255;
      const name = k === N.If ? "if" : k === N.Range ? "range" : "with";
      const els = c !== NONE ? `{{else}}${nodeString(nodes, c)}` : "";
      return `{{${name} ${nodeString(nodes, a)}}}${nodeString(nodes, b)}${els}{{end}}`;
    }
    case N.Template:
      return b !== NONE
        ? `{{template ${quoteGo(strs[a])} ${nodeString(nodes, b)}}}`
        : `{{template ${quoteGo(strs[a])}}}`;
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
  return "";
}

export class ParseError extends Error {}

export interface Tree {
  name: string;
  /** The tree's List node. */
  root: number;
}

/** The result of parsing one text: its named trees, all stored in `nodes`. */
export interface TreeSet {
  trees: Map<string, Tree>;
  nodes: Nodes;
  /** How many actions the action cache took (for tests of its growth rule). */
  cachedActions: number;
}

const MAX_STACK_DEPTH = 10000;
/** plainPipeline leaves longer pipelines to the general path (they must stay within KEEP tokens). */
const PLAIN_MAX_TOKENS = 20;
const MAX_PIPELINE_CMDS = 100000;

/** Parses `text`; returns the named trees (the top-level one under `name`, plus defines/blocks). */
export function parseTemplates(
  name: string,
  text: string,
  leftDelim: string,
  rightDelim: string,
  funcIndex: (name: string) => number,
): TreeSet {
  // A large template is parsed in one burst: optimising the parser's code to the top tier would
  // only delay what runs next (see common/jit.ts).
  if (text.length >= LARGE_TEMPLATE) skipTopTier(PARSER_CODE);
  const trees = new Map<string, Tree>();
  const lx = new Lexer(
    text,
    leftDelim || "{{",
    rightDelim || "}}",
    funcIndex("break") < 0,
    funcIndex("continue") < 0,
  );
  // The densest templates make about one node per 3 characters. Pages of the array that are never
  // written are never touched (see Nodes.zeroed), so over-estimating is cheap.
  const nodes = new Nodes({ name, text }, Math.min(text.length / 3, 1 << 22) + 16);
  const shared: Shared = {
    lx,
    nodes,
    trees,
    funcIndex,
    numbers: new Map(),
    strings: new Map(),
    actions: [],
    // A right delimiter that could continue a number would change where the lexer ends one.
    direct: isNumberStop(lx.rightDelim.charCodeAt(0)) && !isSpace(lx.rightDelim.charCodeAt(0)),
  };
  const p = new Parser(name, shared);
  try {
    p.parseTop();
  } catch (e) {
    // Nesting deeper than the JS stack allows (Go's own cap is 10,000 parentheses): Go's error for
    // too deep an expression, on the line of the last token read.
    if (e instanceof RangeError) p.tooDeep();
    throw e;
  }
  p.add();
  nodes.trim();
  return { trees, nodes, cachedActions: shared.actions.length / ENTRY };
}

/** Templates at least this long are parsed with the JIT hint in parseTemplates. */
export const LARGE_TEMPLATE = 1 << 16;

/** What the parsers of one text (the top level, defines, blocks) share. */
interface Shared {
  lx: Lexer;
  nodes: Nodes;
  trees: Map<string, Tree>;
  /** The executor's index of a function (stored in Identifier nodes); -1: no such function. */
  funcIndex: (name: string) => number;
  /** Literals already converted, by text (templates repeat the same few). */
  numbers: Map<string, number>;
  strings: Map<string, string>;
  /**
   * Actions parsed before, for Cached tokens (see Lexer.lookup), ENTRY ints each: the kind (Action,
   * If, With, Range, End, Else), the pipeline's nodes [from, to), the Action/End/Else position,
   * and where the action started — positions are relative to that.
   */
  actions: number[];
  /** Simple actions may be parsed straight from the text (see Parser.directAction). */
  direct: boolean;
}

/** Ints per entry of Shared.actions. */
const ENTRY = 5;
/** Statement nodes keep a shared pipeline's shift in their 23 flag bits (see sharedPipe). */
const MAX_SHIFT = 1 << 23;

/**
 * One Go parse.Tree being parsed. Parsers of define and block bodies continue the same token
 * stream but, as in Go, each has its own notion of "the last token read", which is what a parse
 * error's line refers to.
 *
 * Tokens are global indexes into the lexer's ring. Go's peek/backup become moving `cur` back and
 * forth; only the last few tokens are ever read again, so they are still in the ring.
 */
class Parser {
  /** The next token to read. */
  cur = 0;
  /** The last token this parser has read (Go's token[0]); -1: none yet. */
  private hi = -1;
  /** hi's position, when a define/block body parsed since may have pushed it out of the ring. */
  private pinnedHi = -1;
  private pinnedPos = 0;
  /** Where the action being parsed starts (for Go's actionLine); -1: none. */
  private actionPos = -1;
  private vars: string[] = ["$"];
  private rangeDepth = 0;
  private stackDepth = 0;
  /** The End or Else node that ended the last itemList. */
  private itemEnd = NONE;
  root = NONE;
  private readonly lx: Lexer;
  private readonly nodes: Nodes;
  private readonly typs: Uint8Array;
  private readonly poss: Int32Array;

  constructor(
    private treeName: string,
    private readonly sh: Shared,
  ) {
    this.lx = sh.lx;
    this.nodes = sh.nodes;
    this.typs = sh.lx.typs;
    this.poss = sh.lx.poss;
  }

  // --- token stream -------------------------------------------------------------------------

  private next(): number {
    let t = this.cur++;
    if (t >= this.lx.count) t = this.lex(t);
    if (t > this.hi) this.hi = t;
    return t;
  }
  private backup(): void {
    this.cur--;
  }
  /** Go's backup2/backup3: re-read from token t (only spaces, which every reader skips, lie between). */
  private backupTo(t: number): void {
    this.cur = t;
  }
  private peek(): number {
    let t = this.cur;
    if (t >= this.lx.count) t = this.lex(t);
    if (t > this.hi) this.hi = t;
    return t;
  }
  /** Makes token t available; past the end, the final EOF. */
  private lex(t: number): number {
    const lx = this.lx;
    lx.fill(t - KEEP);
    return t < lx.count ? t : lx.count - 1;
  }
  // Spaces are not tokens here (see SPACED), so Go's nextNonSpace and peekNonSpace are next and
  // peek; the names stay to keep the correspondence with Go's parser visible.
  private nextNonSpace(): number {
    return this.next();
  }
  private peekNonSpace(): number {
    return this.peek();
  }
  private typ(t: number): T {
    return (this.typs[t & SLOT] & ~SPACED) as T;
  }
  /** Whether spaces precede token t (Go would have read a space token before it). */
  private spaced(t: number): boolean {
    return this.typs[t & SLOT] >= SPACED;
  }
  private pos(t: number): number {
    return this.poss[t & SLOT];
  }

  /**
   * Hands the token stream to the parser of a define or block body (enter), and takes it back
   * after it (leave). This parser's last token may leave the ring meanwhile: its position is kept.
   */
  private enter(p: Parser): number {
    p.cur = this.cur;
    return this.hi >= 0 ? this.pos(this.hi) : 0;
  }
  private leave(p: Parser, hiPos: number): void {
    this.cur = p.cur;
    this.pinnedHi = this.hi;
    this.pinnedPos = hiPos;
  }

  // --- errors -------------------------------------------------------------------------------

  /** Go's error for nesting too deep, at the last token read (see parseTemplates). */
  tooDeep(): never {
    this.errorf("max expression depth exceeded");
  }

  private errorf(msg: string): never {
    const hi = this.hi;
    if (hi < 0) throw new ParseError(`template: ${this.nodes.src.name}:0: ${msg}`);
    this.errorfAt(hi === this.pinnedHi ? this.pinnedPos : this.pos(hi), msg);
  }

  /** A parse error on the line of position pos. */
  private errorfAt(pos: number, msg: string): never {
    throw new ParseError(`template: ${this.nodes.src.name}:${this.lx.lineAt(pos)}: ${msg}`);
  }

  private expect(typ: T, context: string): number {
    const t = this.nextNonSpace();
    if (this.typ(t) !== typ) this.unexpected(t, context);
    return t;
  }

  private unexpected(t: number, context: string): never {
    const val = this.lx.val(t);
    if (this.typ(t) === T.Error) {
      let extra = "";
      if (this.actionPos >= 0) {
        const actionLine = this.lx.lineAt(this.actionPos);
        if (actionLine !== this.lx.lineAt(this.pos(t))) {
          extra = ` in action started at ${this.nodes.src.name}:${actionLine}`;
          if (val.endsWith(" action")) extra = extra.slice(" in action".length);
        }
      }
      this.errorf(`${val}${extra}`);
    }
    this.errorf(`unexpected ${itemString(this.typ(t), val)} in ${context}`);
  }

  private kind(n: number): N {
    return (this.nodes.d[n] & 255) as N;
  }

  // --- grammar ------------------------------------------------------------------------------

  add(): void {
    const trees = this.sh.trees;
    const existing = trees.get(this.treeName);
    if (!existing || isEmptyTree(this.nodes, existing.root)) {
      trees.set(this.treeName, { name: this.treeName, root: this.root });
      return;
    }
    if (!isEmptyTree(this.nodes, this.root))
      this.errorf(`template: multiple definition of template ${quoteGo(this.treeName)}`);
  }

  parseTop(): void {
    const nodes = this.nodes;
    const root = nodes.alloc(N.List, this.pos(this.peek()));
    this.root = root;
    const top = this.block(0);
    top.list = root;
    top.tail = NONE;
    top.count = 0;
    this.items();
  }

  /** Go's parseTop loop body, for one item the item loop leaves to the general path. */
  private topItem(): number {
    if (this.typ(this.peek()) === T.LeftDelim) {
      const delim = this.next();
      if (this.typ(this.nextNonSpace()) === T.Define) {
        const def = new Parser("definition", this.sh);
        const hiPos = this.enter(def);
        def.parseDefinition();
        this.leave(def, hiPos);
        return NONE;
      }
      this.backupTo(delim);
    }
    const n = this.textOrAction();
    const k = this.kind(n);
    if (k === N.End || k === N.Else) this.errorf(`unexpected ${nodeString(this.nodes, n)}`);
    return n;
  }

  // --- the item loop ------------------------------------------------------------------------

  /** Blocks the item loop has open: blocks[0] is the top-level list, blocks[1, depth] if/with/range. */
  private readonly blocks: Block[] = [];
  private depth = 0;

  private block(i: number): Block {
    let b = this.blocks[i];
    if (b === undefined) {
      b = new Block();
      this.blocks[i] = b;
    }
    return b;
  }

  /**
   * The items of the top-level tree: Go's parseTop and itemList loops and its branch, with an
   * explicit stack of open blocks instead of recursion. Text and the common actions are handled
   * here (textRun, without tokens, whenever the lexer is between actions; fastAction otherwise);
   * any other item, and every error, goes to the general methods, one item at a time, with the
   * parser in the state Go's would be in (tokens read, variables, range depth).
   */
  private items(): void {
    const nodes = this.nodes;
    const lx = this.lx;
    for (;;) {
      if (this.cur >= lx.count && (lx.paused || (this.sh.direct && lx.inText))) this.textRun();
      const t = this.cur < lx.count ? this.cur : this.lex(this.cur);
      if (t > this.hi) this.hi = t;
      const typ = this.typs[t & SLOT] & ~SPACED;
      let n: number;
      if (typ === T.Text) {
        n = nodes.alloc(N.Text, this.poss[t & SLOT]);
        nodes.d[n + 2] = nodes.text(lx.input, this.poss[t & SLOT], lx.ends[t & SLOT]);
        this.cur = t + 1;
      } else if (typ === T.EOF) {
        if (this.depth === 0) return;
        this.errorf("unexpected EOF");
      } else {
        n = typ === T.LeftDelim ? this.fastAction(t) : typ === T.Cached ? this.cachedItem(t) : HANDOFF;
        if (n === HANDOFF) {
          this.cur = t;
          n = this.depth === 0 ? this.topItem() : this.textOrAction();
        }
        if (n === NONE) continue;
        const k = nodes.d[n] & 255;
        if (k === N.End) {
          this.closeBlock();
          continue;
        }
        if (k === N.Else) {
          this.elseBlock(nodes.d[n + 1]);
          continue;
        }
      }
      this.append(n);
    }
  }

  /**
   * The common actions at left delimiter t: an action with a plain pipeline, if/with/range with
   * one (opening a block), {{else}}, {{end}}, {{template}}, {{break}}, {{continue}}. Returns the
   * node (End/Else in the scratch node; NONE for an opened block), or HANDOFF, having read nothing.
   */
  private fastAction(t: number): number {
    const n = this.fastActionAt(t);
    if (n === HANDOFF) return n;
    // Go's actionLine: set while an action is parsed, cleared when it returns. An opened block's
    // action has not returned yet: its body is parsed within it (see textOrAction).
    this.actionPos = n === NONE ? this.pos(t) : -1;
    // Checked here, not in remember, so that this stays a small function for the JIT.
    const lx = this.lx;
    if (lx.aux[t & SLOT] >= 0 && lx.cacheHasRoom(this.sh.actions.length / ENTRY)) this.remember(t, n);
    return n;
  }

  // --- the action cache ---------------------------------------------------------------------
  //
  // Large templates repeat the same actions ({{ end }}, {{ .Data.data.x }}, ...). An action's text,
  // from its left delimiter to the first right delimiter, lexes the same wherever it appears, and
  // parses the same too unless it involves variables (which must be in scope) or break/continue
  // (which must be inside a range). So the first time the fast path parses such an action, its
  // nodes are remembered (by directAction too); the lexer then turns a later copy into one Cached
  // token (or the parser's textRun finds it in the text), and the copy shares the first one's
  // pipeline nodes (see sharedPipe) instead of being lexed and parsed again.
  // Only single-line actions are cached, so that a token's line is the same wherever in the
  // action the parser's "last token read" is.

  /** Caches the action at left delimiter t, just parsed by fastAction into n, if it can be. */
  private remember(t: number, n: number): void {
    const lx = this.lx;
    const first = this.typ(t + 1);
    if (first === T.Break || first === T.Continue || first === T.Template) return;
    const end = this.cur - 1;
    // An else-if stops before its "if"; the action must end at the first right delimiter.
    if (this.typ(end) !== T.RightDelim || lx.ends[end & SLOT] !== lx.aux[t & SLOT]) return;
    for (let i = t + 1; i < end; i++) if (this.typ(i) === T.Variable) return;
    const text = lx.input.slice(this.pos(t), lx.aux[t & SLOT]);
    if (text.includes("\n")) return;
    const d = this.nodes.d;
    const actions = this.sh.actions;
    const x = this.pos(t);
    let kind: N;
    let from = NONE;
    let to = NONE;
    let at = 0;
    if (n === NONE) {
      const b = this.blocks[this.depth];
      kind = b.k;
      from = b.pipe;
      to = b.list;
    } else if (n === SCRATCH) {
      kind = (d[n] & 255) as N;
      at = d[n + 1];
    } else {
      kind = N.Action;
      from = d[n + 2];
      to = n;
      at = d[n + 1];
    }
    lx.cacheAction(text, actions.length / ENTRY);
    actions.push(kind, from, to, at - x, x);
  }

  /** A Cached token in the item loop: what fastAction would have made of the action. */
  private cachedItem(t: number): number {
    const e = this.lx.aux[t & SLOT] * ENTRY;
    const actions = this.sh.actions;
    const kind = actions[e] as N;
    const x = this.pos(t);
    if (kind === N.End || kind === N.Else) {
      // At the top level, the general path reports Go's error.
      if (this.depth === 0) return HANDOFF;
      this.cur = t + 1;
      this.actionPos = -1;
      return this.endOrElse(kind, x + actions[e + 3]);
    }
    this.cur = t + 1;
    return this.cachedStatement(e, x);
  }

  /**
   * Cache entry e (an Action, If, With or Range) at x, in the item loop: the Action node, or NONE
   * having opened the block (its List at listPos, or the next token's position).
   */
  private cachedStatement(e: number, x: number, listPos = -1): number {
    const actions = this.sh.actions;
    const kind = actions[e] as N;
    const pipe = this.sharedPipe(e, x);
    const shift = x - actions[e + 4];
    if (kind === N.Action) {
      this.actionPos = -1;
      return this.newAction(x + actions[e + 3], pipe, shift);
    }
    this.actionPos = x;
    this.pushBlock(kind as N.If | N.With | N.Range, false, this.vars.length, pipe, shift, listPos);
    return NONE;
  }

  /**
   * The item loop without tokens, for a stretch of text and simple actions. With the parser caught
   * up with the lexer and the lexer in text (paused after a Cached token, or between actions), this
   * reads on from there: text up to the next left delimiter, then an action found in the cache or
   * simple enough to parse straight from the text (directAction), adding what the item loop would
   * have added for their tokens. It stops before the first action it cannot take as a whole (or
   * that is an error here, or when there is no more action) and lets the lexer go on from there.
   * No token is read, so Go's "last token read" for error lines is unchanged — the next error can
   * only come from a token read after this.
   *
   * The commonest steps are written out here instead of called: the cache lookup (Lexer.lookup),
   * Nodes.alloc and append for text and for a cached action (newAction), and the trim-marker
   * checks of textEnd/afterAction for an action without one. A large template's first compile
   * runs this loop cold, and every function it calls is one more that the JIT must warm up and
   * compile, on its one worker thread, before the loop is fast. Written out, the dense 1 MB bench
   * template compiled in 31.4 instead of 36.0 ms, and one of distinct actions in 54.1 instead of
   * 64.0 ms (A/B medians over 9 and 7 processes); writing out pushBlock/closeBlock for cached
   * if/end as well gained nothing measurable. Keep these in step with the methods they copy.
   */
  private textRun(): void {
    const lx = this.lx;
    const s = lx.input;
    const ldn = lx.leftDelim.length;
    const rd = lx.rightDelim;
    const rdn = rd.length;
    const nodes = this.nodes;
    const actions = this.sh.actions;
    const cacheIndex = lx.cacheIndex;
    const cachedTexts = lx.cachedTexts;
    lx.paused = false;
    const from = lx.resumePos;
    let p = from;
    for (;;) {
      const x = lx.findLeftDelim(p);
      if (x < 0) break;
      const close = s.indexOf(rd, x + ldn);
      if (close < 0) break;
      const end = close + rdn;
      // lx.lookup(x, end).
      let entry = cacheIndex[actionHash(s, x, end)] - 1;
      if (entry >= 0) {
        const t = cachedTexts[entry];
        if (t.length !== end - x || !s.startsWith(t, x)) entry = -1;
        else if (lx.found[entry] === 0) lx.markFound(entry);
      }
      if (entry < 0 && !this.sh.direct) break;
      // A cached {{end}} or {{else}} where it is an error is left to the token path, which reports
      // it (directAction makes the same checks for the others).
      const e = entry * ENTRY;
      const kind = entry < 0 ? N.Action : (actions[e] as N);
      if (kind === N.End || kind === N.Else) {
        if (this.depth === 0 || (kind === N.Else && this.blocks[this.depth].inElse)) break;
      }
      // The text before the action (without trailing spaces if the action starts with a trim marker).
      const textEnd = s.charCodeAt(x + ldn) === 45 ? lx.textEnd(p, x) : x;
      if (textEnd > p) {
        const n = nodes.top;
        if (n + STRIDE > nodes.zeroed) nodes.reserve(STRIDE);
        const d = nodes.d;
        nodes.top = n + STRIDE;
        d[n] = N.Text;
        d[n + 1] = p;
        d[n + 2] = nodes.text(s, p, textEnd);
        const b = this.blocks[this.depth];
        if (b.tail === NONE) d[b.list + 2] = n;
        else d[b.tail + 5] = n;
        b.tail = n;
        d[b.list + 4] = ++b.count;
      }
      const next = s.charCodeAt(close - 1) === 45 ? lx.afterAction(close) : end;
      if (entry < 0) {
        // Not cached: parsed here if simple, else the lexer takes over at the action.
        if (!this.directAction(x, close, next)) {
          p = x;
          break;
        }
      } else if (kind === N.End) {
        // The action, as cachedItem would take it.
        this.actionPos = -1;
        this.closeBlock();
      } else if (kind === N.Else) {
        this.actionPos = -1;
        this.plainElse(next);
      } else if (kind === N.Action && x - actions[e + 4] < MAX_SHIFT) {
        // cachedStatement's Action, inline.
        this.actionPos = -1;
        const n = nodes.top;
        if (n + STRIDE > nodes.zeroed) nodes.reserve(STRIDE);
        const d = nodes.d;
        nodes.top = n + STRIDE;
        const shift = x - actions[e + 4];
        d[n] = N.Action | (shift << 8);
        d[n + 1] = x + actions[e + 3];
        d[n + 2] = actions[e + 1];
        const b = this.blocks[this.depth];
        if (b.tail === NONE) d[b.list + 2] = n;
        else d[b.tail + 5] = n;
        b.tail = n;
        d[b.list + 4] = ++b.count;
      } else {
        const n = this.cachedStatement(e, x, next);
        if (n !== NONE) this.append(n);
      }
      p = next;
    }
    lx.resumeAt(p, p !== from);
  }

  // --- actions read straight from the text ---------------------------------------------------
  //
  // Most actions are {{end}}, {{else}}, or a keyword and a short pipeline of fields, function
  // names and plain literals. textRun has those built here from the characters, read once, into
  // the nodes the token path (fastAction) would build from the lexer's tokens. Anything else —
  // variables, parentheses, escapes, raw strings, comments, other keywords, newlines, errors —
  // goes to the lexer and the token path from the action's start: when in doubt, give up.

  /**
   * The action from left delimiter x to the right delimiter at close, if it is simple: adds what
   * the item loop would have (an Action, an opened block, an {{end}} or a plain {{else}}), caches
   * it, and returns true; otherwise adds nothing and returns false. next: where the text after it
   * starts.
   */
  private directAction(x: number, close: number, next: number): boolean {
    const s = this.lx.input;
    let q = x + this.lx.leftDelim.length;
    let stop = close;
    // Trim markers (with a newline in one, the token path keeps the line count).
    if (s.charCodeAt(q) === 45 && isSpace(s.charCodeAt(q + 1))) {
      if (s.charCodeAt(q + 1) === 10) return false;
      q += 2;
    }
    if (s.charCodeAt(close - 1) === 45 && isSpace(s.charCodeAt(close - 2))) {
      if (s.charCodeAt(close - 2) === 10) return false;
      stop = close - 2;
    }
    const i = skipSpaces(s, q, stop);
    if (i < 0 || i >= stop) return false;
    const c = s.charCodeAt(i);
    if (isAsciiWordChar(c) && (c < 48 || c > 57)) {
      let j = i + 1;
      while (j < stop && isAsciiWordChar(s.charCodeAt(j))) j++;
      const kw = keyword(s, i, j, true, true);
      if (kw === T.End || kw === T.Else) {
        if (skipSpaces(s, j, stop) !== stop || this.depth === 0) return false;
        if (kw === T.Else && this.blocks[this.depth].inElse) return false;
        this.actionPos = -1;
        if (kw === T.End) this.closeBlock();
        else this.plainElse(next);
        this.directCache(x, close, kw === T.End ? N.End : N.Else, NONE, NONE, close);
        return true;
      }
      if (kw === T.If || kw === T.With || kw === T.Range) {
        if (j >= stop || !isSpace(s.charCodeAt(j))) return false;
        const pipe = this.directPipeline(skipSpaces(s, j, stop), stop);
        if (pipe === NONE) return false;
        const k = kw === T.If ? N.If : kw === T.With ? N.With : N.Range;
        this.actionPos = x;
        this.pushBlock(k, false, this.vars.length, pipe, 0, next);
        this.directCache(x, close, k, pipe, this.blocks[this.depth].list, 0);
        return true;
      }
      if (kw !== T.Identifier && kw !== T.Bool && kw !== T.Nil) return false;
    }
    const pipe = this.directPipeline(i, stop);
    if (pipe === NONE) return false;
    const n = this.nodes.alloc(N.Action, i);
    this.nodes.d[n + 2] = pipe;
    this.actionPos = -1;
    this.append(n);
    this.directCache(x, close, N.Action, pipe, n, i);
    return true;
  }

  /** Caches a directly parsed action as remember does (the same entry, the same limit). */
  private directCache(x: number, close: number, kind: N, from: number, to: number, at: number): void {
    const lx = this.lx;
    const actions = this.sh.actions;
    if (!lx.cacheHasRoom(actions.length / ENTRY)) return;
    lx.cacheAction(lx.input.slice(x, close + lx.rightDelim.length), actions.length / ENTRY);
    actions.push(kind, from, to, at - x, x);
  }

  /**
   * plainPipeline's nodes for the pipeline s[i, stop) (i at its first operand), with no
   * declarations; NONE (nothing added) if it is not one of the simple ones.
   */
  private directPipeline(i: number, stop: number): number {
    const s = this.lx.input;
    const nodes = this.nodes;
    const topMark = nodes.top;
    const strsMark = nodes.strs.length;
    const pipe = nodes.alloc(N.Pipe, i);
    let cmdFirst = NONE;
    let cmdTail = NONE;
    let ncmds = 0;
    commands: for (;;) {
      // A command: operands separated by spaces, up to "|" or the end.
      const cmd = nodes.alloc(N.Command, i);
      let argTail = NONE;
      let nargs = 0;
      for (;;) {
        const arg = this.directTerm(i, stop);
        if (arg === NONE) break commands;
        if (argTail === NONE) nodes.d[cmd + 2] = arg;
        else nodes.d[argTail + 5] = arg;
        argTail = arg;
        nargs++;
        const after = this.termEnd;
        i = skipSpaces(s, after, stop);
        if (i < 0) break commands;
        if (i >= stop || s.charCodeAt(i) === 124) break;
        // Another operand must follow spaces (else: a chain, or an error).
        if (i === after) break commands;
      }
      nodes.d[cmd + 4] = nargs;
      if (cmdTail === NONE) cmdFirst = cmd;
      else if (!this.laterStage(cmdTail, cmd)) break;
      cmdTail = cmd;
      ncmds++;
      if (i >= stop) {
        const d = nodes.d;
        d[pipe + 2] = cmdFirst;
        d[pipe + 4] = ncmds;
        return pipe;
      }
      // After "|": spaces, then the next command.
      i = skipSpaces(s, i + 1, stop);
      if (i < 0 || i >= stop) break;
    }
    nodes.truncate(topMark);
    nodes.strs.length = strsMark;
    return NONE;
  }

  /**
   * Links command cmd after command tail in a pipeline being built; false if cmd cannot be a later
   * stage (Go's checkPipeline: it must be executable), which the general path reports.
   */
  private laterStage(tail: number, cmd: number): boolean {
    const d = this.nodes.d;
    d[tail + 5] = cmd;
    return isExecutable(d[d[cmd + 2]] & 255);
  }

  /** Where the operand directTerm read ends. */
  private termEnd = 0;

  /**
   * The node of the simple operand at i (a field chain, dot, function name, true/false/nil, a
   * string without escapes, a small decimal), leaving its end in termEnd; NONE if it is not one.
   */
  private directTerm(i: number, stop: number): number {
    const s = this.lx.input;
    const nodes = this.nodes;
    const c = s.charCodeAt(i);
    if (c === 46) {
      // lexField: a dot alone, or a chain of fields (.a.b).
      const c1 = i + 1 < stop ? s.charCodeAt(i + 1) : 32;
      if (isTerminatorChar(c1)) {
        this.termEnd = i + 1;
        return nodes.alloc(N.Dot, i);
      }
      if (!isAsciiWordChar(c1) || (c1 >= 48 && c1 <= 57)) return NONE;
      const n = nodes.alloc(N.Field, i);
      let j = wordEnd(s, i + 1, stop);
      if (j < 0) return NONE;
      nodes.d[n + 2] = nodes.str(s.slice(i + 1, j));
      let count = 1;
      while (j < stop && s.charCodeAt(j) === 46) {
        const c2 = j + 1 < stop ? s.charCodeAt(j + 1) : 32;
        if (!isAsciiWordChar(c2) || (c2 >= 48 && c2 <= 57)) return NONE;
        // plainPipeline's position for a chain: its second field's.
        if (count === 1) nodes.d[n + 1] = j;
        const k = wordEnd(s, j + 1, stop);
        if (k < 0) return NONE;
        nodes.str(s.slice(j + 1, k));
        count++;
        j = k;
      }
      nodes.d[n + 4] = count;
      this.termEnd = j;
      return n;
    }
    if (isAsciiWordChar(c)) {
      if (c >= 48 && c <= 57) {
        // A plain decimal that Nodes.num keeps in the node (as lexNumber and tryNumber see it).
        let j = i;
        let v = 0;
        for (; j < stop; j++) {
          const digit = s.charCodeAt(j) - 48;
          if (digit < 0 || digit > 9) break;
          v = v * 10 + digit;
        }
        if (j - i > 9 || (c === 48 && j - i > 1) || !isNumberStop(s.charCodeAt(j))) return NONE;
        const n = nodes.alloc(N.Number, i);
        nodes.d[n + 2] = ~v;
        this.termEnd = j;
        return n;
      }
      // lexIdentifier; a field right after it is a chain or an error.
      const j = wordEnd(s, i, stop);
      if (j < 0 || (j < stop && s.charCodeAt(j) === 46)) return NONE;
      const kw = keyword(s, i, j, true, true);
      this.termEnd = j;
      if (kw === T.Bool) {
        const n = nodes.alloc(N.Bool, i);
        if (j - i === 4) nodes.d[n] = N.Bool | (1 << 8);
        return n;
      }
      if (kw === T.Nil) return nodes.alloc(N.Nil, i);
      if (kw !== T.Identifier) return NONE;
      const name = s.slice(i, j);
      const fi = this.sh.funcIndex(name);
      if (fi < 0) return NONE;
      const n = nodes.alloc(N.Identifier, i);
      nodes.d[n + 2] = nodes.str(name);
      nodes.d[n + 3] = fi;
      return n;
    }
    if (c === 34) {
      // lexQuote, for a string that needs no unquoting (as stringNode's plain case).
      let j = i + 1;
      for (; j < stop; j++) {
        const q = s.charCodeAt(j);
        if (q === 34) break;
        if (q === 92 || q === 10 || q >= 0xd800) return NONE;
      }
      if (j >= stop) return NONE;
      const n = nodes.alloc(N.String, i);
      nodes.d[n + 2] = j + 1;
      nodes.d[n + 3] = nodes.str(s.slice(i + 1, j));
      this.termEnd = j + 1;
      return n;
    }
    return NONE;
  }

  /** Adds node n to the list of the innermost open block. */
  private append(n: number): void {
    const d = this.nodes.d;
    const b = this.blocks[this.depth];
    if (b.tail === NONE) d[b.list + 2] = n;
    else d[b.tail + 5] = n;
    b.tail = n;
    d[b.list + 4] = ++b.count;
  }

  /** A plain {{else}} (not else-if) of the innermost block, which is not in its else part yet. */
  private plainElse(listPos: number): void {
    const b = this.blocks[this.depth];
    if (b.k === N.Range) this.rangeDepth--;
    b.main = b.list;
    b.inElse = true;
    b.list = this.nodes.alloc(N.List, listPos);
    b.tail = NONE;
    b.count = 0;
  }

  /** An Action node; `shift`: its pipeline is shared, at that distance (see sharedPipe). */
  private newAction(pos: number, pipe: number, shift: number): number {
    const n = this.nodes.alloc(N.Action, pos);
    const d = this.nodes.d;
    d[n] |= shift << 8;
    d[n + 2] = pipe;
    return n;
  }

  /**
   * The pipeline of cache entry e for a copy of its action at x: the entry's own nodes, shared.
   * The Action/If/With/Range node over them keeps the shift, how far x is from the action they
   * were parsed from (entry's +4), for the executor's error positions (State.errorf). When that
   * no longer fits in the node's flags, the entry moves to a copy of the nodes made for x.
   */
  private sharedPipe(e: number, x: number): number {
    const actions = this.sh.actions;
    if (x - actions[e + 4] >= MAX_SHIFT) {
      const from = actions[e + 1];
      const to = actions[e + 2];
      const copy = this.copyNodes(from, to, x - actions[e + 4]);
      actions[e + 1] = copy;
      actions[e + 2] = copy + (to - from);
      actions[e + 4] = x;
    }
    return actions[e + 1];
  }

  /** A Cached token on the general path (Go's action, for an action known to parse). */
  private cachedAction(t: number): number {
    const e = this.lx.aux[t & SLOT] * ENTRY;
    const actions = this.sh.actions;
    const kind = actions[e] as N;
    const x = this.pos(t);
    if (kind === N.End || kind === N.Else) return this.endOrElse(kind, x + actions[e + 3]);
    const pipe = this.sharedPipe(e, x);
    const shift = x - actions[e + 4];
    if (kind === N.Action) return this.newAction(x + actions[e + 3], pipe, shift);
    const k = kind as N.If | N.With | N.Range;
    return this.branch(k, k === N.If ? "if" : k === N.With ? "with" : "range", pipe, shift);
  }

  /**
   * Copies the nodes [from, to) (a pipeline and everything in it) to the end of the store, moving
   * their positions by delta; returns the copy of `from`. Strings and numbers are shared.
   */
  private copyNodes(from: number, to: number, delta: number): number {
    const nodes = this.nodes;
    const base = nodes.top;
    nodes.reserve(to - from);
    const d = nodes.d;
    d.copyWithin(base, from, to);
    nodes.top = base + (to - from);
    const shift = base - from;
    for (let n = base; n < nodes.top; n += STRIDE) {
      d[n + 1] += delta;
      if (d[n + 5] !== NONE) d[n + 5] += shift;
      switch ((d[n] & 255) as N) {
        case N.Pipe:
          if (d[n + 2] !== NONE) d[n + 2] += shift;
          if (d[n + 3] !== NONE) d[n + 3] += shift;
          break;
        case N.Command:
        case N.Action:
        case N.Chain:
          if (d[n + 2] !== NONE) d[n + 2] += shift;
          break;
        case N.String:
          d[n + 2] += delta;
          break;
      }
    }
    return base;
  }

  private fastActionAt(t: number): number {
    const lx = this.lx;
    const a = t + 1 < lx.count ? t + 1 : this.lex(t + 1);
    const typ = this.typ(a);
    switch (typ) {
      case T.End:
      case T.Else: {
        if (this.depth === 0) return HANDOFF;
        const r = a + 1 < lx.count ? a + 1 : this.lex(a + 1);
        const next = this.typ(r);
        if (next === T.RightDelim) this.cur = r + 1;
        else if (typ === T.Else && (next === T.If || next === T.With)) this.cur = r;
        else return HANDOFF;
        if (r > this.hi) this.hi = r;
        return this.endOrElse(typ === T.End ? N.End : N.Else, this.pos(r));
      }
      case T.If:
      case T.With:
      case T.Range:
        this.cur = a + 1;
        if (this.open(typ === T.If ? N.If : typ === T.With ? N.With : N.Range, false)) return NONE;
        this.cur = t;
        return HANDOFF;
      case T.Break:
      case T.Continue: {
        const r = a + 1 < lx.count ? a + 1 : this.lex(a + 1);
        if (this.typ(r) !== T.RightDelim || this.rangeDepth === 0) return HANDOFF;
        this.cur = r + 1;
        if (r > this.hi) this.hi = r;
        return this.nodes.alloc(typ === T.Break ? N.Break : N.Continue, this.pos(a));
      }
      case T.Template: {
        const r = a + 1 < lx.count ? a + 1 : this.lex(a + 1);
        const rt = this.typ(r);
        if (rt !== T.String && rt !== T.RawString) return HANDOFF;
        const name = this.tryUnquote(lx.val(r));
        if (name === null) return HANDOFF;
        const pos = this.pos(r);
        const after = r + 1 < lx.count ? r + 1 : this.lex(r + 1);
        let pipe = NONE;
        if (this.typ(after) === T.RightDelim) {
          this.cur = after + 1;
          if (after > this.hi) this.hi = after;
        } else {
          this.cur = after;
          pipe = this.plainPipeline("template clause");
          if (pipe === NONE) {
            this.cur = t;
            return HANDOFF;
          }
        }
        return this.newTemplate(pos, name, pipe);
      }
      case T.Define:
      case T.Block:
        return HANDOFF;
    }
    this.cur = a;
    const pos = this.pos(a);
    const pipe = this.plainPipeline("command");
    if (pipe === NONE) {
      this.cur = t;
      return HANDOFF;
    }
    const n = this.nodes.alloc(N.Action, pos);
    this.nodes.d[n + 2] = pipe;
    return n;
  }

  /**
   * Go's branch up to its item list: the pipeline (plain only: false if not, nothing read) and a
   * new block for the list. `chained`: an {{else if}}/{{else with}}, ended by its block's {{end}}.
   */
  private open(k: N.If | N.With | N.Range, chained: boolean): boolean {
    const mark = this.vars.length;
    const pipe = this.plainPipeline(k === N.If ? "if" : k === N.With ? "with" : "range");
    if (pipe === NONE) return false;
    this.pushBlock(k, chained, mark, pipe);
    return true;
  }

  /**
   * Opens a block whose pipeline is parsed: its item list follows. The List's position (never
   * shown) is the next token's, or listPos if given.
   */
  private pushBlock(
    k: N.If | N.With | N.Range,
    chained: boolean,
    mark: number,
    pipe: number,
    shift = 0,
    listPos = -1,
  ): void {
    if (k === N.Range) this.rangeDepth++;
    const b = this.block(++this.depth);
    b.k = k;
    b.pipe = pipe;
    b.mark = mark;
    b.main = NONE;
    b.inElse = false;
    b.chained = chained;
    b.shift = shift;
    b.list = this.nodes.alloc(N.List, listPos >= 0 ? listPos : this.pos(this.peekNonSpace()));
    b.tail = NONE;
    b.count = 0;
  }

  /** An {{end}} in the item loop: ends the innermost block (and the blocks it is an else-if of). */
  private closeBlock(): void {
    const nodes = this.nodes;
    for (;;) {
      const b = this.blocks[this.depth];
      if (b.k === N.Range && !b.inElse) this.rangeDepth--;
      // Setting an array's length is slow in JSC even when it does not change.
      if (this.vars.length !== b.mark) this.vars.length = b.mark;
      const n = nodes.alloc(b.k, nodes.d[b.pipe + 1] + b.shift);
      const d = nodes.d;
      d[n] |= b.shift << 8;
      d[n + 2] = b.pipe;
      d[n + 3] = b.inElse ? b.main : b.list;
      d[n + 4] = b.inElse ? b.list : NONE;
      this.depth--;
      const parent = this.blocks[this.depth];
      if (parent.tail === NONE) d[parent.list + 2] = n;
      else d[parent.tail + 5] = n;
      parent.tail = n;
      d[parent.list + 4] = ++parent.count;
      if (!b.chained) return;
    }
  }

  /** An {{else}} in the item loop (at `pos`), as Go's branch handles it. */
  private elseBlock(pos: number): void {
    const b = this.blocks[this.depth];
    if (b.inElse) this.errorf("expected end; found {{else}}");
    if (b.k === N.Range) this.rangeDepth--;
    b.main = b.list;
    b.inElse = true;
    const k = b.k;
    const next = this.typ(this.peek());
    if ((k === N.If && next === T.If) || (k === N.With && next === T.With)) {
      this.next();
      const nodes = this.nodes;
      b.list = nodes.alloc(N.List, pos);
      b.tail = NONE;
      b.count = 0;
      if (this.open(k, true)) return;
      const nested = this.branch(k, k === N.If ? "if" : "with");
      nodes.d[b.list + 2] = nested;
      nodes.d[b.list + 4] = 1;
      b.tail = nested;
      b.count = 1;
      // Go's branch returns right after an else-if: the block ends here, with no {{end}} of its own.
      this.closeBlock();
      return;
    }
    b.list = this.nodes.alloc(N.List, this.pos(this.peekNonSpace()));
    b.tail = NONE;
    b.count = 0;
  }

  private parseDefinition(): void {
    const context = "define clause";
    const name = this.nextNonSpace();
    if (this.typ(name) !== T.String && this.typ(name) !== T.RawString) this.unexpected(name, context);
    this.treeName = this.unquote(this.lx.val(name));
    this.expect(T.RightDelim, context);
    this.root = this.itemList();
    const end = this.itemEnd;
    if (this.kind(end) !== N.End) this.errorf(`unexpected ${nodeString(this.nodes, end)} in ${context}`);
    this.add();
  }

  private unquote(lit: string): string {
    const text = this.tryUnquote(lit);
    if (text === null) this.errorf("invalid syntax");
    return text;
  }

  /**
   * A String node for string token t; NONE if the literal is malformed. A literal without escapes
   * (a raw one without carriage returns; a quoted one without backslashes or surrogates) is its
   * text between the quotes, as Go's Unquote would return it; others go through unquote.
   */
  private stringNode(t: number): number {
    const lx = this.lx;
    const s = lx.input;
    const start = this.pos(t);
    const end = lx.ends[t & SLOT];
    const raw = s.charCodeAt(start) === 96;
    let plain = true;
    for (let i = start + 1; i < end - 1; i++) {
      const c = s.charCodeAt(i);
      if (raw ? c === 13 : c === 92 || c >= 0xd800) {
        plain = false;
        break;
      }
    }
    const text = plain ? s.slice(start + 1, end - 1) : this.tryUnquote(s.slice(start, end));
    if (text === null) return NONE;
    const nodes = this.nodes;
    const n = nodes.alloc(N.String, start);
    nodes.d[n + 2] = end;
    nodes.d[n + 3] = nodes.str(text);
    return n;
  }

  /** A string literal's value; null if it is malformed. */
  private tryUnquote(lit: string): string | null {
    const cached = this.sh.strings.get(lit);
    if (cached !== undefined) return cached;
    let text: string;
    try {
      text = unquoteGo(lit);
    } catch (e) {
      if (e instanceof SyntaxError_) return null;
      throw e;
    }
    this.sh.strings.set(lit, text);
    return text;
  }

  /** Nodes up to an {{end}} or {{else}} (left in itemEnd); returns the List node. */
  private itemList(): number {
    const nodes = this.nodes;
    const list = nodes.alloc(N.List, this.pos(this.peekNonSpace()));
    let tail = NONE;
    let count = 0;
    while (this.typ(this.peekNonSpace()) !== T.EOF) {
      const n = this.textOrAction();
      const k = this.kind(n);
      if (k === N.End || k === N.Else) {
        this.itemEnd = n;
        return list;
      }
      if (tail === NONE) nodes.d[list + 2] = n;
      else nodes.d[tail + 5] = n;
      tail = n;
      count++;
      nodes.d[list + 4] = count;
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): number {
    const t = this.nextNonSpace();
    switch (this.typ(t)) {
      case T.Text: {
        const nodes = this.nodes;
        const n = nodes.alloc(N.Text, this.pos(t));
        nodes.d[n + 2] = nodes.text(this.lx.input, this.pos(t), this.lx.ends[t & SLOT]);
        return n;
      }
      case T.LeftDelim: {
        // Not restored on the way out: like Go's deferred clear, a nested action leaves it unset.
        // No try/finally either: an error abandons the whole parse.
        this.actionPos = this.pos(t);
        const n = this.action();
        this.actionPos = -1;
        return n;
      }
      case T.Cached: {
        this.actionPos = this.pos(t);
        const n = this.cachedAction(t);
        this.actionPos = -1;
        return n;
      }
      default:
        this.unexpected(t, "input");
    }
  }

  private action(): number {
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
        return this.endOrElse(N.End, this.pos(this.expect(T.RightDelim, "end")));
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
    const pos = this.pos(this.peek());
    const pipe = this.pipeline("command", T.RightDelim);
    const n = this.nodes.alloc(N.Action, pos);
    this.nodes.d[n + 2] = pipe;
    return n;
  }

  private breakOrContinue(t: number, k: N.Break | N.Continue, context: string): number {
    const next = this.nextNonSpace();
    if (this.typ(next) !== T.RightDelim) this.unexpected(next, context);
    if (this.rangeDepth === 0) this.errorf(`${context} outside {{range}}`);
    return this.nodes.alloc(k, this.pos(t));
  }

  private pipeline(context: string, end: T): number {
    if (end === T.RightDelim) {
      const fast = this.plainPipeline(context);
      if (fast !== NONE) return fast;
    }
    const nodes = this.nodes;
    const pipe = nodes.alloc(N.Pipe, this.pos(this.peekNonSpace()));
    let isAssign = false;
    let declFirst = NONE;
    let declTail = NONE;
    let ndecl = 0;
    for (;;) {
      const v = this.peekNonSpace();
      if (this.typ(v) !== T.Variable) break;
      this.next();
      const next = this.peekNonSpace();
      const nt = this.typ(next);
      if (nt === T.Assign || nt === T.Declare || (nt === T.Char && this.lx.val(next) === ",")) {
        if (nt !== T.Char) isAssign = nt === T.Assign;
        this.nextNonSpace();
        const name = this.lx.val(v);
        const variable = this.newVariable(this.pos(v), name);
        if (declTail === NONE) declFirst = variable;
        else nodes.d[declTail + 5] = variable;
        declTail = variable;
        ndecl++;
        this.vars.push(name);
        if (nt === T.Char) {
          if (context === "range" && ndecl < 2) {
            const p = this.typ(this.peekNonSpace());
            if (p === T.Variable || p === T.RightDelim || p === T.RightParen) continue;
            this.errorf("range can only initialize variables");
          }
          this.errorf(`too many declarations in ${context}`);
        }
      } else {
        this.backupTo(v);
      }
      break;
    }
    let cmdFirst = NONE;
    let cmdTail = NONE;
    let ncmds = 0;
    for (;;) {
      const t = this.nextNonSpace();
      const typ = this.typ(t);
      if (typ === end) {
        const d = nodes.d;
        d[pipe] = N.Pipe | (((isAssign ? 1 : 0) | (ndecl << 1)) << 8);
        d[pipe + 2] = cmdFirst;
        d[pipe + 3] = declFirst;
        d[pipe + 4] = ncmds;
        this.checkPipeline(cmdFirst, context);
        return pipe;
      }
      if (OPERAND_START[typ] !== 1) this.unexpected(t, context);
      this.backup();
      const cmd = this.command();
      if (cmdTail === NONE) cmdFirst = cmd;
      else nodes.d[cmdTail + 5] = cmd;
      cmdTail = cmd;
      ncmds++;
      if (ncmds > MAX_PIPELINE_CMDS) this.errorf("pipeline too long");
    }
  }

  /**
   * The common pipeline, parsed without Go's look-ahead steps: optional declarations, then commands
   * of plain operands (fields, variables, literals, function names; no parentheses) separated by
   * "|" and ended by the right delimiter. It builds exactly the nodes the general path would. For
   * anything else, or anything the general path would report as an error, it undoes what it did
   * and returns NONE: the general path then parses the pipeline (and reports Go's error).
   */
  private plainPipeline(context: string): number {
    // Token access is written out here rather than through next/typ/pos: this runs for nearly
    // every action, also before the JIT has optimised (inlined) those small methods.
    const nodes = this.nodes;
    const lx = this.lx;
    const typs = this.typs;
    const poss = this.poss;
    const vars = this.vars;
    const start = this.cur;
    const topMark = nodes.top;
    const strsMark = nodes.strs.length;
    const varsMark = vars.length;
    let i = start < lx.count ? start : this.lex(start);
    let raw = typs[i & SLOT];
    let typ = raw & ~SPACED;
    const pipe = nodes.alloc(N.Pipe, poss[i & SLOT]);
    // Declarations, as in pipeline.
    let isAssign = false;
    let declFirst = NONE;
    let declTail = NONE;
    let ndecl = 0;
    while (typ === T.Variable) {
      const j = i + 1 < lx.count ? i + 1 : this.lex(i + 1);
      const next = typs[j & SLOT] & ~SPACED;
      const comma = next === T.Char && lx.val(j) === ",";
      if (next !== T.Assign && next !== T.Declare && !comma) break;
      if (!comma) isAssign = next === T.Assign;
      const name = lx.val(i);
      const variable = this.newVariable(poss[i & SLOT], name);
      if (declTail === NONE) declFirst = variable;
      else nodes.d[declTail + 5] = variable;
      declTail = variable;
      ndecl++;
      vars.push(name);
      i = j + 1 < lx.count ? j + 1 : this.lex(j + 1);
      raw = typs[i & SLOT];
      typ = raw & ~SPACED;
      if (!comma) break;
      // "$k, $v :=": only range takes two, and only variables follow the comma.
      if (context !== "range" || ndecl >= 2 || typ !== T.Variable) {
        nodes.truncate(topMark);
        nodes.strs.length = strsMark;
        vars.length = varsMark;
        return NONE;
      }
    }
    let cmdFirst = NONE;
    let cmdTail = NONE;
    let ncmds = 0;
    commands: for (;;) {
      // A command: operands, each after spaces, up to "|" or the right delimiter.
      const cmd = nodes.alloc(N.Command, poss[i & SLOT]);
      let argTail = NONE;
      let nargs = 0;
      for (;;) {
        if (i - start > PLAIN_MAX_TOKENS) break commands;
        let arg: number;
        let next = i + 1 < lx.count ? i + 1 : this.lex(i + 1);
        if (typ === T.Field || typ === T.Variable) {
          // A field or variable, extended by the fields right after it (as operand does).
          let name: string;
          if (typ === T.Field) name = lx.fieldName(i);
          else {
            name = lx.val(i);
            if (name.includes(".") || !this.vars.includes(name)) break commands;
          }
          arg = nodes.alloc(typ === T.Field ? N.Field : N.Variable, poss[i & SLOT]);
          nodes.d[arg + 2] = nodes.str(name);
          let count = 1;
          if (typs[next & SLOT] === T.Field) {
            nodes.d[arg + 1] = poss[next & SLOT];
            do {
              if (next - start > PLAIN_MAX_TOKENS) break commands;
              nodes.str(lx.fieldName(next));
              count++;
              next = next + 1 < lx.count ? next + 1 : this.lex(next + 1);
            } while (typs[next & SLOT] === T.Field);
          }
          nodes.d[arg + 4] = count;
        } else {
          arg = this.plainTerm(i, typ);
          // A field right after any other term is a chain or an error: left to the general path.
          if (arg === NONE || typs[next & SLOT] === T.Field) break commands;
        }
        if (argTail === NONE) nodes.d[cmd + 2] = arg;
        else nodes.d[argTail + 5] = arg;
        argTail = arg;
        nargs++;
        i = next;
        raw = typs[i & SLOT];
        typ = raw & ~SPACED;
        if (raw >= SPACED && OPERAND_START[typ] === 1) continue;
        break;
      }
      nodes.d[cmd + 4] = nargs;
      if (cmdTail === NONE) cmdFirst = cmd;
      else if (!this.laterStage(cmdTail, cmd)) break;
      cmdTail = cmd;
      ncmds++;
      if (typ === T.Pipe) {
        i = i + 1 < lx.count ? i + 1 : this.lex(i + 1);
        typ = typs[i & SLOT] & ~SPACED;
        if (OPERAND_START[typ] === 1) continue;
      }
      if (typ !== T.RightDelim) break;
      const d = nodes.d;
      d[pipe] = N.Pipe | (((isAssign ? 1 : 0) | (ndecl << 1)) << 8);
      d[pipe + 2] = cmdFirst;
      d[pipe + 3] = declFirst;
      d[pipe + 4] = ncmds;
      this.cur = i + 1;
      if (i > this.hi) this.hi = i;
      return pipe;
    }
    nodes.truncate(topMark);
    nodes.strs.length = strsMark;
    vars.length = varsMark;
    return NONE;
  }

  /** A plain operand other than a field or variable at token i of type typ; NONE if not one. */
  private plainTerm(i: number, typ: number): number {
    const nodes = this.nodes;
    const pos = this.pos(i);
    let n: number;
    switch (typ) {
      case T.Identifier: {
        const name = this.lx.val(i);
        const fi = this.sh.funcIndex(name);
        if (fi < 0) return NONE;
        n = nodes.alloc(N.Identifier, pos);
        nodes.d[n + 2] = nodes.str(name);
        nodes.d[n + 3] = fi;
        return n;
      }
      case T.Dot:
        return nodes.alloc(N.Dot, pos);
      case T.Nil:
        return nodes.alloc(N.Nil, pos);
      case T.Bool:
        n = nodes.alloc(N.Bool, pos);
        if (this.lx.val(i) === "true") nodes.d[n] = N.Bool | (1 << 8);
        return n;
      case T.CharConstant:
      case T.Complex:
      case T.Number: {
        const num = this.tryNumber(i);
        if (num === BAD_NUMBER) return NONE;
        n = nodes.alloc(N.Number, pos);
        nodes.d[n + 2] = num;
        return n;
      }
      case T.String:
      case T.RawString:
        return this.stringNode(i);
    }
    return NONE;
  }

  private checkPipeline(first: number, context: string): void {
    if (first === NONE) this.errorf(`missing value for ${context}`);
    const d = this.nodes.d;
    let stage = 1;
    for (let cmd = d[first + 5]; cmd !== NONE; cmd = d[cmd + 5]) {
      stage++;
      if (!isExecutable(d[d[cmd + 2]] & 255)) {
        this.errorf(`non executable command in pipeline stage ${stage}`);
      }
    }
  }

  /** Go's parseControl; `parsed`: the pipeline, already parsed (a cached action). */
  private branch(k: N.If | N.Range | N.With, context: string, parsed = NONE, shift = 0): number {
    const nodes = this.nodes;
    const mark = this.vars.length;
    const pipe = parsed !== NONE ? parsed : this.pipeline(context, T.RightDelim);
    if (k === N.Range) this.rangeDepth++;
    const list = this.itemList();
    let next = this.itemEnd;
    if (k === N.Range) this.rangeDepth--;
    let elseList = NONE;
    if (this.kind(next) === N.Else) {
      if (k === N.If && this.typ(this.peek()) === T.If) {
        this.next();
        elseList = nodes.alloc(N.List, nodes.d[next + 1]);
        const nested = this.branch(N.If, "if");
        nodes.d[elseList + 2] = nested;
        nodes.d[elseList + 4] = 1;
      } else if (k === N.With && this.typ(this.peek()) === T.With) {
        this.next();
        elseList = nodes.alloc(N.List, nodes.d[next + 1]);
        const nested = this.branch(N.With, "with");
        nodes.d[elseList + 2] = nested;
        nodes.d[elseList + 4] = 1;
      } else {
        elseList = this.itemList();
        next = this.itemEnd;
        if (this.kind(next) !== N.End) this.errorf(`expected end; found ${nodeString(nodes, next)}`);
      }
    }
    // No try/finally: a parse error abandons the whole parse, so only the normal path must pop.
    if (this.vars.length !== mark) this.vars.length = mark;
    const n = nodes.alloc(k, nodes.d[pipe + 1] + shift);
    const d = nodes.d;
    d[n] |= shift << 8;
    d[n + 2] = pipe;
    d[n + 3] = list;
    d[n + 4] = elseList;
    return n;
  }

  private elseControl(): number {
    const peek = this.peekNonSpace();
    const typ = this.typ(peek);
    if (typ === T.If || typ === T.With) return this.endOrElse(N.Else, this.pos(peek));
    const t = this.expect(T.RightDelim, "else");
    return this.endOrElse(N.Else, this.pos(t));
  }

  /** An {{end}} or {{else}}: never part of a tree, so built in the scratch node. */
  private endOrElse(kind: N.End | N.Else, pos: number): number {
    const d = this.nodes.d;
    d[SCRATCH] = kind;
    d[SCRATCH + 1] = pos;
    return SCRATCH;
  }

  private blockControl(): number {
    const context = "block clause";
    const t = this.nextNonSpace();
    const pos = this.pos(t);
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, T.RightDelim);
    const block = new Parser(name, this.sh);
    const hiPos = this.enter(block);
    block.root = block.itemList();
    this.leave(block, hiPos);
    const end = block.itemEnd;
    if (this.kind(end) !== N.End) this.errorf(`unexpected ${nodeString(this.nodes, end)} in ${context}`);
    block.add();
    return this.newTemplate(pos, name, pipe);
  }

  private templateControl(): number {
    const context = "template clause";
    const t = this.nextNonSpace();
    const pos = this.pos(t);
    const name = this.templateName(t, context);
    let pipe = NONE;
    if (this.typ(this.nextNonSpace()) !== T.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.RightDelim);
    }
    return this.newTemplate(pos, name, pipe);
  }

  private newTemplate(pos: number, name: string, pipe: number): number {
    const nodes = this.nodes;
    const n = nodes.alloc(N.Template, pos);
    nodes.d[n + 2] = nodes.str(name);
    nodes.d[n + 3] = pipe;
    return n;
  }

  private templateName(t: number, context: string): string {
    const typ = this.typ(t);
    if (typ === T.String || typ === T.RawString) return this.unquote(this.lx.val(t));
    this.unexpected(t, context);
  }

  private command(): number {
    const nodes = this.nodes;
    const cmd = nodes.alloc(N.Command, this.pos(this.peekNonSpace()));
    let tail = NONE;
    let count = 0;
    // Go reads a space token here and goes on to the next operand; the token after it is then read
    // again (by term, and here once more if it is not an operand), this time as itself.
    let spaceRead = -1;
    for (;;) {
      const operand = this.operand();
      if (operand !== NONE) {
        if (tail === NONE) nodes.d[cmd + 2] = operand;
        else nodes.d[tail + 5] = operand;
        tail = operand;
        count++;
      }
      const t = this.next();
      if (t !== spaceRead && this.spaced(t)) {
        spaceRead = t;
        this.backup();
        continue;
      }
      const typ = this.typ(t);
      if (typ === T.RightDelim || typ === T.RightParen) this.backup();
      else if (typ !== T.Pipe) this.unexpected(t, "operand");
      break;
    }
    if (count === 0) this.errorf("empty command");
    nodes.d[cmd + 4] = count;
    return cmd;
  }

  private operand(): number {
    const node = this.term();
    if (node === NONE) return NONE;
    const p = this.peek();
    if (this.typ(p) !== T.Field || this.spaced(p)) return node;
    const nodes = this.nodes;
    const pos = this.pos(p);
    const first = nodes.strs.length;
    let count = 0;
    let f = p;
    let lastEnd = 0;
    for (; this.typ(f) === T.Field && !this.spaced(f); f = this.peek()) {
      const field = this.next();
      nodes.str(this.lx.fieldName(field));
      lastEnd = this.lx.ends[field & SLOT];
      count++;
    }
    switch (this.kind(node)) {
      case N.Field:
      case N.Variable:
        // The term's identifiers were the last strings stored, so the fields extend them.
        nodes.d[node + 1] = pos;
        nodes.d[node + 4] += count;
        return node;
      case N.Bool:
      case N.String:
      case N.Number:
      case N.Nil:
      case N.Dot: {
        // Go has just read the token after the fields; when that was a space token, the error is
        // on the space's line (where the last field ends), not on the next token's.
        const msg = `unexpected . after term ${quoteGo(nodeString(nodes, node))}`;
        if (this.spaced(f)) this.errorfAt(lastEnd, msg);
        this.errorf(msg);
        break;
      }
    }
    const chain = nodes.alloc(N.Chain, pos);
    nodes.d[chain + 2] = node;
    nodes.d[chain + 3] = first;
    nodes.d[chain + 4] = count;
    return chain;
  }

  private term(): number {
    const t = this.nextNonSpace();
    const nodes = this.nodes;
    const pos = this.pos(t);
    switch (this.typ(t)) {
      case T.Identifier: {
        const name = this.lx.val(t);
        const fi = this.sh.funcIndex(name);
        if (fi < 0) this.errorf(`function ${quoteGo(name)} not defined`);
        const n = nodes.alloc(N.Identifier, pos);
        nodes.d[n + 2] = nodes.str(name);
        nodes.d[n + 3] = fi;
        return n;
      }
      case T.Dot:
        return nodes.alloc(N.Dot, pos);
      case T.Nil:
        return nodes.alloc(N.Nil, pos);
      case T.Variable: {
        const v = this.newVariable(pos, this.lx.val(t));
        const first = nodes.strs[nodes.d[v + 2]];
        if (!this.vars.includes(first)) this.errorf(`undefined variable ${quoteGo(first)}`);
        return v;
      }
      case T.Field: {
        const n = nodes.alloc(N.Field, pos);
        nodes.d[n + 2] = nodes.str(this.lx.fieldName(t));
        nodes.d[n + 4] = 1;
        return n;
      }
      case T.Bool: {
        const n = nodes.alloc(N.Bool, pos);
        if (this.lx.val(t) === "true") nodes.d[n] = N.Bool | (1 << 8);
        return n;
      }
      case T.CharConstant:
      case T.Complex:
      case T.Number: {
        const n = nodes.alloc(N.Number, pos);
        nodes.d[n + 2] = this.number(t);
        return n;
      }
      case T.LeftParen: {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf("max expression depth exceeded");
        this.stackDepth++;
        const pipe = this.pipeline("parenthesized pipeline", T.RightParen);
        this.stackDepth--;
        return pipe;
      }
      case T.String:
      case T.RawString: {
        const n = this.stringNode(t);
        if (n === NONE) this.errorf("invalid syntax");
        return n;
      }
    }
    this.backup();
    return NONE;
  }

  private newVariable(pos: number, name: string): number {
    const nodes = this.nodes;
    const n = nodes.alloc(N.Variable, pos);
    if (name.includes(".")) {
      const parts = name.split(".");
      nodes.d[n + 2] = nodes.strs.length;
      for (const part of parts) nodes.str(part);
      nodes.d[n + 4] = parts.length;
    } else {
      nodes.d[n + 2] = nodes.str(name);
      nodes.d[n + 4] = 1;
    }
    return n;
  }

  /** A Number node's A for a number token: a NumberInfo index (shared by equal literals) or ~value. */
  private number(t: number): number {
    const i = this.tryNumber(t);
    if (i === BAD_NUMBER) this.errorf(this.numberError);
    return i;
  }

  private numberError = "";

  /**
   * A Number node's A for a number token (see Nodes.num); BAD_NUMBER if the literal is bad (message
   * in numberError).
   */
  private tryNumber(t: number): number {
    const typ = this.typ(t);
    if (typ === T.Number) {
      const v = smallDecimal(this.lx.input, this.poss[t & SLOT], this.lx.ends[t & SLOT]);
      if (v >= 0) return ~v;
    }
    const text = this.lx.val(t);
    const nums = this.nodes.nums;
    const cached = this.sh.numbers.get(text);
    if (cached !== undefined && nums[cached].typ === typ) return cached;
    let info: NumberInfo;
    try {
      info = parseNumber(typ, text);
    } catch (e) {
      if (e instanceof SyntaxError_) this.numberError = "invalid syntax";
      else if (e instanceof NumberError) this.numberError = e.message;
      else throw e;
      return BAD_NUMBER;
    }
    const i = nums.push(info) - 1;
    this.sh.numbers.set(text, i);
    return i;
  }
}

/** Whether a command starting with a node of kind k can be a later stage of a pipeline. */
function isExecutable(k: number): boolean {
  return k !== N.Bool && k !== N.Dot && k !== N.Nil && k !== N.Number && k !== N.String;
}

/** Past the spaces at i (up to stop); -1 at a newline (see directAction). */
function skipSpaces(s: string, i: number, stop: number): number {
  for (; i < stop; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) return -1;
    if (c !== 32 && c !== 9 && c !== 13) break;
  }
  return i;
}

/**
 * The end of the ASCII word at i (scanAlphaNumeric), which must be followed by a terminator or
 * stop (else Go's lexer reports a bad character, or the word goes on in non-ASCII letters); -1 if not.
 */
function wordEnd(s: string, i: number, stop: number): number {
  while (i < stop && isAsciiWordChar(s.charCodeAt(i))) i++;
  return i === stop || isTerminatorChar(s.charCodeAt(i)) ? i : -1;
}

/** The value of s[start, end) if it is a decimal of 1–9 digits without a leading zero ("0" is one); else -1. */
function smallDecimal(s: string, start: number, end: number): number {
  const len = end - start;
  if (len < 1 || len > 9) return -1;
  let v = s.charCodeAt(start) - 48;
  if (v < 0 || v > 9 || (v === 0 && len > 1)) return -1;
  for (let i = start + 1; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** 1 for token types that start an operand (see isOperandStart), by type. */
const OPERAND_START = new Uint8Array(T.With + 1);
for (let t = 0; t <= T.With; t++) OPERAND_START[t] = isOperandStart(t) ? 1 : 0;

/** Token types that start an operand (Go's pipeline accepts a command starting with these). */
function isOperandStart(typ: T): boolean {
  switch (typ) {
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
      return true;
  }
  return false;
}

function itemString(typ: T, val: string): string {
  if (typ === T.EOF) return "EOF";
  if (typ === T.Error) return val;
  if (typ > T.Keyword) return `<${val}>`;
  if (val.length > 10) return `${quoteGo([...val].slice(0, 10).join(""))}...`;
  return quoteGo(val);
}

function isEmptyTree(nodes: Nodes, n: number): boolean {
  if (n === NONE) return true;
  const d = nodes.d;
  switch ((d[n] & 255) as N) {
    case N.Comment:
      return true;
    case N.List:
      for (let m = d[n + 2]; m !== NONE; m = d[m + 5]) if (!isEmptyTree(nodes, m)) return false;
      return true;
    case N.Text:
      return GO_SPACE_ONLY.test(nodes.strs[d[n + 2]]);
    default:
      return false;
  }
}

/** Only unicode.IsSpace characters (bytes.TrimSpace would leave nothing). */
const GO_SPACE_ONLY = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/** The parser's code (see parseTemplates). Nodes' methods run at parse time only. */
const PARSER_CODE = [
  ...LEXER_CODE,
  Parser,
  Nodes,
  Block,
  isExecutable,
  skipSpaces,
  wordEnd,
  smallDecimal,
  isOperandStart,
  itemString,
  isEmptyTree,
];
