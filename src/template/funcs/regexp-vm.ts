/**
 * Go's own regexp matcher, for the patterns where a JS RegExp cannot give Go's results, or could
 * take more than linear time (regexp-route.ts).
 *
 * Both engines pick the leftmost match and, there, the first way to match in priority order
 * (leftmost-first), so a translated pattern agrees with Go almost everywhere. They part when a
 * group is repeated:
 *  - JS clears the captures inside a repetition at the start of every iteration; Go keeps what an
 *    earlier iteration captured (`(?:(a)|b)+` on "ab": Go's $1 is "a", JS's is unset);
 *  - JS rejects an optional iteration that matches the empty string, while Go's program takes
 *    the empty path in priority order and only cuts a path off when it comes back to the same
 *    instruction at the same position (`(a??)+` on "a": Go matches "" with $1 = "").
 * So regexp.ts runs those patterns here instead: the parse tree it builds is simplified the way
 * Go's regexp/syntax simplifies (counted repetitions spelt out as copies and nested `?`),
 * compiled to an instruction program of the same shape as Go's, and run by a Pike VM (threads in
 * priority order, one capture array per thread, an instruction queued at most once per
 * position). The program's shape is part of the semantics: which paths reach an instruction
 * first decides which captures survive, and Go compiles `x*` as `(x+)?` when x can match empty
 * (golang.org/issue/46123), so this does the same.
 *
 * Positions are UTF-16 indexes into the JS string, stepping a code point at a time as a JS
 * RegExp with the u flag does, so the two engines agree on where matches start and end (regexp.ts
 * hands both a well-formed string: an invalid byte is U+FFFD). Time is O(input × program) per
 * search, memory O(program × groups). regexp-dfa.ts runs the same program faster to find where
 * matches are; this Pike VM then finds a match's groups, from where it starts.
 */

/** Empty-width conditions (Go's syntax.EmptyOp), combined as bits. */
export const EMPTY_BEGIN_LINE = 1;
export const EMPTY_END_LINE = 2;
export const EMPTY_BEGIN_TEXT = 4;
export const EMPTY_END_TEXT = 8;
export const EMPTY_WORD_BOUNDARY = 16;
export const EMPTY_NO_WORD_BOUNDARY = 32;

/** A parsed pattern, as regexp.ts's translator builds it. */
export type ReNode =
  /**
   * One code point that `test` accepts (a literal, a class, `.`); `literal` when it is the only
   * one. `set` is the class as Go has it (null when it takes Unicode tables to know), `js` the JS
   * RegExp source of the item and `fold` whether (?i) applies to it.
   */
  | RuneNode
  /** Matches the empty string (an empty group or alternative). */
  | { op: "empty" }
  /** An empty-width assertion: `^ $ \A \z \b \B`. */
  | { op: "assert"; cond: number }
  | { op: "capture"; index: number; sub: ReNode }
  | { op: "concat"; subs: ReNode[] }
  | { op: "alternate"; subs: ReNode[] }
  /** `*` is {0,-1}, `+` {1,-1}, `?` {0,1}; greedy already reflects (?U). */
  | { op: "repeat"; min: number; max: number; greedy: boolean; sub: ReNode };

export interface RuneNode {
  op: "rune";
  test: (cp: number) => boolean;
  literal: number;
  set: readonly number[] | null;
  js: string;
  fold: boolean;
}

/** The tree after Go's simplification: only *, + and ? remain as repetitions. */
type SNode =
  | RuneNode
  | { op: "empty" }
  | { op: "assert"; cond: number }
  | { op: "capture"; index: number; sub: SNode }
  | { op: "concat"; subs: SNode[] }
  | { op: "alternate"; subs: SNode[] }
  | { op: "star" | "plus" | "quest"; greedy: boolean; sub: SNode };

const EMPTY: SNode = { op: "empty" };

/**
 * x*, x+, x? over a simplified x, as Go builds them: repeating the empty string is the empty
 * string, and an operator applied to the same operator with the same greediness is idempotent
 * ((?:a*)* is a*). Nothing else is folded: (a*)* keeps both loops.
 */
function unary(op: "star" | "plus" | "quest", greedy: boolean, sub: SNode): SNode {
  if (sub.op === "empty") return sub;
  if (sub.op === op && sub.greedy === greedy) return sub;
  return { op, greedy, sub };
}

