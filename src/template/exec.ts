/**
 * The executor of Go's text/template. Statements (lists, if/with/range, template calls) run on an
 * explicit frame stack rather than JS recursion, so `{{template}}` recursion reaches Go's limit of
 * 100000 and fails with Go's message instead of overflowing the JS stack. Expressions recurse, but
 * only as deep as the parser allows parentheses to nest.
 *
 * Values: `undefined` is Go's invalid reflect.Value (missing), `null` a nil interface. `st.node`
 * follows Go's `s.at(node)` calls exactly, because the node named in an error message
 * (`executing "" at <.Data.x>`) is whichever node Go last visited.
 */
import { JsonNumber } from "../common/json.ts";
import { type Builtin, INTERFACE_INDEX } from "./builtins.ts";
import { intText, printAction, sprint } from "./fmt.ts";
import {
  canBeNil,
  isTrue,
  K,
  kindOf,
  kindOfType,
  sortedKeys,
  stringOf,
  typeName,
  zeroValue,
} from "./gotype.ts";
import { parseGoFloat, parseGoInt } from "./funcs/parse.ts";
import { goInt, type NumberInfo } from "./number.ts";
import { N, NONE, type Nodes, nodeString, type Tree } from "./parse.ts";
import { quoteGo, utf8Len } from "./quote.ts";
import { parseSignature, type Signature } from "./signature.ts";
import {
  elemTypeOf,
  GoChan,
  GoComplex,
  type GoFunc,
  GoNil,
  GoStruct,
  GoTyped,
  goMapKey,
  fieldsOfType,
  keyTypeOf,
  structFields,
} from "./value.ts";

export const MAX_EXEC_DEPTH = 100000;

export class ExecError extends Error {}

/** A function as the executor sees it: a builtin or a registered GoFunc with its parsed signature. */
export interface ExecFunc {
  sig: Signature;
  fn: (...args: unknown[]) => unknown;
  builtin: boolean;
  /** The builtins the executor implements itself, decided once instead of by name per call. */
  special: Special;
  self?: unknown;
}

export const enum Special {
  None,
  And,
  Or,
  Call,
  /** slice: its index arguments keep a static interface {} type (see INTERFACE_INDEX). */
  Slice,
}

export interface ExecEnv {
  trees: Map<string, Tree>;
  /** The nodes of every tree in `trees`. */
  nodes: Nodes;
  /** Functions by the index the parser stored in Identifier nodes. */
  funcList: ExecFunc[];
  funcs: Map<string, ExecFunc>;
  missingKeyError: boolean;
}

/** The placeholder for "no piped value" (Go's missingVal). */
const MISSING: unknown = Symbol("missing");

const LENIENT_METHOD = parseSignature("func(...interface {}) (interface {}, error)");

const enum F {
  List,
  Range,
  Template,
}

const NO_ITEMS: unknown[] = [];

/**
 * One entry of the statement stack: a list being run (F.List), a range loop (F.Range), or the
 * caller's state to restore after a {{template}} call (F.Template). Frames are reused from a
 * pool (State.frames, framePool) instead of allocated per if/with/range, so all kinds share one
 * shape.
 */
class Frame {
  t = F.List;
  // List: the next node to run (NONE: the list is done), dot, and the variable-stack height to
  // restore when the list ends (-1: none; saves a Pop frame per if/with).
  cur = NONE;
  dot: unknown = undefined;
  mark = -1;
  /**
   * List: dot's static Go type is interface {} (a range element of []interface {} or of a map with
   * interface {} values): Go's "can't evaluate field" errors name that type, not the dynamic one.
   * Range: the elements' static type is interface {}.
   */
  iface = false;
  // Range: the Range node, the elements (and map keys), the next index, the variable-stack height
  // outside the loop (mark is the height inside it).
  node = NONE;
  items: unknown[] = NO_ITEMS;
  keys: unknown[] | null = null;
  i = 0;
  outer = 0;
  /** Range over an integer: how many iterations (its items are made as they come), else -1. */
  count = -1;
  /** Range over a typed integer (int64 …): the elements' Go type. */
  intType: string | null = null;
  /** Range: the frame of an empty range running its else list (see startRange). */
  elseOnly = false;
  // Template: the caller's variables and template name.
  names: string[] | null = null;
  values: unknown[] | null = null;
  ifaces: boolean[] | null = null;
  tmpl = "";
}

/**
 * Statement stacks of finished executions, for the next ones to reuse, whatever their template
 * (nested executions, executeTemplate, take one each). Besides saving allocations, this keeps the
 * first execution of a new template on the path the JIT optimised for earlier ones: pushFrame
 * reading past the end of a fresh, empty stack made the optimised run() loop fall back to
 * unoptimised code for the rest of a large template's execution (run is one long call there).
 */
const framePool: Frame[][] = [];
const FRAME_POOL_MAX = 8;

/** A new statement stack, with frames for the nesting most templates stay within. */
function newFrames(): Frame[] {
  return Array.from({ length: 16 }, () => new Frame());
}

export function funcFromGo(g: GoFunc): ExecFunc {
  return {
    sig: parseSignature(g.signature),
    fn: g.fn as (...args: unknown[]) => unknown,
    builtin: false,
    special: Special.None,
  };
}

