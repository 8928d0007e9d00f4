/**
 * Consul Template's harness around text/template: one template set per compiled text, the
 * function map built once per compile from a FuncContext whose deps/host are swapped in before
 * each pass, function_denylist stubs, missingkey=zero (or error), execution with nil data, and
 * redaction of every error message.
 */
import { redactor } from "../log/redact.ts";
import type {
  CompiledTemplate,
  CompileOptions,
  Dependencies,
  DependencyRequest,
  ExecuteResult,
  FuncContext,
  TemplateHost,
} from "./api.ts";
import { NO_HOST, TemplateError } from "./api.ts";
import { BUILTINS } from "./builtins.ts";
import { createFuncs } from "./funcs/index.ts";
import { builtinFunc, type ExecEnv, ExecError, type ExecFunc, funcFromGo, State } from "./exec.ts";
import { LARGE_TEMPLATE, ParseError, parseTemplates, type TreeSet } from "./parse.ts";
import { quoteGo } from "./quote.ts";
import { train } from "./train.ts";
import type { FuncMap, GoFunc } from "./value.ts";

/** Consul Template's replacement for a denied function: type-checks string args, then fails. */
const DISABLED: GoFunc = {
  signature: "func(...string) (string, error)",
  fn: () => {
    throw new Error("function is disabled");
  },
};

/** ryanuber/go-glob: only `*` is special. */
export function globMatch(pattern: string, name: string): boolean {
  if (pattern === "*") return true;
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === name;
  if (!name.startsWith(parts[0])) return false;
  let pos = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const at = name.indexOf(parts[i], pos);
    if (at < 0) return false;
    pos = at + parts[i].length;
  }
  const last = parts[parts.length - 1];
  return name.length - pos >= last.length && name.endsWith(last);
}

const NO_DEPS: Dependencies = {
  secret: () => undefined,
  secrets: () => undefined,
  pkiCert: () => undefined,
};

/** Nested executeTemplate calls recurse through JS; stop well before the JS stack does. */
const MAX_NESTED_EXECUTE = 200;

function redactMessage(msg: string): string {
  return redactor.redact(msg);
}

/**
 * Consul Template's function library is the same for every template, so with the default library
 * one function map is built once and shared: its FuncContext forwards to the template that is
 * executing right now (execution is synchronous, so exactly one is active). Building it per
 * template cost ~40 KB each — 40 MB for an agent with 1,000 templates.
 */
let active: FuncContext | undefined;
function current(): FuncContext {
  if (!active) throw new Error("template function called outside of an execution");
  return active;
}
const sharedCtx: FuncContext = {
  get deps() {
    return current().deps;
  },
  get host() {
    return current().host;
  },
  get sandboxPath() {
    return current().sandboxPath;
  },
  record: (req, available) => current().record(req, available),
  // The library captures this map when it is built, so it must be a stable object that forwards.
  perRender: {
    get: (k: string) => current().perRender.get(k),
    set(k: string, v: unknown) {
      current().perRender.set(k, v);
      return this;
    },
    has: (k: string) => current().perRender.has(k),
    delete: (k: string) => current().perRender.delete(k),
    clear: () => current().perRender.clear(),
  } as unknown as Map<string, unknown>,
  executeTemplate: (name, data) => current().executeTemplate(name, data),
} as FuncContext;
let sharedDefault: Map<string, ExecFunc> | undefined;

function buildFuncMap(user: FuncMap): Map<string, ExecFunc> {
  const funcMap = new Map<string, ExecFunc>();
  for (const [n, b] of Object.entries(BUILTINS)) funcMap.set(n, builtinFunc(b, n));
  for (const [n, g] of Object.entries(user)) funcMap.set(n, funcFromGo(g));
  return funcMap;
}

export class CompiledGoTemplate implements CompiledTemplate {
  readonly name: string;
  private readonly env: ExecEnv;
  private readonly ctx: FuncContext;
  private readonly used = new Map<string, DependencyRequest>();
  private readonly missing = new Map<string, DependencyRequest>();
  private nested = 0;