/** Go's Simplify: x{n,m} becomes n copies of x followed by nested optional copies. */
function simplify(n: ReNode): SNode {
  switch (n.op) {
    case "rune":
    case "empty":
    case "assert":
      return n;
    case "capture":
      return { op: "capture", index: n.index, sub: simplify(n.sub) };
    case "concat":
      return { op: "concat", subs: n.subs.map(simplify) };
    case "alternate":
      return { op: "alternate", subs: n.subs.map(simplify) };
    case "repeat": {
      const { min, max, greedy } = n;
      // x{0} matches the empty string without looking at x (its groups stay unset).
      if (max === 0) return EMPTY;
      const sub = simplify(n.sub);
      if (max === -1) {
        if (min === 0) return unary("star", greedy, sub);
        if (min === 1) return unary("plus", greedy, sub);
        // x{4,} is xxx x+
        const subs: SNode[] = [];
        for (let i = 0; i < min - 1; i++) subs.push(sub);
        subs.push(unary("plus", greedy, sub));
        return { op: "concat", subs };
      }
      if (min === 1 && max === 1) return sub;
      // x{2,5} is xx(x(x(x)?)?)?: nesting the optional copies keeps the machine's work small.
      const subs: SNode[] = [];
      for (let i = 0; i < min; i++) subs.push(sub);
      if (max > min) {
        let suffix = unary("quest", greedy, sub);
        for (let i = min + 1; i < max; i++) {
          suffix = unary("quest", greedy, { op: "concat", subs: [sub, suffix] });
        }
        subs.push(suffix);
      }
      return subs.length === 1 ? subs[0]! : { op: "concat", subs };
    }
  }
}

// Instruction kinds. Instruction 0 is always FAIL, so an unpatched exit (0) means failure.
const FAIL = 0;
export const MATCH = 1;
export const RUNE = 2;
export const ALT = 3;
export const EMPTY_WIDTH = 4;
export const NOP = 5;
export const CAPTURE = 6;

/** A compiled pattern: parallel arrays indexed by instruction. */
export interface VmProgram {
  op: Uint8Array;
  /** The next instruction (for ALT: the preferred branch). */
  out: Int32Array;
  /** ALT: the other branch; EMPTY_WIDTH: the condition bits; CAPTURE: the slot. */
  arg: Int32Array;
  test: (((cp: number) => boolean) | null)[];
  /** RUNE: the one code point it matches, or -1 (then `test` decides). */
  literal: Int32Array;
  start: number;
  /** Capture slots: 2 per group, group 0 included. */
  numSlots: number;
  /** Every match must start at the beginning of the text (the program starts with \A). */
  anchored: boolean;
}

/**
 * A program fragment under construction: its entry, the exits still to be pointed at whatever
 * follows (encoded pc*2 for `out`, pc*2+1 for `arg`), and whether it can match the empty string.
 * Entry 0 means the fragment can never match.
 */
interface Frag {
  start: number;
  exits: number[];
  nullable: boolean;
}

class ProgramBuilder {
  op: number[] = [FAIL];
  out: number[] = [0];
  arg: number[] = [0];
  test: (((cp: number) => boolean) | null)[] = [null];
  literal: number[] = [-1];

  private inst(op: number, arg = 0, test: ((cp: number) => boolean) | null = null, literal = -1): number {
    this.op.push(op);
    this.out.push(0);
    this.arg.push(arg);
    this.test.push(test);
    this.literal.push(literal);
    return this.op.length - 1;
  }

  private patch(exits: number[], target: number): void {
    for (const e of exits) {
      if (e & 1) this.arg[e >> 1] = target;
      else this.out[e >> 1] = target;
    }
  }

  private single(
    op: number,
    arg: number,
    test: ((cp: number) => boolean) | null,
    nullable: boolean,
    literal = -1,
  ): Frag {
    const pc = this.inst(op, arg, test, literal);
    return { start: pc, exits: [pc * 2], nullable };
  }

  private cat(f1: Frag, f2: Frag): Frag {
    if (f1.start === 0 || f2.start === 0) return { start: 0, exits: [], nullable: false };
    this.patch(f1.exits, f2.start);
    return { start: f1.start, exits: f2.exits, nullable: f1.nullable && f2.nullable };
  }

  private alt(f1: Frag | null, f2: Frag): Frag {
    if (f1 === null || f1.start === 0) return f2;
    if (f2.start === 0) return f1;
    const pc = this.inst(ALT);
    this.out[pc] = f1.start;
    this.arg[pc] = f2.start;
    return { start: pc, exits: [...f1.exits, ...f2.exits], nullable: f1.nullable || f2.nullable };
  }