/**
 * encoding/json.Number's methods: Consul Template decodes Vault's numbers as json.Number, so a
 * template can call them on one ({{ .Data.port.Int64 }}), with strconv's errors.
 */
const JSON_NUMBER_METHODS = new Map<string, ExecFunc>([
  [
    "String",
    funcFromGo({
      signature: "func() string",
      fn: function (this: JsonNumber) {
        return this.text;
      } as never,
    }),
  ],
  [
    "Float64",
    funcFromGo({
      signature: "func() (float64, error)",
      fn: function (this: JsonNumber) {
        return parseGoFloat(this.text);
      } as never,
    }),
  ],
  [
    "Int64",
    funcFromGo({
      signature: "func() (int64, error)",
      fn: function (this: JsonNumber) {
        return new GoTyped("int64", parseGoInt(this.text));
      } as never,
    }),
  ],
]);

/** A builtin registered under `name` (and, or and call are run by the executor itself). */
export function builtinFunc(b: Builtin, name: string): ExecFunc {
  const special =
    name === "and"
      ? Special.And
      : name === "or"
        ? Special.Or
        : name === "call"
          ? Special.Call
          : name === "slice"
            ? Special.Slice
            : Special.None;
  return { sig: b.sig, fn: b.fn, builtin: true, special };
}

/** Nodes that are statements (list items); the rest belong to pipelines, which may be shared. */
function isStatement(k: number): boolean {
  switch (k) {
    case N.Text:
    case N.Action:
    case N.If:
    case N.Range:
    case N.With:
    case N.Template:
    case N.List:
    case N.Break:
    case N.Continue:
    case N.Comment:
      return true;
  }
  return false;
}

/** One execution (Go's `state`). Nodes are offsets into the parse's Nodes (see parse.ts). */
export class State {
  /**
   * The output so far. Appending builds a rope that the engine flattens once when the text is
   * read; that is cheaper than collecting pieces in an array and joining them.
   */
  private buf = "";
  /** The node being evaluated, for error messages. */
  node = NONE;
  /** The shift of the statement being run (see walkNode): added to pipeline nodes' positions. */
  private shift = 0;
  /** Dot's static type is interface {} in the list being run (see ListFrame.iface). */
  private dotIface = false;
  /** Set by evalField: its result's static type is interface {} (a map[string]interface {} entry). */
  private fieldIface = false;
  names: string[] = [];
  values: unknown[] = [];
  /** Per variable: its static type is interface {} (a range element; see ListFrame.iface). */
  private ifaces: boolean[] = [];
  depth = 0;
  /** The statement stack: frames[0, sp); frames up to `used` have been used. */
  private readonly frames: Frame[];
  private sp = 0;
  private used = 0;
  private readonly nodes: Nodes;
  private readonly d: Int32Array;
  private readonly strs: string[];

  constructor(
    private readonly env: ExecEnv,
    public tmpl: string,
  ) {
    this.nodes = env.nodes;
    this.d = env.nodes.d;
    this.strs = env.nodes.strs;
    this.frames = framePool.pop() ?? newFrames();
  }

  /** Done: hands the frames, emptied of values, to the next execution (of any template). */
  release(): void {
    const frames = this.frames;
    for (let i = 0; i < this.used; i++) {
      const f = frames[i];
      f.dot = undefined;
      f.items = NO_ITEMS;
      f.keys = null;
      f.names = f.values = f.ifaces = null;
    }
    // Deep {{template}} recursion leaves many frames: not worth keeping.
    if (frames.length <= 256 && framePool.length < FRAME_POOL_MAX) framePool.push(frames);
  }

  /** The text produced so far. */
  get out(): string {
    return this.buf;
  }

  // --- errors -------------------------------------------------------------------------------

  errorf(msg: string): never {
    const n = this.node;
    if (n === NONE) throw new ExecError(`template: ${this.tmpl}: ${msg}`);
    const src = this.nodes.src;
    const before = src.text.slice(0, this.d[n + 1] + (isStatement(this.d[n] & 255) ? 0 : this.shift));
    const nl = before.lastIndexOf("\n");
    let line = 1;
    for (let i = before.indexOf("\n"); i >= 0; i = before.indexOf("\n", i + 1)) line++;
    const col = utf8Len(before.slice(nl + 1));
    throw new ExecError(
      `template: ${src.name}:${line}:${col}: executing ${quoteGo(this.tmpl)} at <${nodeString(this.nodes, n)}>: ${msg}`,
    );
  }

  // --- variables ----------------------------------------------------------------------------

  private push(name: string, v: unknown): void {
    this.names.push(name);
    this.values.push(v);
    this.ifaces[this.names.length - 1] = false; // by index: callers may push "$" on names/values
  }

  private popTo(mark: number): void {
    // Most lists declare nothing: setting an array's length costs even when it does not change.
    if (this.names.length === mark && this.values.length === mark && this.ifaces.length === mark) return;
    this.names.length = mark;
    this.values.length = mark;
    this.ifaces.length = mark;
  }

