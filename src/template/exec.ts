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
import type { Builtin } from "./builtins.ts";
import { printAction, sprint } from "./fmt.ts";
import { canBeNil, isTrue, K, kindOf, kindOfType, sortedKeys, typeName, zeroValue } from "./gotype.ts";
import {
  type ActionNode,
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type ListNode,
  N,
  type Node,
  type NumberNode,
  nodeString,
  type PipeNode,
  type TemplateNode,
  type Tree,
  type VariableNode,
} from "./parse.ts";
import { quoteGo, utf8Len } from "./quote.ts";
import { parseSignature, type Signature } from "./signature.ts";
import { elemTypeOf, GoChan, GoComplex, type GoFunc, GoNil, GoStruct, GoTyped } from "./value.ts";

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
}

export interface ExecEnv {
  trees: Map<string, Tree>;
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

interface ListFrame {
  t: F.List;
  nodes: Node[];
  i: number;
  dot: unknown;
  /** Variable-stack height to restore when the list ends (-1: none); saves a Pop frame per if/with. */
  mark: number;
}
interface RangeFrame {
  t: F.Range;
  node: BranchNode;
  items: unknown[];
  keys: unknown[] | null;
  i: number;
  mark: number;
  outer: number;
  /** The body's frame, reused for every iteration (it is off the stack between iterations). */
  body: ListFrame | null;
}
interface TemplateFrame {
  t: F.Template;
  names: string[];
  values: unknown[];
  tmpl: string;
}
type Frame = ListFrame | RangeFrame | TemplateFrame;

export function funcFromGo(g: GoFunc): ExecFunc {
  return {
    sig: parseSignature(g.signature),
    fn: g.fn as (...args: unknown[]) => unknown,
    builtin: false,
    special: Special.None,
  };
}

/** A builtin registered under `name` (and, or and call are run by the executor itself). */
export function builtinFunc(b: Builtin, name: string): ExecFunc {
  const special =
    name === "and" ? Special.And : name === "or" ? Special.Or : name === "call" ? Special.Call : Special.None;
  return { sig: b.sig, fn: b.fn, builtin: true, special };
}

/** One execution (Go's `state`). */
export class State {
  /**
   * The output so far. Appending builds a rope that the engine flattens once when the text is
   * read; that is cheaper than collecting pieces in an array and joining them.
   */
  private buf = "";
  node: Node | null = null;
  names: string[] = [];
  values: unknown[] = [];
  depth = 0;

  constructor(
    private readonly env: ExecEnv,
    public tmpl: string,
  ) {}

  /** The text produced so far. */
  get out(): string {
    return this.buf;
  }

  // --- errors -------------------------------------------------------------------------------

  errorf(msg: string): never {
    const n = this.node;
    if (!n) throw new ExecError(`template: ${this.tmpl}: ${msg}`);
    const text = n.src.text;
    const before = text.slice(0, n.pos);
    const nl = before.lastIndexOf("\n");
    let line = 1;
    for (let i = before.indexOf("\n"); i >= 0; i = before.indexOf("\n", i + 1)) line++;
    const col = utf8Len(before.slice(nl + 1));
    throw new ExecError(
      `template: ${n.src.name}:${line}:${col}: executing ${quoteGo(this.tmpl)} at <${nodeString(n)}>: ${msg}`,
    );
  }

  // --- variables ----------------------------------------------------------------------------

  private push(name: string, v: unknown): void {
    this.names.push(name);
    this.values.push(v);
  }

  private popTo(mark: number): void {
    this.names.length = mark;
    this.values.length = mark;
  }