  /** x? : an ALT that prefers x (or, lazily, prefers to skip it). */
  private quest(f1: Frag, greedy: boolean): Frag {
    const pc = this.inst(ALT);
    let skip: number;
    if (greedy) {
      this.out[pc] = f1.start;
      skip = pc * 2 + 1;
    } else {
      this.arg[pc] = f1.start;
      skip = pc * 2;
    }
    return { start: pc, exits: [skip, ...f1.exits], nullable: true };
  }

  /** The loop of x+ and x*: x's exits go back to an ALT that chooses another round or leaving. */
  private loop(f1: Frag, greedy: boolean): Frag {
    const pc = this.inst(ALT);
    let leave: number;
    if (greedy) {
      this.out[pc] = f1.start;
      leave = pc * 2 + 1;
    } else {
      this.arg[pc] = f1.start;
      leave = pc * 2;
    }
    this.patch(f1.exits, pc);
    return { start: pc, exits: [leave], nullable: true };
  }

  private plus(f1: Frag, greedy: boolean): Frag {
    return { start: f1.start, exits: this.loop(f1, greedy).exits, nullable: f1.nullable };
  }

  private star(f1: Frag, greedy: boolean): Frag {
    // When x can match empty, x* as a plain loop would prefer a second, empty round over
    // leaving; Go compiles it as (x+)? so that x* and x+ agree (golang.org/issue/46123).
    if (f1.nullable) return this.quest(this.plus(f1, greedy), greedy);
    return this.loop(f1, greedy);
  }

  compile(n: SNode): Frag {
    switch (n.op) {
      case "rune":
        return this.single(RUNE, 0, n.test, false, n.literal);
      case "empty":
        return this.single(NOP, 0, null, true);
      case "assert":
        return this.single(EMPTY_WIDTH, n.cond, null, true);
      case "capture": {
        const open = this.single(CAPTURE, n.index * 2, null, true);
        const body = this.compile(n.sub);
        const close = this.single(CAPTURE, n.index * 2 + 1, null, true);
        return this.cat(this.cat(open, body), close);
      }
      case "concat": {
        if (n.subs.length === 0) return this.single(NOP, 0, null, true);
        let f = this.compile(n.subs[0]!);
        for (let i = 1; i < n.subs.length; i++) f = this.cat(f, this.compile(n.subs[i]!));
        return f;
      }
      case "alternate": {
        // Left-nested ALTs, ((a|b)|c), as Go builds them: the first alternative is preferred.
        let f: Frag | null = null;
        for (const s of n.subs) f = this.alt(f, this.compile(s));
        return f ?? { start: 0, exits: [], nullable: false };
      }
      case "star":
        return this.star(this.compile(n.sub), n.greedy);
      case "plus":
        return this.plus(this.compile(n.sub), n.greedy);
      case "quest":
        return this.quest(this.compile(n.sub), n.greedy);
    }
  }

  finish(f: Frag, numSlots: number): VmProgram {
    const match = this.inst(MATCH);
    this.patch(f.exits, match);
    const prog: VmProgram = {
      op: Uint8Array.from(this.op),
      out: Int32Array.from(this.out),
      arg: Int32Array.from(this.arg),
      test: this.test,
      literal: Int32Array.from(this.literal),
      start: f.start,
      numSlots,
      anchored: false,
    };
    prog.anchored = (startCondition(prog) & EMPTY_BEGIN_TEXT) !== 0;
    return prog;
  }
}

/** The empty-width conditions every match must pass before its first real instruction. */
function startCondition(p: VmProgram): number {
  let cond = 0;
  let pc = p.start;
  for (;;) {
    const op = p.op[pc];
    if (op === EMPTY_WIDTH) cond |= p.arg[pc]!;
    else if (op !== NOP && op !== CAPTURE) return cond;
    pc = p.out[pc]!;
  }
}

/** Compiles a parsed pattern with `groups` capturing groups (group 0 not counted). */
export function compileProgram(root: ReNode, groups: number): VmProgram {
  const b = new ProgramBuilder();
  const f = b.compile(simplify(root));
  return b.finish(f, 2 * (groups + 1));
}

/** Go's syntax.IsWordChar: \b and \B only know ASCII word characters. */
export function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** Whether the empty-width conditions `cond` hold between code points `before` and `after` (-1 = none). */
export function emptyOk(cond: number, before: number, after: number): boolean {
  if (cond & EMPTY_BEGIN_LINE && before !== 0x0a && before >= 0) return false;
  if (cond & EMPTY_BEGIN_TEXT && before >= 0) return false;
  if (cond & EMPTY_END_LINE && after !== 0x0a && after >= 0) return false;
  if (cond & EMPTY_END_TEXT && after >= 0) return false;
  if (cond & (EMPTY_WORD_BOUNDARY | EMPTY_NO_WORD_BOUNDARY)) {
    const boundary = isWordChar(before) !== isWordChar(after);
    if (cond & EMPTY_WORD_BOUNDARY && !boundary) return false;
    if (cond & EMPTY_NO_WORD_BOUNDARY && boundary) return false;
  }
  return true;
}