  private setVar(name: string, v: unknown, iface = false): void {
    for (let i = this.names.length - 1; i >= 0; i--) {
      if (this.names[i] === name) {
        this.values[i] = v;
        this.ifaces[i] = iface;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private varIface(name: string): boolean {
    for (let i = this.names.length - 1; i >= 0; i--)
      if (this.names[i] === name) return this.ifaces[i] === true;
    return false;
  }

  private varValue(name: string): unknown {
    for (let i = this.names.length - 1; i >= 0; i--) if (this.names[i] === name) return this.values[i];
    this.errorf(`undefined variable: ${name}`);
  }

  // --- statements ---------------------------------------------------------------------------

  /** Runs the List node `root` with dot; `$` must already be set. */
  run(root: number, dot: unknown): void {
    const d = this.d;
    const strs = this.strs;
    const frames = this.frames;
    const base = this.sp;
    this.pushList(d[root + 2], dot, -1, false);
    while (this.sp > base) {
      const f = frames[this.sp - 1];
      switch (f.t) {
        case F.List: {
          let node = f.cur;
          // Text, most of a template's items, is appended here rather than through walkNode.
          while (node !== NONE && (d[node] & 255) === N.Text) {
            this.buf += strs[d[node + 2]];
            node = d[node + 5];
          }
          if (node === NONE) {
            if (f.mark >= 0) this.popTo(f.mark);
            this.sp--;
            break;
          }
          f.cur = d[node + 5];
          this.dotIface = f.iface;
          this.walkNode(node, f.dot);
          break;
        }
        case F.Range:
          this.stepRange(f);
          break;
        case F.Template:
          this.names = f.names as string[];
          this.values = f.values as unknown[];
          this.ifaces = f.ifaces as boolean[];
          this.tmpl = f.tmpl;
          f.names = f.values = f.ifaces = null;
          this.depth--;
          this.sp--;
          break;
      }
    }
  }

  /** A frame to fill in, on top of the stack. */
  private pushFrame(t: F): Frame {
    let f = this.frames[this.sp];
    if (f === undefined) {
      f = new Frame();
      this.frames[this.sp] = f;
    }
    this.sp++;
    if (this.sp > this.used) this.used = this.sp;
    f.t = t;
    return f;
  }

  private pushList(cur: number, dot: unknown, mark: number, iface: boolean): void {
    const f = this.pushFrame(F.List);
    f.cur = cur;
    f.dot = dot;
    f.mark = mark;
    f.iface = iface;
  }

  private walkNode(node: number, dot: unknown): void {
    this.node = node;
    const d = this.d;
    const k = d[node] & 255;
    // Statement nodes keep no flags but the shift of a pipeline shared with an earlier copy of
    // the same action (0 if not shared): errors inside the pipeline are reported at this copy.
    this.shift = d[node] >> 8;
    switch (k) {
      case N.Text:
        this.buf += this.strs[d[node + 2]];
        return;
      case N.Action: {
        const pipe = d[node + 2];
        const v = this.evalPipeline(dot, pipe);
        if (d[pipe] >> 9 === 0) this.printValue(node, v);
        return;
      }
      case N.If:
      case N.With: {
        const mark = this.names.length;
        const val = this.evalPipeline(dot, d[node + 2]);
        const truth = typeof val === "boolean" ? val : isTrue(val === null ? undefined : val);
        const list = truth ? d[node + 3] : d[node + 4];
        if (list === NONE) {
          this.popTo(mark);
          return;
        }
        if (truth && k === N.With) this.pushList(d[list + 2], val, mark, false);
        else this.pushList(d[list + 2], dot, mark, this.dotIface);
        return;
      }
      default:
        this.walkOther(node, k, dot);
    }
  }

  /**
   * The statements walkNode sees less often. Kept apart so that walkNode, which runs for every
   * action, stays small: the JIT optimises a small function sooner, and a path taken for the first
   * time here does not throw away walkNode's optimised code.
   */
  private walkOther(node: number, k: number, dot: unknown): void {
    const d = this.d;
    switch (k) {
      case N.Range:
        this.startRange(node, dot);
        return;
      case N.Template:
        this.walkTemplate(node, dot);
        return;
      case N.Break:
      case N.Continue: {
        // Unwinds to the range that catches it. An empty range running its else list (a Range
        // frame with no items) catches a break, as Go's walkRange recovers one from its else
        // list too, but not a continue, which only an iteration recovers: that goes on outward.
        const frames = this.frames;
        const isBreak = k === N.Break;
        while (this.sp > 0) {
          const f = frames[this.sp - 1];
          if (f.t === F.Range && (isBreak || !f.elseOnly)) break;
          this.sp--;
        }
        const r = frames[this.sp - 1];
        if (isBreak) r.i = r.count >= 0 ? r.count : r.items.length;
        return;
      }
      case N.List:
        this.pushList(d[node + 2], dot, -1, this.dotIface);
        return;
      case N.Comment:
        return;
      default:
        this.errorf(`unknown node: ${nodeString(this.nodes, node)}`);
    }
  }

  private startRange(r: number, dot: unknown): void {
    const d = this.d;
    const outer = this.names.length;
    const pipe = d[r + 2];
    let val = this.evalPipeline(dot, pipe);
    if (val === null) val = undefined;
    const mark = this.names.length;
    let items: unknown[] = [];
    let keys: unknown[] | null = null;
    let iface = false;
    // Range over an integer: the count, its elements made one by one (Go 1.24+ does not build a
    // list either: {{range 100000000}}{{break}}{{end}} must not allocate a hundred million ints).
    let count = -1;
    let intType: string | null = null;
    switch (kindOf(val)) {
      case K.Slice:
        if (!(val instanceof GoNil)) {
          items = val as unknown[];
          iface = elemTypeOf(items) === "interface {}";
        }
        break;
      case K.Map:
        if (!(val instanceof GoNil)) {
          const m = val as Record<string, unknown>;
          iface = elemTypeOf(m) === "interface {}";
          const props = sortedKeys(m);
          items = props.map((k) => m[k] ?? null);
          keys = keyTypeOf(m) === "string" ? props : props.map((k) => goMapKey(m, k));
        }
        break;
      case K.Chan:
        if (val instanceof GoChan) items = Array.from(val.values());
        break;
      case K.Int:
      case K.Uint: {
        if (d[pipe] >> 9 > 1)
          this.errorf(`can't use ${sprint([val])} to iterate over more than one variable`);
        const n = val instanceof GoTyped ? BigInt(val.value as bigint) : (val as bigint);
        count = n > 0n ? (n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n)) : 0;
        intType = val instanceof GoTyped ? val.type : null;
        break;
      }
      case K.Invalid:
        break;
      case K.Ptr:
        // Go looks through the pointer first (indirect): a nil one prints as <nil>, a struct as
        // its value ({…}, not &{…}).
        this.errorf(`range can't iterate over ${val instanceof GoNil ? "<nil>" : printAction(val)}`);
        break;
      default:
        this.errorf(`range can't iterate over ${sprint([val])}`);
    }
    if (items.length === 0 && count <= 0) {
      const elseList = d[r + 4];
      if (elseList === NONE) {
        this.popTo(outer);
        return;
      }
      // A Range frame with no items under the else list, for a {{break}} in it to end (see
      // walkOther); it pops itself when the else list is done.
      this.pushRange(r, NO_ITEMS, null, outer, outer, false, -1, null).elseOnly = true;
      this.pushList(d[elseList + 2], dot, outer, this.dotIface);
      return;
    }
    this.pushRange(r, items, keys, mark, outer, iface, count, intType);
  }

  private pushRange(
    node: number,
    items: unknown[],
    keys: unknown[] | null,
    mark: number,
    outer: number,
    iface: boolean,
    count: number,
    intType: string | null,
  ): Frame {
    const f = this.pushFrame(F.Range);
    f.node = node;
    f.items = items;
    f.keys = keys;
    f.i = 0;
    f.mark = mark;
    f.outer = outer;
    f.iface = iface;
    f.count = count;
    f.intType = intType;
    f.elseOnly = false;
    return f;
  }

  private stepRange(f: Frame): void {
    this.popTo(f.mark);
    if (f.i >= (f.count >= 0 ? f.count : f.items.length)) {
      this.popTo(f.outer);
      f.items = NO_ITEMS;
      f.keys = null;
      this.sp--;
      return;
    }
    const d = this.d;
    const i = f.i++;
    let elem: unknown;
    let index: unknown;
    if (f.count >= 0) {
      elem = f.intType === null ? goInt(i) : new GoTyped(f.intType, BigInt(i));
      index = elem;
    } else {
      elem = f.items[i];
      index = f.keys ? f.keys[i] : goInt(i);
    }
    const pipe = d[f.node + 2];
    const flags = d[pipe] >> 8;
    const ndecl = flags >> 1;
    const isAssign = (flags & 1) === 1;
    const decl0 = d[pipe + 3];
    if (ndecl > 0) {
      if (isAssign) {
        if (ndecl > 1) this.setVar(this.strs[d[decl0 + 2]], index);
        else this.setVar(this.strs[d[decl0 + 2]], elem, f.iface);
      } else {
        this.values[this.values.length - 1] = elem;
        this.ifaces[this.values.length - 1] = f.iface;
      }
    }
    if (ndecl > 1) {
      if (isAssign) this.setVar(this.strs[d[d[decl0 + 5] + 2]], elem, f.iface);
      else this.values[this.values.length - 2] = index;
    }
    this.pushList(d[d[f.node + 3] + 2], elem, -1, f.iface);
  }

  private walkTemplate(t: number, dot: unknown): void {
    const d = this.d;
    const name = this.strs[d[t + 2]];
    const tree = this.env.trees.get(name);
    if (!tree) this.errorf(`template ${quoteGo(name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const pipe = d[t + 3];
    let newDot = pipe !== NONE ? this.evalPipeline(dot, pipe) : undefined;
    if (newDot === null) newDot = undefined;
    const f = this.pushFrame(F.Template);
    f.names = this.names;
    f.values = this.values;
    f.ifaces = this.ifaces;
    f.tmpl = this.tmpl;
    this.depth++;
    this.tmpl = name;
    this.names = ["$"];
    this.values = [newDot];
    this.ifaces = [false];
    this.pushList(d[tree.root + 2], newDot, -1, false);
  }

  private printValue(n: number, v: unknown): void {
    this.node = n;
    if (typeof v === "string") this.buf += v;
    else if (typeof v === "bigint") this.buf += intText(v);
    // A missing value, common in the first pass (no secret data yet): printAction's text for it.
    else if (v === undefined) this.buf += "<no value>";
    else this.printOther(n, v);
  }

  /** printValue's other values (kept apart, like walkOther, so printValue stays small). */
  private printOther(n: number, v: unknown): void {
    const s = printAction(v);
    if (s === null) this.errorf(`can't print ${nodeString(this.nodes, n)} of type ${typeName(v)}`);
    this.buf += s;
  }

  // --- expressions --------------------------------------------------------------------------
  //
  // A command's arguments are passed as (first, count): the first argument node, linked to the
  // rest, and how many there are (count -1: no argument list at all, Go's nil args).

  evalPipeline(dot: unknown, pipe: number): unknown {
    this.node = pipe;
    const d = this.d;
    let value = MISSING;
    for (let cmd = d[pipe + 2]; cmd !== NONE; cmd = d[cmd + 5]) {
      value = this.evalCommand(dot, cmd, value);
      // A nil interface{} result becomes the invalid value.
      if (value === null) value = undefined;
    }
    const flags = d[pipe] >> 8;
    if (flags >> 1 > 0) {
      const isAssign = (flags & 1) === 1;
      for (let v = d[pipe + 3]; v !== NONE; v = d[v + 5]) {
        const name = this.strs[d[v + 2]];
        if (isAssign) this.setVar(name, value);
        else this.push(name, value);
      }
    }
    return value;
  }

  private notAFunction(first: number, count: number, final: unknown): void {
    if (count > 1 || final !== MISSING)
      this.errorf(`can't give argument to non-function ${nodeString(this.nodes, first)}`);
  }

  private evalCommand(dot: unknown, cmd: number, final: unknown): unknown {
    const d = this.d;
    const first = d[cmd + 2];
    const count = d[cmd + 4];
    switch (d[first] & 255) {
      case N.Field:
        return this.evalFieldNode(dot, first, first, count, final);
      case N.Chain:
        return this.evalChainNode(dot, first, first, count, final);
      case N.Identifier:
        return this.evalFunction(dot, first, cmd, first, count, final);
      case N.Pipe:
        this.notAFunction(first, count, final);
        return this.evalPipeline(dot, first);
      case N.Variable:
        return this.evalVariableNode(dot, first, first, count, final);
    }
    this.node = first;
    this.notAFunction(first, count, final);
    switch (d[first] & 255) {
      case N.Bool:
        return d[first] >> 8 === 1;
      case N.Dot:
        return dot;
      case N.Nil:
        this.errorf("nil is not a command");
        break;
      case N.Number:
        return this.idealConstant(first);
      case N.String:
        return this.strs[d[first + 3]];
    }
    this.errorf(`can't evaluate command ${quoteGo(nodeString(this.nodes, first))}`);
  }

  private idealConstant(c: number): unknown {
    this.node = c;
    // A small decimal kept in the node (see Nodes.num) is an int: what idealConstantOnce makes of it.
    const a = this.d[c + 2];
    if (a < 0) return goInt(~a);
    const info = this.nodes.nums[a];
    // A literal's value never changes: work it out (two regex tests) once per literal.
    if (info.ideal !== undefined) return info.ideal;
    const v = this.idealConstantOnce(info);
    if (typeof v === "bigint" || typeof v === "number") info.ideal = v;
    return v;
  }

  private idealConstantOnce(c: NumberInfo): unknown {
    if (c.isComplex) return new GoComplex(c.complex[0], c.complex[1]);
    const t = c.text;
    const hexInt = t.length > 2 && t[0] === "0" && (t[1] === "x" || t[1] === "X") && !/[pP]/.test(t);
    if (c.isFloat && !hexInt && t[0] !== "'" && /[.eEpP]/.test(t)) return c.float64;
    if (c.isInt) return c.int64;
    if (c.isUint) this.errorf(`${t} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: unknown, field: number, args: number, count: number, final: unknown): unknown {
    this.node = field;
    const d = this.d;
    return this.evalFieldChain(
      dot,
      dot,
      field,
      d[field + 2],
      d[field + 4],
      args,
      count,
      final,
      this.dotIface,
    );
  }

  private evalChainNode(dot: unknown, chain: number, args: number, count: number, final: unknown): unknown {
    this.node = chain;
    const d = this.d;
    const inner = d[chain + 2];
    if ((d[inner] & 255) === N.Nil)
      this.errorf(`indirection through explicit nil in ${nodeString(this.nodes, chain)}`);
    const pipe = this.evalArg(dot, null, inner);
    return this.evalFieldChain(dot, pipe, chain, d[chain + 3], d[chain + 4], args, count, final, false);
  }

  private evalVariableNode(dot: unknown, v: number, args: number, count: number, final: unknown): unknown {
    this.node = v;
    const d = this.d;
    const first = d[v + 2];
    const n = d[v + 4];
    const name = this.strs[first];
    const value = this.varValue(name);
    if (n === 1) {
      if (count >= 0) this.notAFunction(args, count, final);
      else if (final !== MISSING) this.notAFunction(v, 1, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, first + 1, n - 1, args, count, final, this.varIface(name));
  }

  /** Evaluates the fields strs[first, first + n) in turn, from receiver. */
  private evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: number,
    first: number,
    n: number,
    args: number,
    count: number,
    final: unknown,
    iface: boolean,
  ): unknown {
    const strs = this.strs;
    const last = first + n - 1;
    for (let i = first; i < last; i++) {
      receiver = this.evalField(dot, strs[i], node, NONE, -1, MISSING, receiver, iface);
      iface = this.fieldIface;
    }
    return this.evalField(dot, strs[last], node, args, count, final, receiver, iface);
  }

  private evalField(
    dot: unknown,
    name: string,
    node: number,
    args: number,
    count: number,
    final: unknown,
    receiver: unknown,
    iface: boolean,
  ): unknown {
    this.fieldIface = false;
    if (receiver === undefined) {
      if (this.env.missingKeyError) this.errorf(`nil data; no entry for key ${quoteGo(name)}`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    const hasArgs = count > 1 || final !== MISSING;
    if (receiver instanceof GoStruct) {
      const methods = receiver.goMethods;
      if (methods?.includes(name)) {
        const m = (receiver as unknown as Record<string, unknown>)[name];
        const f: ExecFunc =
          typeof m === "function"
            ? {
                sig: LENIENT_METHOD,
                fn: m as (...a: unknown[]) => unknown,
                builtin: false,
                special: Special.None,
                self: receiver,
              }
            : { ...funcFromGo(m as GoFunc), self: receiver };
        return this.evalCall(dot, f, node, name, args, count, final);
      }
      // Only the struct's Go fields: never a JS property (constructor, __proto__, toString).
      if (structFields(receiver).includes(name)) {
        if (receiver.goUnexported?.includes(name)) {
          this.errorf(
            `${name} is an unexported field of struct type ${iface ? "interface {}" : receiver.goType}`,
          );
        }
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        const v = (receiver as unknown as Record<string, unknown>)[name];
        return v === undefined ? null : v;
      }
      this.errorf(`can't evaluate field ${name} in type ${iface ? "interface {}" : receiver.goType}`);
    }
    if (receiver instanceof JsonNumber) {
      const m = JSON_NUMBER_METHODS.get(name);
      if (m !== undefined)
        return this.evalCall(dot, { ...m, self: receiver }, node, name, args, count, final);
    }
    // A plain object is a map: kindOf would say so after checking every other class first.
    const proto = Object.getPrototypeOf(receiver);
    const k = proto === Object.prototype || proto === null ? K.Map : kindOf(receiver);
    if (k === K.Map) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      let found: unknown;
      let elemType: string;
      if (receiver instanceof GoNil) {
        elemType = receiver.type.replace(/^map\[[^\]]*\]/, "");
      } else {
        const m = receiver as Record<string, unknown>;
        if (Object.hasOwn(m, name) && goMapKey(m, name) === name) {
          found = m[name];
          this.fieldIface = elemTypeOf(m) === "interface {}";
          return found === undefined ? null : found;
        }
        elemType = elemTypeOf(m);
      }
      if (this.env.missingKeyError) this.errorf(`map has no entry for key ${quoteGo(name)}`);
      return zeroValue(elemType);
    }
    if (k === K.Ptr && receiver instanceof GoNil) {
      // Go looks the field up in the pointed-to struct type first: only reading a field it has
      // is a nil dereference; any other name is the type error below.
      const fields = fieldsOfType(receiver.type);
      if (fields === undefined || fields.includes(name))
        this.errorf(`nil pointer evaluating ${iface ? "interface {}" : receiver.type}.${name}`);
    }
    this.errorf(`can't evaluate field ${name} in type ${iface ? "interface {}" : typeName(receiver)}`);
  }

  private evalFunction(
    dot: unknown,
    ident: number,
    cmd: number,
    args: number,
    count: number,
    final: unknown,
  ): unknown {
    this.node = ident;
    const name = this.strs[this.d[ident + 2]];
    const f = this.env.funcList[this.d[ident + 3]];
    if (!f) this.errorf(`${quoteGo(name)} is not a defined function`);
    return this.evalCall(dot, f, cmd, name, args, count, final);
  }

  /**
   * Calls f with the arguments after the first node of (args, count) — the first is the function
   * itself — plus the piped value `final`.
   */
  private evalCall(
    dot: unknown,
    f: ExecFunc,
    node: number,
    name: string,
    args: number,
    count: number,
    final: unknown,
  ): unknown {
    const d = this.d;
    const nArgs = count >= 0 ? count - 1 : 0;
    const sig = f.sig;
    const nParams = sig.params.length;
    let numIn = nArgs;
    if (final !== MISSING) numIn++;
    let numFixed = nArgs;
    if (sig.variadic) {
      numFixed = nParams - 1;
      if (numIn < numFixed) {
        this.errorf(`wrong number of args for ${name}: want at least ${nParams - 1} got ${nArgs}`);
      }
    } else if (numIn !== nParams) {
      this.errorf(`wrong number of args for ${name}: want ${nParams} got ${numIn}`);
    }
    if (!(sig.numOut === 1 || (sig.numOut === 2 && sig.returnsError))) {
      this.errorf(`can't call method/function ${quoteGo(name)} with ${sig.numOut} results`);
    }

    if (numIn > 3 || f.special !== Special.None)
      return this.evalCallOther(dot, f, node, name, args, nArgs, final, numIn, numFixed);
    // The usual call, with the arguments in locals rather than an array; the same arguments are
    // evaluated in the same order with the same parameter types as in evalCallOther.
    const params = sig.params;
    let arg = nArgs > 0 ? d[args + 5] : NONE;
    let a0: unknown;
    let a1: unknown;
    let a2: unknown;
    let i = 0;
    for (; i < nArgs; i++, arg = d[arg + 5]) {
      const x = this.evalArg(dot, i < numFixed ? params[i] : params[nParams - 1], arg);
      if (i === 0) a0 = x;
      else if (i === 1) a1 = x;
      else a2 = x;
    }
    if (final !== MISSING) {
      const x = this.validateType(
        final,
        sig.variadic && numIn - 1 < numFixed ? params[numIn - 1] : params[nParams - 1],
      );
      if (i === 0) a0 = x;
      else if (i === 1) a1 = x;
      else a2 = x;
    }
    const fn = f.fn;
    let v: unknown;
    try {
      if (numIn === 0) v = fn.call(f.self);
      else if (numIn === 1) v = fn.call(f.self, a0);
      else if (numIn === 2) v = fn.call(f.self, a0, a1);
      else v = fn.call(f.self, a0, a1, a2);
    } catch (e) {
      this.node = node;
      this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return this.callResult(sig, v);
  }

  /**
   * evalCall for and/or/call and for calls with more than three arguments (kept apart so that
   * evalCall, run for nearly every function call, stays small for the JIT), after its checks.
   */
  private evalCallOther(
    dot: unknown,
    f: ExecFunc,
    node: number,
    name: string,
    args: number,
    nArgs: number,
    final: unknown,
    numIn: number,
    numFixed: number,
  ): unknown {
    const d = this.d;
    const sig = f.sig;
    const nParams = sig.params.length;
    let arg = nArgs > 0 ? d[args + 5] : NONE;
    if (f.special === Special.And || f.special === Special.Or) {
      const wantTrue = f.special === Special.Or;
      let v: unknown;
      for (let j = 1; j <= nArgs; j++, arg = d[arg + 5]) {
        v = this.evalArg(dot, "reflect.Value", arg);
        if (v === null) v = undefined;
        if (isTrue(v) === wantTrue) return v;
      }
      if (final !== MISSING) {
        v = this.validateType(final, "reflect.Value");
        if (v === null) v = undefined;
      }
      return v;
    }

    let v: unknown;
    const argv = new Array<unknown>(numIn);
    let i = 0;
    for (; i < numFixed && i < nArgs; i++, arg = d[arg + 5]) argv[i] = this.evalArg(dot, sig.params[i], arg);
    if (sig.variadic) {
      const t = sig.params[nParams - 1];
      for (; i < nArgs; i++, arg = d[arg + 5]) {
        argv[i] = this.evalArg(dot, t, arg);
        if (f.special === Special.Slice && this.hasInterfaceType(arg)) argv[i] = INTERFACE_INDEX;
      }
    }
    if (final !== MISSING) {
      const t = sig.variadic && numIn - 1 < numFixed ? sig.params[numIn - 1] : sig.params[nParams - 1];
      argv[i] = this.validateType(final, t);
    }
    if (f.special === Special.Call) return this.callBuiltin(args, nArgs, argv, node);
    try {
      v = f.fn.apply(f.self, argv);
    } catch (e) {
      this.node = node;
      this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return this.callResult(sig, v);
  }

  /** A function's (first) result as the template sees it: a nil result is its type's zero value. */
  private callResult(sig: Signature, v: unknown): unknown {
    if (v === undefined || v === null) {
      if (sig.result === "reflect.Value") return v;
      return sig.result === "interface {}" || sig.result === "any" ? null : zeroValue(sig.result);
    }
    return v;
  }

  /** Go's call builtin: the callee must be a function value; template data never holds one. */
  private callBuiltin(args: number, nArgs: number, argv: unknown[], node: number): unknown {
    let fn = argv[0];
    // Go names the callee by its node, or, when it is the piped value, by reflect.Value.String:
    // a string's own text, "<T Value>" for anything else.
    const fnName =
      nArgs > 0
        ? nodeString(this.nodes, this.d[args + 5])
        : kindOf(fn) === K.String
          ? stringOf(fn)
          : `<${typeName(fn)} Value>`;
    if (fn === null) fn = undefined;
    this.node = node;
    if (fn === undefined) this.errorf("error calling call: call of nil");
    if (typeof fn !== "function")
      this.errorf(`error calling call: non-function ${fnName} of type ${typeName(fn)}`);
    try {
      const v = (fn as (...a: unknown[]) => unknown)(
        ...argv.slice(1).map((a) => (a === undefined ? null : a)),
      );
      return v === undefined ? null : v;
    } catch (e) {
      this.errorf(`error calling call: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Go's validateType: the value must be valid and assignable to `typ` (null typ: anything). */
  private validateType(value: unknown, typ: string | null): unknown {
    if (value === undefined) {
      if (typ === null || typ === "reflect.Value") return undefined;
      if (canBeNil(typ)) return null;
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === null || typ === "reflect.Value") return value;
    if (assignable(value, typ)) {
      // Typed nils reach JS functions with concrete nilable parameters as null.
      if (value instanceof GoNil && kindOfType(typ) !== K.Interface) return null;
      return value;
    }
    if (value instanceof GoStruct && value.goType === `*${typ}`) return value;
    if (value instanceof GoStruct && typ === `*${value.goType}`) return value;
    this.errorf(`wrong type for value; expected ${typ}; got ${typeName(value)}`);
  }

  private evalArg(dot: unknown, typ: string | null, n: number): unknown {
    this.node = n;
    const d = this.d;
    const k = d[n] & 255;
    switch (k) {
      case N.Dot:
        return this.validateType(dot, typ);
      case N.Nil:
        if (typ === null || canBeNil(typ)) return typ === "reflect.Value" ? undefined : null;
        this.errorf(`cannot assign nil to ${typ}`);
        break;
      case N.Field:
        return this.validateType(this.evalFieldNode(dot, n, n, 1, MISSING), typ);
      case N.Variable:
        return this.validateType(this.evalVariableNode(dot, n, NONE, -1, MISSING), typ);
      case N.Pipe:
        return this.validateType(this.evalPipeline(dot, n), typ);
      case N.Identifier:
        return this.validateType(this.evalFunction(dot, n, n, NONE, -1, MISSING), typ);
      case N.Chain:
        return this.validateType(this.evalChainNode(dot, n, NONE, -1, MISSING), typ);
    }
    if (typ === null) return this.evalEmptyInterface(dot, n);
    // Fast paths for the parameter types nearly every call has (same results as the switch).
    if (typ === "reflect.Value" || typ === "interface {}") return this.evalEmptyInterface(dot, n);
    if (typ === "string" && k === N.String) return this.strs[d[n + 3]];
    return this.evalConstantArg(dot, typ, n, k);
  }

  /** evalArg for a constant (Bool, Number or String node) and a concrete parameter type. */
  private evalConstantArg(dot: unknown, typ: string, n: number, k: number): unknown {
    const d = this.d;
    switch (kindOfType(typ)) {
      case K.Bool:
        if (k === N.Bool) return typ === "bool" ? d[n] >> 8 === 1 : new GoTyped(typ, d[n] >> 8 === 1);
        this.errorf(`expected bool; found ${nodeString(this.nodes, n)}`);
        break;
      case K.Complex: {
        const c = k === N.Number ? this.nodes.num(n) : null;
        if (c?.isComplex) return new GoComplex(c.complex[0], c.complex[1]);
        this.errorf(`expected complex; found ${nodeString(this.nodes, n)}`);
        break;
      }
      case K.Float: {
        const c = k === N.Number ? this.nodes.num(n) : null;
        if (c?.isFloat) return typ === "float64" ? c.float64 : new GoTyped(typ, c.float64);
        this.errorf(`expected float; found ${nodeString(this.nodes, n)}`);
        break;
      }
      case K.Int: {
        const c = k === N.Number ? this.nodes.num(n) : null;
        if (c?.isInt) return typ === "int" ? c.int64 : new GoTyped(typ, c.int64);
        this.errorf(`expected integer; found ${nodeString(this.nodes, n)}`);
        break;
      }
      case K.Uint: {
        const c = k === N.Number ? this.nodes.num(n) : null;
        if (c?.isUint) return new GoTyped(typ, c.uint64);
        this.errorf(`expected unsigned integer; found ${nodeString(this.nodes, n)}`);
        break;
      }
      case K.String:
        if (k === N.String) {
          const text = this.strs[d[n + 3]];
          return typ === "string"
            ? text
            : typ === "json.Number"
              ? new JsonNumber(text)
              : new GoTyped(typ, text);
        }
        this.errorf(`expected string; found ${nodeString(this.nodes, n)}`);
        break;
      case K.Interface:
        if (typ === "reflect.Value" || typ === "interface {}" || typ === "any")
          return this.evalEmptyInterface(dot, n);
        break;
    }
    this.errorf(`can't handle ${nodeString(this.nodes, n)} for arg of type ${typ}`);
  }

  /**
   * Whether argument node n, just evaluated, has the static type interface {}: a field read from
   * a map of interface {} values or a variable holding a range element of one. (A parenthesised
   * pipeline or a piped value does not: Go's evalPipeline takes values out of interfaces.)
   */
  private hasInterfaceType(n: number): boolean {
    const d = this.d;
    switch (d[n] & 255) {
      case N.Field:
      case N.Chain:
        return this.fieldIface;
      case N.Variable:
        return d[n + 4] === 1 ? this.varIface(this.strs[d[n + 2]]) : this.fieldIface;
    }
    return false;
  }

  private evalEmptyInterface(dot: unknown, n: number): unknown {
    this.node = n;
    const d = this.d;
    switch (d[n] & 255) {
      case N.Bool:
        return d[n] >> 8 === 1;
      case N.Dot:
        return dot;
      case N.Number:
        return this.idealConstant(n);
      case N.String:
        return this.strs[d[n + 3]];
    }
    this.errorf(`can't handle assignment of ${nodeString(this.nodes, n)} to empty interface argument`);
  }
}

/** Go assignability of a (non-invalid) value to a parameter type, without conversions. */
function assignable(v: unknown, typ: string): boolean {
  switch (typ) {
    case "interface {}":
    case "any":
      return true;
    case "string":
      return typeof v === "string";
    case "int":
      return typeof v === "bigint";
    case "float64":
      return typeof v === "number";
    case "bool":
      return typeof v === "boolean";
    case "json.Number":
      return v instanceof JsonNumber;
  }
  if (v === null) return kindOfType(typ) === K.Interface;
  return typeName(v) === typ;
}
