/**
 * Where Go's program matches, found by a lazily built DFA over the Pike VM's thread lists.
 *
 * The Pike VM (regexp-vm.ts) spends most of its time following the program's empty transitions
 * from every thread at every position. Those only depend on which threads are alive, in which
 * priority order, and on the characters around the position; so each such situation becomes a DFA
 * state (the ordered list of waiting instructions, and whether a match has been seen, which stops
 * new threads starting), and each (state, character class, kind of next character) transition is
 * worked out once, by the VM's own rules, and remembered. A search then costs a table lookup per
 * character, plus, when the match's start is wanted, copying each thread's start position along
 * the transition. Leftmost-first priority and where a match ends are exactly the VM's: a state
 * holding a MATCH cuts the threads after it, as the VM does.
 *
 * Character classes: code points that every RUNE instruction treats alike (and, when the program
 * has empty-width assertions, that count alike as a line break or word character) share a class;
 * a code point's class is worked out on first sight and remembered.
 *
 * The cache is bounded: past MAX_STATES states it is dropped and rebuilt as the search goes, so
 * memory stays bounded and time stays linear (each step at worst as costly as the VM's).
 */
import {
  ALT,
  CAPTURE,
  EMPTY_WIDTH,
  emptyOk,
  isWordChar,
  MATCH,
  NOP,
  RUNE,
  type VmProgram,
} from "./regexp-vm.ts";

const MAX_STATES = 4096;
/** Instructions held by all cached states together. */
const MAX_CACHED_THREADS = 1 << 20;

interface State {
  /** The waiting threads' instructions (RUNE or MATCH), highest priority first. */
  pcs: Int32Array;
  /** Index of the first MATCH in pcs, or -1. */
  matchAt: number;
  /** A match was seen on the way here: no new thread starts. */
  matched: boolean;
}

/** What the characters next to a position are, as empty-width assertions see them. */
const CTX_EDGE = 0;
const CTX_NEWLINE = 1;
const CTX_WORD = 2;
const CTX_OTHER = 3;
/** A code point standing for each kind. */
const CTX_REP = [-1, 0x0a, 0x61, 0x20];

function ctxOf(c: number): number {
  if (c < 0) return CTX_EDGE;
  if (c === 0x0a) return CTX_NEWLINE;
  return isWordChar(c) ? CTX_WORD : CTX_OTHER;
}

/** A step's result: the next state, and where each of its threads came from (-1: started there). */
interface Step {
  id: number;
  from: Int32Array;
}

export class LazyDfa {
  private readonly hasEmpty: boolean;
  /** How many kinds of next character a transition depends on (1 without assertions). */
  private readonly nctx: number;
  /** The distinct tests of the program's RUNE instructions that are not a single literal. */
  private readonly tests: ((cp: number) => boolean)[] = [];
  private readonly literals = new Set<number>();

  private readonly asciiClass = new Int32Array(128).fill(-1);
  private readonly otherClass = new Map<number, number>();
  private readonly classBySignature = new Map<string, number>();
  /** A code point of each class. */
  private readonly classRep: number[] = [];

  private states: State[] = [];
  private stateIds = new Map<string, number>();
  private cachedThreads = 0;
  /** Transitions: state × (class × nctx) → state id, -1 unknown; stride grows with the classes. */
  private stride = 0;
  private next = new Int32Array(0);
  private from: (Int32Array | undefined)[] = [];
  private readonly initial = new Map<number, number>();
  /** Characters read by all searches so far (tests check that searches take linear time). */
  steps = 0;

  // Scratch for closures: a sparse set of visited instructions, the threads found, a DFS stack.
  private readonly sparse: Int32Array;
  private readonly visited: Int32Array;
  private nvisited = 0;
  private readonly found: Int32Array;
  private readonly foundFrom: Int32Array;
  private nfound = 0;
  private readonly stack: Int32Array;
  /** Start positions of the current state's threads, and the next state's. */
  private starts: Int32Array;
  private nextStarts: Int32Array;

  constructor(private readonly p: VmProgram) {
    const n = p.op.length;
    this.hasEmpty = p.op.includes(EMPTY_WIDTH);
    this.nctx = this.hasEmpty ? 4 : 1;
    const seen = new Set<(cp: number) => boolean>();
    for (let pc = 0; pc < n; pc++) {
      if (p.op[pc] !== RUNE) continue;
      if (p.literal[pc]! >= 0) this.literals.add(p.literal[pc]!);
      else if (!seen.has(p.test[pc]!)) {
        seen.add(p.test[pc]!);
        this.tests.push(p.test[pc]!);
      }
    }
    this.sparse = new Int32Array(n);
    this.visited = new Int32Array(n);
    this.found = new Int32Array(n);
    this.foundFrom = new Int32Array(n);
    this.stack = new Int32Array(n + 1);
    this.starts = new Int32Array(n);
    this.nextStarts = new Int32Array(n);
  }