/** The most capture slots one queue holds (256 MB): threads × 2 × (groups + 1). */
const MAX_QUEUED_SLOTS = 1 << 26;

/**
 * The threads waiting at one position, in priority order: a sparse set of instructions (so an
 * instruction is queued at most once per position) where the RUNE and MATCH entries are threads,
 * each with its capture slots in one flat array (no allocation per thread).
 */
class Queue {
  readonly sparse: Int32Array;
  readonly pcs: Int32Array;
  /** Entry → where its thread's slots start in `caps`, or -1 for an entry that is no thread. */
  readonly thread: Int32Array;
  caps: Int32Array;
  size = 0;
  threads = 0;
  constructor(
    n: number,
    private readonly slots: number,
  ) {
    this.sparse = new Int32Array(n);
    this.pcs = new Int32Array(n);
    this.thread = new Int32Array(n);
    this.caps = new Int32Array(slots * 8);
  }
  /** Room for one more thread's slots; returns where they go. */
  newThread(): number {
    const at = this.threads * this.slots;
    this.threads++;
    if (at + this.slots > this.caps.length) {
      // Go would go on allocating (and, with enough groups and threads, die out of memory).
      if (this.caps.length >= MAX_QUEUED_SLOTS) {
        throw new RangeError("regexp: out of memory: too many capture groups to track at once");
      }
      const bigger = new Int32Array(this.caps.length * 2);
      bigger.set(this.caps);
      this.caps = bigger;
    }
    return at;
  }
  clear(): void {
    this.size = 0;
    this.threads = 0;
  }
}

