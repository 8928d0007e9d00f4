/**
 * yaml.Unmarshal(data, &v) with v an interface{}, as gopkg.in/yaml.v2 2.4 does it:
 *
 * 1. Compose the first document's events into a node tree (anchors are looked up as aliases are
 *    met, so an alias must follow its anchor; an anchor inside its own collection is allowed
 *    here and fails later as "value contains itself"). Later documents are never read.
 * 2. Decode the tree: mappings → map[interface{}]interface{}, sequences → []interface{},
 *    scalars resolved (resolve.ts); quoted and block scalars are always strings; timestamps stay
 *    strings; aliases are expanded by decoding the anchored node again; `<<` merges copy entries
 *    in document order (a later merge overwrites an earlier explicit key, as in yaml.v2); a key
 *    that is a map or sequence fails; duplicate keys: the last one wins.
 *
 * yaml.v2's alias-bomb guard is reproduced exactly (it counts decode steps and steps under an
 * alias, and fails with "document contains excessive aliasing" when aliases dominate), as are its
 * depth limits (in the scanner). Both phases use explicit stacks, so deep documents cannot
 * overflow the JS stack.
 */
import { formatFloat } from "../../fmt.ts";
import { quoteGo } from "../../quote.ts";
import { GoTyped } from "../../value.ts";
import { YamlError } from "./errors.ts";
import { type GoKey, goKeyOf, isInterfaceMap, newInterfaceMap, setEntry } from "./gomap.ts";
import { E, type Event, type Parser } from "./parser.ts";
import { goBytesString } from "./reader.ts";
import { BINARY_TAG, MERGE_TAG, resolve, TIMESTAMP_TAG } from "./resolve.ts";

const enum N {
  Scalar,
  Mapping,
  Sequence,
  Alias,
}

interface Node {
  kind: N;
  tag: string;
  value: string;
  implicit: boolean;
  children: Node[];
  /** For aliases: the anchored node. */
  target: Node | null;
}

function newNode(kind: N, ev: Event): Node {
  return { kind, tag: ev.tag, value: ev.value, implicit: ev.implicit, children: [], target: null };
}

/** The first document's root node, or null for a stream without documents. */
export function compose(parser: Parser): Node | null {
  let pending: Event | null = null;
  const peek = () => {
    pending ??= parser.next();
    return pending;
  };
  const consume = () => {
    const ev = peek();
    pending = null;
    return ev;
  };
  consume(); // STREAM-START
  const first = peek();
  if (first.type === E.StreamEnd) return null;
  consume(); // DOCUMENT-START
  const anchors = new Map<string, Node>();
  const open: Node[] = [];
  let root: Node | null = null;
  while (root === null) {
    const ev = peek();
    let done: Node | null = null;
    switch (ev.type) {
      case E.Scalar:
        done = newNode(N.Scalar, ev);
        if (ev.anchor !== "") anchors.set(ev.anchor, done);
        consume();
        break;
      case E.Alias: {
        done = newNode(N.Alias, ev);
        done.value = ev.anchor;
        done.target = anchors.get(ev.anchor) ?? null;
        if (done.target === null) throw YamlError.fail(`unknown anchor '${ev.anchor}' referenced`);
        consume();
        break;
      }
      case E.SequenceStart:
      case E.MappingStart: {
        const n = newNode(ev.type === E.MappingStart ? N.Mapping : N.Sequence, ev);
        if (ev.anchor !== "") anchors.set(ev.anchor, n);
        consume();
        open.push(n);
        continue;
      }
      case E.SequenceEnd:
      case E.MappingEnd:
        consume();
        done = open.pop()!;
        break;
      default:
        throw YamlError.fail("attempted to go past the end of stream; corrupted value?");
    }
    if (open.length === 0) root = done;
    else open[open.length - 1]!.children.push(done);
  }
  const end = consume();
  if (end.type !== E.DocumentEnd)
    throw YamlError.fail("attempted to go past the end of stream; corrupted value?");
  return root;
}

// ---- decoding ----

// yaml.v2's alias guard: up to 400k decode steps 99% may come from aliases, falling to 10% at 4M.
const ALIAS_RATIO_LOW = 400000;
const ALIAS_RATIO_HIGH = 4000000;

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_HIGH) return 0.1;
  return 0.99 - (0.89 * (decodeCount - ALIAS_RATIO_LOW)) / (ALIAS_RATIO_HIGH - ALIAS_RATIO_LOW);
}

function isMergeKey(n: Node): boolean {
  return n.kind === N.Scalar && n.value === "<<" && (n.implicit || n.tag === MERGE_TAG);
}

function failWantMap(): never {
  throw YamlError.fail("map merge requires map or sequence of maps as the value");
}

/** A scalar node's Go value when decoded into interface{}. */
function scalarValue(n: Node): unknown {
  if (n.tag === "" && !n.implicit) return n.value;
  const [tag, resolved] = resolve(n.tag, n.value);
  if (tag === BINARY_TAG) return decodeBinary(resolved as string);
  // Timestamps decode to their text: yaml.v2 keeps them strings for interface{} targets.
  if (tag === TIMESTAMP_TAG) return n.value;
  return resolved;
}

/** base64.StdEncoding.DecodeString (line breaks ignored, padding required). */
function decodeBinary(text: string): string {
  const s = text.replace(/[\r\n]/g, "");
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s))
    throw YamlError.fail("!!binary value contains invalid base64 data");
  return goBytesString(Uint8Array.from(Buffer.from(s, "base64")));
}

const enum F {
  Seq,
  Map,
  MergeSeq,
  AliasEnd,
}

interface SeqFrame {
  t: F.Seq;
  n: Node;
  out: unknown[];
  i: number;
  pending: boolean;
}