  constructor(text: string, opts: CompileOptions, funcs: (ctx: FuncContext) => FuncMap) {
    if (!trained) trainOnce(text.length);
    this.name = opts.name;
    this.ctx = {
      deps: NO_DEPS,
      host: NO_HOST,
      sandboxPath: opts.sandboxPath ?? "",
      record: (req, available) => {
        this.used.set(req.key, req);
        if (!available) this.missing.set(req.key, req);
      },
      perRender: new Map(),
      executeTemplate: (name, data) => this.executeNamed(name, data),
    };
    const deny = opts.functionDenylist ?? [];
    let funcMap: Map<string, ExecFunc>;
    if (funcs === createFuncs) {
      sharedDefault ??= buildFuncMap(createFuncs(sharedCtx));
      funcMap = sharedDefault;
    } else {
      funcMap = buildFuncMap(funcs(this.ctx));
    }
    if (deny.length > 0) {
      funcMap = new Map(funcMap);
      const disabled = funcFromGo(DISABLED);
      for (const n of funcMap.keys()) {
        if (!(n in BUILTINS) && deny.some((p) => globMatch(p, n))) funcMap.set(n, disabled);
      }
    }
    // Identifier nodes name functions by index into funcList, looked up once at parse time.
    const funcList: ExecFunc[] = [];
    const funcIds = new Map<string, number>();
    const funcIndex = (n: string): number => {
      let i = funcIds.get(n);
      if (i === undefined) {
        const f = funcMap.get(n);
        if (f === undefined) return -1;
        i = funcList.push(f) - 1;
        funcIds.set(n, i);
      }
      return i;
    };
    let parsed: TreeSet;
    try {
      parsed = parseTemplates(opts.name, text, opts.leftDelim ?? "", opts.rightDelim ?? "", funcIndex);
    } catch (e) {
      if (e instanceof ParseError) throw new TemplateError(redactMessage(e.message), "parse");
      if (e instanceof RangeError) {
        throw new TemplateError(`template: ${opts.name}: max expression depth exceeded`, "parse");
      }
      // A parser bug must still surface as a template error, never as a raw JS exception.
      throw new TemplateError(redactMessage(`template: ${opts.name}: internal error: ${String(e)}`), "parse");
    }
    this.env = {
      trees: parsed.trees,
      nodes: parsed.nodes,
      funcs: funcMap,
      funcList,
      missingKeyError: opts.errorOnMissingKey === true,
    };
  }

  execute(deps: Dependencies, host: TemplateHost): ExecuteResult {
    this.ctx.deps = deps;
    this.ctx.host = host;
    // Cleared, not replaced: most renders record nothing, and a Map per render is measurable.
    if (this.ctx.perRender.size > 0) this.ctx.perRender.clear();
    if (this.used.size > 0) this.used.clear();
    if (this.missing.size > 0) this.missing.clear();
    this.nested = 0;
    const previous = active;
    active = this.ctx;
    let output: string;
    try {
      output = this.runTree(this.name, undefined);
    } finally {
      active = previous;
    }
    return {
      output,
      complete: this.missing.size === 0,
      used: this.used.size === 0 ? [] : Array.from(this.used.values()),
      missing: this.missing.size === 0 ? [] : Array.from(this.missing.values()),
    };
  }

  /** Runs a named tree with dot = data; throws TemplateError. */
  private runTree(name: string, data: unknown): string {
    const tree = this.env.trees.get(name);
    const st = new State(this.env, name);
    st.names.push("$");
    st.values.push(data);
    try {
      if (!tree) return st.errorf(`${quoteGo(name)} is an incomplete or empty template`);
      st.run(tree.root, data);
    } catch (e) {
      if (e instanceof ExecError) throw new TemplateError(redactMessage(e.message), "execute");
      if (e instanceof TemplateError) throw e;
      if (e instanceof RangeError) {
        throw new TemplateError(`template: ${name}: execution too deeply nested`, "execute");
      }
      throw new TemplateError(redactMessage(`template: ${name}: internal error: ${String(e)}`), "execute");
    } finally {
      st.release();
    }
    return st.out;
  }

  /** Consul Template's executeTemplate: a fresh execution of a defined template. */
  private executeNamed(name: string, data: unknown): string {
    if (!this.env.trees.has(name)) {
      throw new Error(
        `template: no template ${quoteGo(name)} associated with template ${quoteGo(this.name)}`,
      );
    }
    if (this.nested >= MAX_NESTED_EXECUTE) throw new Error("executeTemplate: nested too deeply");
    this.nested++;
    try {
      return this.runTree(name, data === null ? undefined : data);
    } finally {
      this.nested--;
    }
  }
}

/** Whether this process has run the JIT training (train.ts): once, before its first compile. */
let trained = false;

/**
 * Trains before the first compile, unless the first template is large: its own render shows the
 * JIT its kinds, and training would only add to its time (the compiled binary compiling and
 * rendering a 1 MB template first: ~65 ms, ~2–4 ms more with training). Training is for what
 * comes after small templates have been optimised for their own few kinds.
 */
function trainOnce(firstTemplateLength: number): void {
  trained = true;
  if (firstTemplateLength >= LARGE_TEMPLATE) return;
  try {
    train((text) => new CompiledGoTemplate(text, { name: "" }, createFuncs));
  } catch {
    // Training only informs the JIT; the engine works the same without it.
  }
}

/** Compiles Go template text with Consul Template's function library (or any FuncMap). */
export function compile(
  text: string,
  opts: CompileOptions,
  funcs: (ctx: FuncContext) => FuncMap = createFuncs,
): CompiledTemplate {
  return new CompiledGoTemplate(text, opts, funcs);
}