/** The code point at UTF-16 index i (a lone surrogate is its own code point), or -1 at the end. */
function codePointAt(s: string, i: number): number {
  if (i >= s.length) return -1;
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/**
 * The Pike VM for one program. Kept with the program and reused from search to search (a
 * FindAll runs one per match), so its queues are allocated once.
 */
class Machine {
  private runq: Queue;
  private nextq: Queue;
  /**
   * add()'s explicit stack: a pc to explore, or ~slot above the slot's value to restore. An
   * instruction is entered once per add() and pushes at most two entries, so 2n+1 is enough.
   */
  private readonly stack: Int32Array;
  private matched = false;
  private readonly matchcap: number[];
  /** The slots of a thread starting at the current position: only slot 0 is set. */
  private readonly startcap: Int32Array;

  /**
   * `slots`: how many capture slots to track, as Go's ncap: all of them for the groups' text, 2
   * for the match alone, 0 when only whether there is a match counts (CAPTURE instructions past
   * the last slot tracked are passed through).
   */
  constructor(
    private readonly p: VmProgram,
    private readonly slots: number,
  ) {
    const n = p.op.length;
    this.runq = new Queue(n, slots);
    this.nextq = new Queue(n, slots);
    this.matchcap = new Array<number>(slots).fill(-1);
    this.startcap = new Int32Array(slots);
    this.stack = new Int32Array(2 * n + 1);
  }

  /**
   * Queues the threads reachable from pc without consuming input, depth first in priority
   * order, each with the captures of the path that reached it (`cap` from `base` on: set on the
   * way down a CAPTURE, put back before the next branch). An instruction already queued at this
   * position is not queued again: the path that got there first has the priority, and a path
   * that comes back round an empty loop to where it was is dropped.
   */
  private add(
    q: Queue,
    pc0: number,
    pos: number,
    cap: Int32Array,
    base: number,
    before: number,
    after: number,
  ): void {
    const { op, out, arg } = this.p;
    const numSlots = this.slots;
    const { sparse, pcs, thread } = q;
    const stack = this.stack;
    let size = q.size;
    let sp = 0;
    stack[sp++] = pc0;
    while (sp > 0) {
      let pc = stack[--sp]!;
      if (pc < 0) {
        cap[base + ~pc] = stack[--sp]!;
        continue;
      }
      for (;;) {
        if (pc === 0) break;
        const seen = sparse[pc]!;
        if (seen < size && pcs[seen] === pc) break;
        const j = size++;
        pcs[j] = pc;
        thread[j] = -1;
        sparse[pc] = j;
        const o = op[pc];
        if (o === NOP) {
          pc = out[pc]!;
        } else if (o === ALT) {
          stack[sp++] = arg[pc]!;
          pc = out[pc]!;
        } else if (o === CAPTURE) {
          const slot = arg[pc]!;
          if (slot < numSlots) {
            stack[sp++] = cap[base + slot]!;
            stack[sp++] = ~slot;
            cap[base + slot] = pos;
          }
          pc = out[pc]!;
        } else if (o === EMPTY_WIDTH) {
          if (!emptyOk(arg[pc]!, before, after)) break;
          pc = out[pc]!;
        } else {
          // RUNE or MATCH: a thread waits here.
          const at = q.newThread();
          thread[j] = at;
          const caps = q.caps;
          for (let i = 0; i < numSlots; i++) caps[at + i] = cap[base + i]!;
          break;
        }
      }
    }
    q.size = size;
  }

  /** Runs every thread of runq over the code point c (at pos, ending at next). */
  private step(pos: number, next: number, c: number, after: number): void {
    const { op, out, test, literal } = this.p;
    const numSlots = this.slots;
    const runq = this.runq;
    const { thread, pcs, size } = runq;
    for (let j = 0; j < size; j++) {
      const at = thread[j]!;
      if (at < 0) continue;
      const pc = pcs[j]!;
      if (op[pc] === MATCH) {
        const caps = runq.caps;
        for (let i = 0; i < numSlots; i++) this.matchcap[i] = caps[at + i]!;
        if (numSlots > 1) this.matchcap[1] = pos;
        this.matched = true;
        // Leftmost-first: the threads after this one have lower priorities; they are done.
        break;
      }
      // The thread's slots are its own from here on, so add() may work on them in place.
      const lit = literal[pc]!;
      if (c >= 0 && (lit >= 0 ? c === lit : test[pc]!(c)))
        this.add(this.nextq, out[pc]!, next, runq.caps, at, c, after);
    }
    runq.clear();
  }

  /**
   * Go's machine.match: the leftmost-first match starting at or after pos (only at pos when
   * `atPos`), or null.
   */
  run(s: string, pos: number, anyMatch: boolean, atPos = false): number[] | null {
    const p = this.p;
    const from = pos;
    this.matched = false;
    this.matchcap.fill(-1);
    const start = this.startcap;
    let c = codePointAt(s, pos);
    let before = pos === 0 ? -1 : s.charCodeAt(pos - 1);
    for (;;) {
      if (this.runq.size === 0) {
        if (this.matched) break;
        // Every match starts at \A (or at pos): no later start can match.
        if ((p.anchored && pos !== 0) || (atPos && pos !== from)) break;
      }
      const width = c < 0 ? 0 : c > 0xffff ? 2 : 1;
      const next = pos + width;
      const after = codePointAt(s, next);
      if (!this.matched && (!atPos || pos === from)) {
        // A new thread starting here, with the lowest priority so far.
        start.fill(-1);
        if (this.slots > 0) start[0] = pos;
        this.add(this.runq, p.start, pos, start, 0, before, c);
      }
      this.step(pos, next, c, after);
      if (width === 0 || (anyMatch && this.matched)) break;
      const q = this.runq;
      this.runq = this.nextq;
      this.nextq = q;
      pos = next;
      before = c;
      c = after;
    }
    this.runq.clear();
    this.nextq.clear();
    return this.matched ? this.matchcap.slice() : null;
  }
}

/** Each program's machines, by the number of slots they track. */
const machines = new WeakMap<VmProgram, Map<number, Machine>>();

/**
 * The leftmost-first match of `p` in `s` at or after UTF-16 index `pos` (only at `pos` when
 * `atPos`), as Go's slots: [start, end] of the match then of each group, -1 for a group that did
 * not take part; only the first `slots` of them are tracked and returned (2: the match alone).
 * Which match is found does not depend on it. With slots 0 the search stops at the first match it
 * finds (Go's MatchString). This is the plain Pike VM; regexp-dfa.ts finds where matches are
 * faster, and regexp.ts runs this only for the groups of a match it found.
 */
export function vmExec(
  p: VmProgram,
  s: string,
  pos: number,
  slots = p.numSlots,
  atPos = false,
): number[] | null {
  const n = Math.min(slots, p.numSlots);
  let byCount = machines.get(p);
  if (!byCount) {
    byCount = new Map();
    machines.set(p, byCount);
  }
  let m = byCount.get(n);
  if (!m) {
    m = new Machine(p, n);
    byCount.set(n, m);
  }
  return m.run(s, pos, n === 0, atPos);
}