interface MapFrame {
  t: F.Map;
  n: Node;
  out: Record<string, unknown>;
  i: number;
  /** 0: between pairs; 1: key being decoded; 2: value being decoded; 3: merge running. */
  stage: 0 | 1 | 2 | 3;
  key: unknown;
}

interface MergeSeqFrame {
  t: F.MergeSeq;
  n: Node;
  out: Record<string, unknown>;
  i: number;
}

interface AliasFrame {
  t: F.AliasEnd;
  n: Node;
}

type Frame = SeqFrame | MapFrame | MergeSeqFrame | AliasFrame;

/** Decodes a composed document into Go values (see the module comment). */
export function decode(root: Node): unknown {
  // yaml.v2 counts the document node too.
  let decodeCount = 1;
  let aliasCount = 0;
  let aliasDepth = 0;
  const expanding = new Set<Node>();
  const stack: Frame[] = [];
  let ret: unknown = null;

  /** Starts decoding `n` (into the existing map `into` for merges); result lands in `ret`. */
  const start = (n: Node, into: Record<string, unknown> | null): void => {
    decodeCount++;
    if (aliasDepth > 0) aliasCount++;
    if (aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount > allowedAliasRatio(decodeCount))
      throw YamlError.fail("document contains excessive aliasing");
    switch (n.kind) {
      case N.Alias:
        if (expanding.has(n)) throw YamlError.fail(`anchor '${n.value}' value contains itself`);
        expanding.add(n);
        aliasDepth++;
        stack.push({ t: F.AliasEnd, n });
        start(n.target!, into);
        return;
      case N.Scalar:
        ret = scalarValue(n);
        return;
      case N.Sequence:
        stack.push({ t: F.Seq, n, out: [], i: 0, pending: false });
        return;
      case N.Mapping:
        stack.push({ t: F.Map, n, out: into ?? newInterfaceMap(), i: 0, stage: 0, key: null });
        return;
    }
  };

  start(root, null);
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    switch (f.t) {
      case F.AliasEnd:
        aliasDepth--;
        expanding.delete(f.n);
        stack.pop();
        break;
      case F.Seq:
        if (f.pending) {
          f.out.push(ret);
          f.pending = false;
        }
        if (f.i < f.n.children.length) {
          f.pending = true;
          start(f.n.children[f.i++]!, null);
        } else {
          stack.pop();
          ret = f.out;
        }
        break;
      case F.Map:
        stepMapping(f);
        break;
      case F.MergeSeq: {
        // Later maps first, so that earlier ones win.
        if (f.i < 0) {
          stack.pop();
          break;
        }
        const item = f.n.children[f.i--]!;
        if (item.kind === N.Alias ? item.target!.kind !== N.Mapping : item.kind !== N.Mapping) failWantMap();
        start(item, f.out);
        break;
      }
    }
  }
  return ret;

  function stepMapping(f: MapFrame): void {
    if (f.stage === 1) {
      const key = ret;
      if (Array.isArray(key) || isInterfaceMap(key))
        throw YamlError.fail(`invalid map key: ${goSharpV(key)}`);
      f.key = key;
      f.stage = 2;
      start(f.n.children[f.i - 1]!, null);
      return;
    }
    if (f.stage === 2) setEntry(f.out, f.key as GoKey, ret);
    f.stage = 0;
    const kids = f.n.children;
    if (f.i >= kids.length) {
      stack.pop();
      ret = f.out;
      return;
    }
    const keyNode = kids[f.i]!;
    const valueNode = kids[f.i + 1]!;
    f.i += 2;
    if (isMergeKey(keyNode)) {
      f.stage = 3;
      switch (valueNode.kind) {
        case N.Mapping:
          start(valueNode, f.out);
          return;
        case N.Alias:
          if (valueNode.target!.kind !== N.Mapping) failWantMap();
          start(valueNode, f.out);
          return;
        case N.Sequence:
          stack.push({ t: F.MergeSeq, n: valueNode, out: f.out, i: valueNode.children.length - 1 });
          return;
        default:
          failWantMap();
      }
    }
    f.stage = 1;
    start(keyNode, null);
  }
}

/** fmt's %#v for decoded values (only needed for the "invalid map key" message). */
export function goSharpV(v: unknown): string {
  if (v === null) return "interface {}(nil)";
  if (typeof v === "string") return quoteGo(v);
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (typeof v === "number") return formatFloat(v, "g", -1);
  if (v instanceof GoTyped) return `0x${(v.value as bigint).toString(16)}`;
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSharpV).join(", ")}}`;
  const m = v as Record<string, unknown>;
  const names = Object.keys(m).sort((a, b) => compareKeys(goKeyOf(m, a), goKeyOf(m, b)));
  return `map[interface {}]interface {}{${names.map((k) => `${goSharpV(goKeyOf(m, k))}:${goSharpV(m[k])}`).join(", ")}}`;
}

/**
 * fmt's map key order: nil first, different types in the order Go's linker lays out their type
 * descriptors (by name: bool, float64, int, string, uint64), one type by value.
 */
function compareKeys(a: GoKey, b: GoKey): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const typeOf = (k: GoKey) =>
    k instanceof GoTyped
      ? k.type
      : typeof k === "bigint"
        ? "int"
        : typeof k === "number"
          ? "float64"
          : typeof k === "boolean"
            ? "bool"
            : "string";
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (typeof a === "string") return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (typeof a === "boolean") return Number(a) - Number(b);
  const x = a instanceof GoTyped ? (a.value as bigint) : (a as bigint | number);
  const y = b instanceof GoTyped ? (b.value as bigint) : (b as bigint | number);
  return x < y ? -1 : x > y ? 1 : 0;
}