  /** The class of code point c, worked out on first sight. */
  private classOf(c: number): number {
    if (c < 128) {
      const k = this.asciiClass[c]!;
      if (k >= 0) return k;
    } else {
      const k = this.otherClass.get(c);
      if (k !== undefined) return k;
    }
    let sig = this.hasEmpty ? String(ctxOf(c)) : "";
    for (const t of this.tests) sig += t(c) ? "1" : "0";
    if (this.literals.has(c)) sig += `|${c}`;
    let k = this.classBySignature.get(sig);
    if (k === undefined) {
      k = this.classRep.length;
      this.classRep.push(c);
      this.classBySignature.set(sig, k);
      if ((k + 1) * this.nctx > this.stride) this.growStride();
    }
    if (c < 128) this.asciiClass[c] = k;
    else {
      if (this.otherClass.size >= 1 << 16) this.otherClass.clear();
      this.otherClass.set(c, k);
    }
    return k;
  }

  private growStride(): void {
    const old = this.stride;
    const stride = Math.max(16, old * 2);
    const next = new Int32Array(Math.max(this.states.length, 16) * stride).fill(-1);
    const from: (Int32Array | undefined)[] = new Array(next.length);
    for (let s = 0; s < this.states.length; s++) {
      for (let k = 0; k < old; k++) {
        next[s * stride + k] = this.next[s * old + k]!;
        from[s * stride + k] = this.from[s * old + k];
      }
    }
    this.stride = stride;
    this.next = next;
    this.from = from;
  }

  /** Drops every state and transition (the classes stay). */
  private reset(): void {
    this.states = [];
    this.stateIds.clear();
    this.cachedThreads = 0;
    this.next.fill(-1);
    this.from = new Array(this.next.length);
    this.initial.clear();
  }

  /** The id of the state with the threads just found (by closure()), created if new. */
  private intern(matched: boolean): number {
    const pcs = this.found.slice(0, this.nfound);
    const key = `${matched ? "m" : ""}${pcs.join(",")}`;
    const known = this.stateIds.get(key);
    if (known !== undefined) return known;
    if (this.states.length >= MAX_STATES || this.cachedThreads + pcs.length > MAX_CACHED_THREADS)
      this.reset();
    let matchAt = -1;
    for (let i = 0; i < pcs.length; i++) {
      if (this.p.op[pcs[i]!] === MATCH) {
        matchAt = i;
        break;
      }
    }
    const id = this.states.length;
    this.states.push({ pcs, matchAt, matched });
    this.stateIds.set(key, id);
    this.cachedThreads += pcs.length;
    if ((id + 1) * this.stride > this.next.length) {
      const next = new Int32Array(Math.max(16, (id + 1) * 2) * this.stride).fill(-1);
      next.set(this.next);
      this.next = next;
      this.from.length = next.length;
    }
    return id;
  }

  /**
   * Adds the threads reachable from pc0 without consuming input (between code points `before`
   * and `after`), depth first in priority order, as the VM's add() does; instructions already
   * visited in this closure are not entered again. `origin` is the thread they come from.
   */
  private closure(pc0: number, origin: number, before: number, after: number): void {
    const { op, out, arg } = this.p;
    const sparse = this.sparse;
    const visited = this.visited;
    const stack = this.stack;
    let sp = 0;
    stack[sp++] = pc0;
    while (sp > 0) {
      let pc = stack[--sp]!;
      for (;;) {
        if (pc === 0) break;
        const seen = sparse[pc]!;
        if (seen < this.nvisited && visited[seen] === pc) break;
        sparse[pc] = this.nvisited;
        visited[this.nvisited++] = pc;
        const o = op[pc];
        if (o === NOP || o === CAPTURE) pc = out[pc]!;
        else if (o === ALT) {
          stack[sp++] = arg[pc]!;
          pc = out[pc]!;
        } else if (o === EMPTY_WIDTH) {
          if (!emptyOk(arg[pc]!, before, after)) break;
          pc = out[pc]!;
        } else {
          this.found[this.nfound] = pc;
          this.foundFrom[this.nfound++] = origin;
          break;
        }
      }
    }
  }

  /** The state a search starting between code points `before` and `after` begins in. */
  private initialState(before: number, after: number): number {
    // Without assertions the characters around make no difference.
    const key = this.hasEmpty ? ctxOf(before) * 4 + ctxOf(after) : 0;
    const known = this.initial.get(key);
    if (known !== undefined) return known;
    this.nvisited = 0;
    this.nfound = 0;
    this.closure(this.p.start, -1, CTX_REP[ctxOf(before)]!, CTX_REP[ctxOf(after)]!);
    const id = this.intern(false);
    this.initial.set(key, id);
    return id;
  }