  private setVar(name: string, v: unknown): void {
    for (let i = this.names.length - 1; i >= 0; i--) {
      if (this.names[i] === name) {
        this.values[i] = v;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private varValue(name: string): unknown {
    for (let i = this.names.length - 1; i >= 0; i--) if (this.names[i] === name) return this.values[i];
    this.errorf(`undefined variable: ${name}`);
  }

  // --- statements ---------------------------------------------------------------------------

  /** Runs template `root` with dot; `$` must already be set. */
  run(root: ListNode, dot: unknown): void {
    const stack: Frame[] = [{ t: F.List, nodes: root.nodes, i: 0, dot, mark: -1 }];
    while (stack.length > 0) {
      const f = stack[stack.length - 1];
      switch (f.t) {
        case F.List: {
          if (f.i >= f.nodes.length) {
            if (f.mark >= 0) this.popTo(f.mark);
            stack.pop();
            break;
          }
          const node = f.nodes[f.i++];
          this.walkNode(node, f.dot, stack);
          break;
        }
        case F.Range:
          this.stepRange(f, stack);
          break;
        case F.Template:
          this.names = f.names;
          this.values = f.values;
          this.tmpl = f.tmpl;
          this.depth--;
          stack.pop();
          break;
      }
    }
  }

  private walkNode(node: Node, dot: unknown, stack: Frame[]): void {
    this.node = node;
    switch (node.k) {
      case N.Text:
        this.buf += node.text;
        return;
      case N.Action: {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, v);
        return;
      }
      case N.If:
      case N.With: {
        const mark = this.names.length;
        const val = this.evalPipeline(dot, node.pipe);
        const truth = isTrue(val === null ? undefined : val);
        const list = truth ? node.list : node.elseList;
        if (!list) {
          this.popTo(mark);
          return;
        }
        stack.push({ t: F.List, nodes: list.nodes, i: 0, dot: truth && node.k === N.With ? val : dot, mark });
        return;
      }
      case N.Range:
        this.startRange(node as BranchNode, dot, stack);
        return;
      case N.Template:
        this.walkTemplate(node, dot, stack);
        return;
      case N.Break:
      case N.Continue: {
        while (stack.length > 0 && stack[stack.length - 1].t !== F.Range) stack.pop();
        const r = stack[stack.length - 1] as RangeFrame;
        if (node.k === N.Break) r.i = r.items.length;
        return;
      }
      case N.List:
        stack.push({ t: F.List, nodes: node.nodes, i: 0, dot, mark: -1 });
        return;
      case N.Comment:
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private startRange(r: BranchNode, dot: unknown, stack: Frame[]): void {
    const outer = this.names.length;
    let val = this.evalPipeline(dot, r.pipe);
    if (val === null) val = undefined;
    const mark = this.names.length;
    let items: unknown[] = [];
    let keys: unknown[] | null = null;
    switch (kindOf(val)) {
      case K.Slice:
        if (!(val instanceof GoNil)) items = val as unknown[];
        break;
      case K.Map:
        if (!(val instanceof GoNil)) {
          const m = val as Record<string, unknown>;
          keys = sortedKeys(m);
          items = keys.map((k) => m[k as string] ?? null);
        }
        break;
      case K.Chan:
        if (val instanceof GoChan) items = Array.from(val.values());
        break;
      case K.Int:
      case K.Uint: {
        if (r.pipe.decl.length > 1)
          this.errorf(`can't use ${sprint([val])} to iterate over more than one variable`);
        const n = val instanceof GoTyped ? BigInt(val.value as bigint) : (val as bigint);
        const count = n > 0n ? Number(n) : 0;
        items = new Array(count);
        for (let i = 0; i < count; i++)
          items[i] = val instanceof GoTyped ? new GoTyped(val.type, BigInt(i)) : BigInt(i);
        keys = items;
        break;
      }
      case K.Invalid:
        break;
      case K.Ptr:
        if (val instanceof GoNil) break;
        this.errorf(`range can't iterate over ${sprint([val])}`);
        break;
      default:
        this.errorf(`range can't iterate over ${sprint([val])}`);
    }
    if (items.length === 0) {
      if (r.elseList) {
        stack.push({ t: F.List, nodes: r.elseList.nodes, i: 0, dot, mark: outer });
      } else this.popTo(outer);
      return;
    }
    stack.push({ t: F.Range, node: r, items, keys, i: 0, mark, outer, body: null });
  }

  private stepRange(f: RangeFrame, stack: Frame[]): void {
    this.popTo(f.mark);
    if (f.i >= f.items.length) {
      this.popTo(f.outer);
      stack.pop();
      return;
    }
    const i = f.i++;
    const elem = f.items[i];
    const index = f.keys ? f.keys[i] : BigInt(i);
    const decl = f.node.pipe.decl;
    if (decl.length > 0) {
      if (f.node.pipe.isAssign) {
        if (decl.length > 1) this.setVar(decl[0].ident[0], index);
        else this.setVar(decl[0].ident[0], elem);
      } else this.values[this.values.length - 1] = elem;
    }
    if (decl.length > 1) {
      if (f.node.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
      else this.values[this.values.length - 2] = index;
    }
    let body = f.body;
    if (body === null) {
      body = { t: F.List, nodes: f.node.list.nodes, i: 0, dot: elem, mark: -1 };
      f.body = body;
    } else {
      body.i = 0;
      body.dot = elem;
    }
    stack.push(body);
  }

  private walkTemplate(t: TemplateNode, dot: unknown, stack: Frame[]): void {
    const tree = this.env.trees.get(t.name);
    if (!tree) this.errorf(`template ${quoteGo(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    let newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : undefined;
    if (newDot === null) newDot = undefined;
    stack.push({ t: F.Template, names: this.names, values: this.values, tmpl: this.tmpl });
    this.depth++;
    this.tmpl = t.name;
    this.names = ["$"];
    this.values = [newDot];
    stack.push({ t: F.List, nodes: tree.root.nodes, i: 0, dot: newDot, mark: -1 });
  }

  private printValue(n: ActionNode, v: unknown): void {
    this.node = n;
    const s = printAction(v);
    if (s === null) this.errorf(`can't print ${nodeString(n)} of type ${typeName(v)}`);
    this.buf += s;
  }

  // --- expressions --------------------------------------------------------------------------

  evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.node = pipe;
    let value = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i], value);
      // A nil interface{} result becomes the invalid value.
      if (value === null) value = undefined;
    }
    const decl = pipe.decl;
    for (let i = 0; i < decl.length; i++) {
      if (pipe.isAssign) this.setVar(decl[i].ident[0], value);
      else this.push(decl[i].ident[0], value);
    }
    return value;
  }

  private notAFunction(args: Node[], final: unknown): void {
    if (args.length > 1 || final !== MISSING)
      this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: unknown): unknown {
    const first = cmd.args[0];
    switch (first.k) {
      case N.Field:
        return this.evalFieldNode(dot, first, cmd.args, final);
      case N.Chain:
        return this.evalChainNode(dot, first, cmd.args, final);
      case N.Identifier:
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case N.Pipe:
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case N.Variable:
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.k) {
      case N.Bool:
        return first.val;
      case N.Dot:
        return dot;
      case N.Nil:
        this.errorf("nil is not a command");
        break;
      case N.Number:
        return this.idealConstant(first);
      case N.String:
        return first.text;
    }
    this.errorf(`can't evaluate command ${quoteGo(nodeString(first))}`);
  }

  private idealConstant(c: NumberNode): unknown {
    this.node = c;
    // A literal's value never changes: work it out (two regex tests) once per node.
    if (c.ideal !== undefined) return c.ideal;
    const v = this.idealConstantOnce(c);
    if (typeof v === "bigint" || typeof v === "number") c.ideal = v;
    return v;
  }

  private idealConstantOnce(c: NumberNode): unknown {
    if (c.isComplex) return new GoComplex(c.complex[0], c.complex[1]);
    const t = c.text;
    const hexInt = t.length > 2 && t[0] === "0" && (t[1] === "x" || t[1] === "X") && !/[pP]/.test(t);
    if (c.isFloat && !hexInt && t[0] !== "'" && /[.eEpP]/.test(t)) return c.float64;
    if (c.isInt) return c.int64;
    if (c.isUint) this.errorf(`${t} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: unknown, field: FieldNode, args: Node[], final: unknown): unknown {
    this.node = field;
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: Node[] | null, final: unknown): unknown {
    this.node = chain;
    if (chain.node.k === N.Nil) this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: unknown, v: VariableNode, args: Node[] | null, final: unknown): unknown {
    this.node = v;
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) {
      if (args) this.notAFunction(args, final);
      else if (final !== MISSING) this.notAFunction([v], final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: Node,
    ident: string[],
    args: Node[] | null,
    final: unknown,
  ): unknown {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i], node, null, MISSING, receiver);
    return this.evalField(dot, ident[n - 1], node, args, final, receiver);
  }

  private evalField(
    dot: unknown,
    name: string,
    node: Node,
    args: Node[] | null,
    final: unknown,
    receiver: unknown,
  ): unknown {
    if (receiver === undefined) {
      if (this.env.missingKeyError) this.errorf(`nil data; no entry for key ${quoteGo(name)}`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
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
        return this.evalCall(dot, f, node, name, args, final);
      }
      if (name !== "goType" && name !== "goMethods" && name !== "goFields" && name in receiver) {
        const v = (receiver as unknown as Record<string, unknown>)[name];
        if (typeof v !== "function") {
          if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
          return v === undefined ? null : v;
        }
      }
      this.errorf(`can't evaluate field ${name} in type ${receiver.goType}`);
    }
    const k = kindOf(receiver);
    if (k === K.Map) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      let found: unknown;
      let elemType: string;
      if (receiver instanceof GoNil) {
        elemType = receiver.type.replace(/^map\[[^\]]*\]/, "");
      } else {
        const m = receiver as Record<string, unknown>;
        if (Object.hasOwn(m, name)) {
          found = m[name];
          return found === undefined ? null : found;
        }
        elemType = elemTypeOf(m);
      }
      if (this.env.missingKeyError) this.errorf(`map has no entry for key ${quoteGo(name)}`);
      return zeroValue(elemType);
    }
    if (k === K.Ptr && receiver instanceof GoNil)
      this.errorf(`nil pointer evaluating ${receiver.type}.${name}`);
    this.errorf(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  private evalFunction(
    dot: unknown,
    node: IdentifierNode,
    cmd: Node,
    args: Node[] | null,
    final: unknown,
  ): unknown {
    this.node = node;
    const f = this.env.funcs.get(node.ident);
    if (!f) this.errorf(`${quoteGo(node.ident)} is not a defined function`);
    return this.evalCall(dot, f, cmd, node.ident, args, final);
  }

  private evalCall(
    dot: unknown,
    f: ExecFunc,
    node: Node,
    name: string,
    argNodes: Node[] | null,
    final: unknown,
  ): unknown {
    // Arguments are argNodes[1..]; the zeroth is the function itself. Indexed, not sliced, because
    // this runs for every call of every render.
    const nArgs = argNodes ? argNodes.length - 1 : 0;
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

    if (f.special === Special.And || f.special === Special.Or) {
      const wantTrue = f.special === Special.Or;
      let v: unknown;
      for (let j = 1; j <= nArgs; j++) {
        v = this.evalArg(dot, "reflect.Value", (argNodes as Node[])[j]);
        if (v === null) v = undefined;
        if (isTrue(v) === wantTrue) return v;
      }
      if (final !== MISSING) {
        v = this.validateType(final, "reflect.Value");
        if (v === null) v = undefined;
      }
      return v;
    }

    const argv = new Array<unknown>(numIn);
    let i = 0;
    for (; i < numFixed && i < nArgs; i++)
      argv[i] = this.evalArg(dot, sig.params[i], (argNodes as Node[])[i + 1]);
    if (sig.variadic) {
      const t = sig.params[nParams - 1];
      for (; i < nArgs; i++) argv[i] = this.evalArg(dot, t, (argNodes as Node[])[i + 1]);
    }
    if (final !== MISSING) {
      const t = sig.variadic && numIn - 1 < numFixed ? sig.params[numIn - 1] : sig.params[nParams - 1];
      argv[i] = this.validateType(final, t);
    }
    if (f.special === Special.Call) return this.callBuiltin(argNodes, argv, node);
    let v: unknown;
    try {
      v = f.fn.apply(f.self, argv);
    } catch (e) {
      this.node = node;
      this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (v === undefined || v === null) {
      if (sig.result === "reflect.Value") return v;
      return sig.result === "interface {}" || sig.result === "any" ? null : zeroValue(sig.result);
    }
    return v;
  }

  /** Go's call builtin: the callee must be a function value; template data never holds one. */
  private callBuiltin(argNodes: Node[] | null, argv: unknown[], node: Node): unknown {
    const fnName = argNodes && argNodes.length > 1 ? nodeString(argNodes[1]) : "";
    let fn = argv[0];
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

  private evalArg(dot: unknown, typ: string | null, n: Node): unknown {
    this.node = n;
    switch (n.k) {
      case N.Dot:
        return this.validateType(dot, typ);
      case N.Nil:
        if (typ === null || canBeNil(typ)) return typ === "reflect.Value" ? undefined : null;
        this.errorf(`cannot assign nil to ${typ}`);
        break;
      case N.Field:
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case N.Variable:
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case N.Pipe:
        return this.validateType(this.evalPipeline(dot, n), typ);
      case N.Identifier:
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case N.Chain:
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    if (typ === null) return this.evalEmptyInterface(dot, n);
    // Fast paths for the parameter types nearly every call has (same results as the switch).
    if (typ === "reflect.Value" || typ === "interface {}") return this.evalEmptyInterface(dot, n);
    if (typ === "string" && n.k === N.String) return n.text;
    switch (kindOfType(typ)) {
      case K.Bool:
        if (n.k === N.Bool) return typ === "bool" ? n.val : new GoTyped(typ, n.val);
        this.errorf(`expected bool; found ${nodeString(n)}`);
        break;
      case K.Complex:
        if (n.k === N.Number && n.isComplex) return new GoComplex(n.complex[0], n.complex[1]);
        this.errorf(`expected complex; found ${nodeString(n)}`);
        break;
      case K.Float:
        if (n.k === N.Number && n.isFloat) return typ === "float64" ? n.float64 : new GoTyped(typ, n.float64);
        this.errorf(`expected float; found ${nodeString(n)}`);
        break;
      case K.Int:
        if (n.k === N.Number && n.isInt) return typ === "int" ? n.int64 : new GoTyped(typ, n.int64);
        this.errorf(`expected integer; found ${nodeString(n)}`);
        break;
      case K.Uint:
        if (n.k === N.Number && n.isUint) return new GoTyped(typ, n.uint64);
        this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
        break;
      case K.String:
        if (n.k === N.String)
          return typ === "string"
            ? n.text
            : typ === "json.Number"
              ? new JsonNumber(n.text)
              : new GoTyped(typ, n.text);
        this.errorf(`expected string; found ${nodeString(n)}`);
        break;
      case K.Interface:
        if (typ === "reflect.Value" || typ === "interface {}" || typ === "any")
          return this.evalEmptyInterface(dot, n);
        break;
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ}`);
  }

  private evalEmptyInterface(dot: unknown, n: Node): unknown {
    this.node = n;
    switch (n.k) {
      case N.Bool:
        return n.val;
      case N.Dot:
        return dot;
      case N.Number:
        return this.idealConstant(n);
      case N.String:
        return n.text;
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
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