  /** The transition from state `sid` over a code point of class k, the next one being of kind t. */
  private step(sid: number, k: number, t: number): Step {
    const st = this.states[sid]!;
    const { op, out, test, literal } = this.p;
    const c = this.classRep[k]!;
    const after = CTX_REP[t]!;
    this.nvisited = 0;
    this.nfound = 0;
    // Threads after a MATCH have lower priority than the match: they are cut, as in the VM.
    const limit = st.matchAt >= 0 ? st.matchAt : st.pcs.length;
    for (let j = 0; j < limit; j++) {
      const pc = st.pcs[j]!;
      if (op[pc] !== RUNE) continue;
      const lit = literal[pc]!;
      if (lit >= 0 ? c === lit : test[pc]!(c)) this.closure(out[pc]!, j, c, after);
    }
    const matched = st.matched || st.matchAt >= 0;
    // A new thread at the next position, lowest priority, until a match is seen (only at the
    // start of the text for an anchored program, which step() is never asked about).
    if (!matched && !this.p.anchored) this.closure(this.p.start, -1, c, after);
    const from = this.foundFrom.slice(0, this.nfound);
    const before = this.states;
    const id = this.intern(matched);
    // intern() may have dropped the cache (sid with it); then the transition is not kept.
    if (this.states === before || this.states[sid] === st) {
      const slot = sid * this.stride + k * this.nctx + t;
      this.next[slot] = id;
      this.from[slot] = from;
    }
    return { id, from };
  }

  /**
   * The leftmost-first match at or after UTF-16 index pos: its [start, end], or (anyMatch) just
   * whether there is one, or null. `s` must be well formed (regexp.ts replaces invalid bytes).
   */
  search(s: string, pos: number, anyMatch: boolean): [number, number] | boolean | null {
    const len = s.length;
    const anchored = this.p.anchored;
    if (anchored && pos > 0) return anyMatch ? false : null;
    let sid = this.initialState(pos > 0 ? s.charCodeAt(pos - 1) : -1, pos < len ? s.codePointAt(pos)! : -1);
    let starts = this.starts;
    let nextStarts = this.nextStarts;
    const track = !anyMatch;
    if (track) starts.fill(pos, 0, this.states[sid]!.pcs.length);
    let matchStart = -1;
    let matchEnd = -1;
    const hasEmpty = this.hasEmpty;
    const nctx = this.nctx;
    const asciiClass = this.asciiClass;
    let p = pos;
    for (;;) {
      const st = this.states[sid]!;
      if (st.matchAt >= 0) {
        if (anyMatch) return true;
        matchStart = starts[st.matchAt]!;
        matchEnd = p;
      }
      if (p >= len) break;
      let c = s.charCodeAt(p);
      let w = 1;
      if (c >= 0xd800 && c <= 0xdbff && p + 1 < len) {
        const d = s.charCodeAt(p + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
          w = 2;
        }
      }
      const q = p + w;
      // The kind of the next character: only \n and ASCII word characters matter, so its
      // first UTF-16 unit is enough.
      const t = hasEmpty ? (q < len ? ctxOf(s.charCodeAt(q)) : CTX_EDGE) : 0;
      const k = c < 128 && asciiClass[c]! >= 0 ? asciiClass[c]! : this.classOf(c);
      const slot = sid * this.stride + k * nctx + t;
      let nid = this.next[slot]!;
      let from = this.from[slot];
      if (nid < 0) {
        const r = this.step(sid, k, t);
        nid = r.id;
        from = r.from;
      }
      if (track) {
        const f = from!;
        for (let i = 0; i < f.length; i++) {
          const j = f[i]!;
          nextStarts[i] = j < 0 ? q : starts[j]!;
        }
        const x = starts;
        starts = nextStarts;
        nextStarts = x;
      }
      sid = nid;
      p = q;
      this.steps++;
      const ns = this.states[sid]!;
      if (ns.pcs.length === 0 && (ns.matched || anchored)) break;
    }
    this.starts = starts;
    this.nextStarts = nextStarts;
    if (anyMatch) return false;
    return matchEnd < 0 ? null : [matchStart, matchEnd];
  }
}

const dfas = new WeakMap<VmProgram, LazyDfa>();

/** The DFA of a program, built as searches need it and kept with the program. */
export function dfaFor(p: VmProgram): LazyDfa {
  let d = dfas.get(p);
  if (!d) {
    d = new LazyDfa(p);
    dfas.set(p, d);
  }
  return d;
}
