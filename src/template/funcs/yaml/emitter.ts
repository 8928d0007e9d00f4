/**
 * Events → YAML text, as gopkg.in/yaml.v2's emitter (libyaml's) writes it with yaml.v2's
 * settings: indentation 2, preferred width 80, unicode output, "\n" breaks, block style.
 *
 * What that means for the output:
 * - a sequence under a mapping key is not indented ("key:\n- a"), one in a sequence is ("- - a");
 * - empty collections are written in flow style: {} and [];
 * - a scalar is written plain when the style asked for allows it and the text is plain-safe,
 *   else single-quoted, else double-quoted (control characters, tabs, characters outside the BMP,
 *   a leading BOM, "space then line break" … force double quotes and \x, \u, \U escapes);
 * - long plain and quoted scalars are folded at spaces once the line passes column 80;
 * - a key that is multi-line or longer than 128 bytes is written as a complex key ("? key").
 */
import { Style } from "./scanner.ts";

export const enum EE {
  Scalar,
  SequenceStart,
  SequenceEnd,
  MappingStart,
  MappingEnd,
}

export interface EmitEvent {
  type: EE;
  value: string;
  /** Explicit tag (only !!binary here); "" for none. */
  tag: string;
  style: Style;
  flow: boolean;
}

const enum S {
  DocumentContent,
  DocumentEnd,
  FlowSequenceFirstItem,
  FlowSequenceItem,
  FlowMappingFirstKey,
  FlowMappingKey,
  FlowMappingSimpleValue,
  FlowMappingValue,
  BlockSequenceFirstItem,
  BlockSequenceItem,
  BlockMappingFirstKey,
  BlockMappingKey,
  BlockMappingSimpleValue,
  BlockMappingValue,
  End,
}

const BEST_INDENT = 2;
const BEST_WIDTH = 80;
const TAG_PREFIX = "tag:yaml.org,2002:";

const isBreak = (c: number) => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlankZ = (c: number | undefined) =>
  c === undefined || c === 0 || c === 0x20 || c === 0x09 || isBreak(c);

/** libyaml's is_printable (on the UTF-8 encoding): no C0/C1 controls but LF, no TAB, BMP only. */
function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)
  );
}

/** The code points of a string. */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

interface ScalarAnalysis {
  value: string;
  /** Length in code points and in UTF-8 bytes. */
  length: number;
  bytes: number;
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** Indicator characters that make a scalar unsafe as plain text when they come first. */
const FIRST_INDICATORS = new Set([..."#,[]{}&*!|>'\"%@`"].map((ch) => ch.charCodeAt(0)));
const FLOW_ONLY = new Set([...",?[]{}"].map((ch) => ch.charCodeAt(0)));

function analyzeScalar(value: string): ScalarAnalysis {
  if (value === "") {
    return {
      value,
      length: 0,
      bytes: 0,
      multiline: false,
      flowPlainAllowed: false,
      blockPlainAllowed: true,
      singleQuotedAllowed: true,
      blockAllowed: false,
    };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith("---") || value.startsWith("...")) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  let length = 0;
  let bytes = 0;
  const n = value.length;
  for (let i = 0; i < n; i++) {
    let c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
      }
    }
    const first = length === 0;
    length++;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    const last = i === n - 1;
    const next = last ? -1 : value.charCodeAt(i + 1);
    const followedByWhitespace = last || next === 0x20 || next === 0x09;
    if (first) {
      if (FIRST_INDICATORS.has(c)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (c === 0x3f || c === 0x3a) {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === 0x2d && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else if (FLOW_ONLY.has(c)) {
      flowIndicators = true;
    } else if (c === 0x3a) {
      flowIndicators = true;
      if (followedByWhitespace) blockIndicators = true;
    } else if (c === 0x23 && precededByWhitespace) {
      flowIndicators = true;
      blockIndicators = true;
    }
    if (!isPrintable(c)) special = true;
    if (c === 0x20) {
      if (first) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (first) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankZ(c);
  }
  const a: ScalarAnalysis = {
    value,
    length,
    bytes,
    multiline: lineBreaks,
    flowPlainAllowed: true,
    blockPlainAllowed: true,
    singleQuotedAllowed: true,
    blockAllowed: true,
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

const HEX = "0123456789ABCDEF";

/** Writes one document holding the given node events; returns the text (ends with "\n"). */
export function emitDocument(events: readonly EmitEvent[]): string {
  return new Emitter(events).run();
}

class Emitter {
  private out: string[] = [];
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = -1;
  private readonly indents: number[] = [];
  private state = S.DocumentContent;
  private readonly states: S[] = [];
  private flowLevel = 0;
  private mappingContext = false;
  private simpleKeyContext = false;
  private head = 0;
  // Per-event analysis.
  private scalar: ScalarAnalysis | null = null;
  private tagHandle = "";
  private tagSuffix = "";
  private scalarStyle = Style.Plain;

  constructor(private readonly events: readonly EmitEvent[]) {}

  run(): string {
    for (; this.head < this.events.length; this.head++) {
      const ev = this.events[this.head]!;
      this.analyze(ev);
      this.step(ev);
    }
    // DOCUMENT-END (implicit): finish the last line.
    this.writeIndent();
    return this.out.join("");
  }

  private analyze(ev: EmitEvent): void {
    this.tagHandle = "";
    this.tagSuffix = "";
    if (ev.type !== EE.Scalar) return;
    if (ev.tag !== "") {
      if (ev.tag.startsWith(TAG_PREFIX)) {
        this.tagHandle = "!!";
        this.tagSuffix = ev.tag.slice(TAG_PREFIX.length);
      } else if (ev.tag.startsWith("!")) {
        this.tagHandle = "!";
        this.tagSuffix = ev.tag.slice(1);
      } else this.tagSuffix = ev.tag;
    }
    this.scalar = analyzeScalar(ev.value);
  }

  private step(ev: EmitEvent): void {
    switch (this.state) {
      case S.DocumentContent:
        this.nodeThen(S.DocumentEnd, ev, false, false);
        return;
      case S.FlowSequenceFirstItem:
        this.flowSequenceItem(ev, true);
        return;
      case S.FlowSequenceItem:
        this.flowSequenceItem(ev, false);
        return;
      case S.FlowMappingFirstKey:
        this.flowMappingKey(ev, true);
        return;
      case S.FlowMappingKey:
        this.flowMappingKey(ev, false);
        return;
      case S.FlowMappingSimpleValue:
        this.flowMappingValue(ev, true);
        return;
      case S.FlowMappingValue:
        this.flowMappingValue(ev, false);
        return;
      case S.BlockSequenceFirstItem:
        this.blockSequenceItem(ev, true);
        return;
      case S.BlockSequenceItem:
        this.blockSequenceItem(ev, false);
        return;
      case S.BlockMappingFirstKey:
        this.blockMappingKey(ev, true);
        return;
      case S.BlockMappingKey:
        this.blockMappingKey(ev, false);
        return;
      case S.BlockMappingSimpleValue:
        this.blockMappingValue(ev, true);
        return;
      case S.BlockMappingValue:
        this.blockMappingValue(ev, false);
        return;
      default:
        throw new Error("yaml: expected nothing after the document");
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popState(): void {
    this.state = this.states.pop()!;
  }

  /** Emits the node of `ev`; `next` is the state to come back to after it. */
  private nodeThen(next: S, ev: EmitEvent, mapping: boolean, simpleKey: boolean): void {
    this.states.push(next);
    this.node(ev, mapping, simpleKey);
  }

  /** Opens a flow collection: its indicator, one more indent level, one more flow level. */
  private openFlow(indicator: "[" | "{"): void {
    this.writeIndicator(indicator, true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
  }

  /** Closes a flow collection and returns to the enclosing state. */
  private closeFlow(indicator: "]" | "}"): void {
    this.flowLevel--;
    this.indent = this.indents.pop()!;
    this.writeIndicator(indicator, false, false, false);
    this.popState();
  }

  /** The "," before every flow item but the first, and a line break once past the best width. */
  private flowSeparator(first: boolean): void {
    if (!first) this.writeIndicator(",", false, false, false);
    if (this.column > BEST_WIDTH) this.writeIndent();
  }

  private flowSequenceItem(ev: EmitEvent, first: boolean): void {
    if (first) this.openFlow("[");
    if (ev.type === EE.SequenceEnd) {
      this.closeFlow("]");
      return;
    }
    this.flowSeparator(first);
    this.nodeThen(S.FlowSequenceItem, ev, false, false);
  }

  private flowMappingKey(ev: EmitEvent, first: boolean): void {
    if (first) this.openFlow("{");
    if (ev.type === EE.MappingEnd) {
      this.closeFlow("}");
      return;
    }
    this.flowSeparator(first);
    if (this.checkSimpleKey()) {
      this.nodeThen(S.FlowMappingSimpleValue, ev, true, true);
      return;
    }
    this.writeIndicator("?", true, false, false);
    this.nodeThen(S.FlowMappingValue, ev, true, false);
  }

  private flowMappingValue(ev: EmitEvent, simple: boolean): void {
    if (simple) this.writeIndicator(":", false, false, false);
    else {
      if (this.column > BEST_WIDTH) this.writeIndent();
      this.writeIndicator(":", true, false, false);
    }
    this.nodeThen(S.FlowMappingKey, ev, true, false);
  }

  private blockSequenceItem(ev: EmitEvent, first: boolean): void {
    if (first) this.increaseIndent(false, this.mappingContext && !this.indention);
    if (ev.type === EE.SequenceEnd) {
      this.indent = this.indents.pop()!;
      this.popState();
      return;
    }
    this.writeIndent();
    this.writeIndicator("-", true, false, true);
    this.nodeThen(S.BlockSequenceItem, ev, false, false);
  }

  private blockMappingKey(ev: EmitEvent, first: boolean): void {
    if (first) this.increaseIndent(false, false);
    if (ev.type === EE.MappingEnd) {
      this.indent = this.indents.pop()!;
      this.popState();
      return;
    }
    this.writeIndent();
    if (this.checkSimpleKey()) {
      this.nodeThen(S.BlockMappingSimpleValue, ev, true, true);
      return;
    }
    this.writeIndicator("?", true, false, true);
    this.nodeThen(S.BlockMappingValue, ev, true, false);
  }

  private blockMappingValue(ev: EmitEvent, simple: boolean): void {
    if (simple) this.writeIndicator(":", false, false, false);
    else {
      this.writeIndent();
      this.writeIndicator(":", true, false, true);
    }
    this.nodeThen(S.BlockMappingKey, ev, true, false);
  }

  private node(ev: EmitEvent, mapping: boolean, simpleKey: boolean): void {
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    switch (ev.type) {
      case EE.Scalar:
        this.emitScalar(ev);
        return;
      case EE.SequenceStart:
        this.state =
          this.flowLevel > 0 || ev.flow || this.nextIs(EE.SequenceEnd)
            ? S.FlowSequenceFirstItem
            : S.BlockSequenceFirstItem;
        return;
      case EE.MappingStart:
        this.state =
          this.flowLevel > 0 || ev.flow || this.nextIs(EE.MappingEnd)
            ? S.FlowMappingFirstKey
            : S.BlockMappingFirstKey;
        return;
      default:
        throw new Error("yaml: expected SCALAR, SEQUENCE-START, MAPPING-START, or ALIAS");
    }
  }

  private nextIs(type: EE): boolean {
    return this.events[this.head + 1]?.type === type;
  }

  private checkSimpleKey(): boolean {
    const ev = this.events[this.head]!;
    let length = 0;
    switch (ev.type) {
      case EE.Scalar:
        if (this.scalar!.multiline) return false;
        length = this.tagHandle.length + this.tagSuffix.length + this.scalar!.bytes;
        break;
      case EE.SequenceStart:
        if (!this.nextIs(EE.SequenceEnd)) return false;
        break;
      case EE.MappingStart:
        if (!this.nextIs(EE.MappingEnd)) return false;
        break;
      default:
        return false;
    }
    return length <= 128;
  }

  private emitScalar(ev: EmitEvent): void {
    this.selectScalarStyle(ev);
    this.processTag();
    this.increaseIndent(true, false);
    const a = this.scalar!;
    const allowBreaks = !this.simpleKeyContext;
    // Folding needs a space past column 80: impossible if the whole text ends before that.
    if (this.scalarStyle === Style.Plain && (!allowBreaks || this.column + a.length <= BEST_WIDTH + 1)) {
      if (!this.whitespace) this.put(" ");
      this.out.push(a.value);
      this.column += a.length;
      this.whitespace = false;
      this.indention = false;
      this.indent = this.indents.pop()!;
      this.popState();
      return;
    }
    const cps = codePoints(a.value);
    switch (this.scalarStyle) {
      case Style.Plain:
        this.writePlain(cps, allowBreaks);
        break;
      case Style.SingleQuoted:
        this.writeSingleQuoted(cps, allowBreaks);
        break;
      case Style.DoubleQuoted:
        this.writeDoubleQuoted(cps, allowBreaks);
        break;
      default:
        this.writeLiteral(cps);
    }
    this.indent = this.indents.pop()!;
    this.popState();
  }

  private selectScalarStyle(ev: EmitEvent): void {
    const a = this.scalar!;
    const implicit = ev.tag === "";
    const noTag = this.tagHandle === "" && this.tagSuffix === "";
    let style = ev.style === Style.Any ? Style.Plain : ev.style;
    if (this.simpleKeyContext && a.multiline) style = Style.DoubleQuoted;
    if (style === Style.Plain) {
      if ((this.flowLevel > 0 && !a.flowPlainAllowed) || (this.flowLevel === 0 && !a.blockPlainAllowed))
        style = Style.SingleQuoted;
      if (a.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = Style.SingleQuoted;
      if (noTag && !implicit) style = Style.SingleQuoted;
    }
    if (style === Style.SingleQuoted && !a.singleQuotedAllowed) style = Style.DoubleQuoted;
    if (
      (style === Style.Literal || style === Style.Folded) &&
      (!a.blockAllowed || this.flowLevel > 0 || this.simpleKeyContext)
    )
      style = Style.DoubleQuoted;
    this.scalarStyle = style;
  }

  private processTag(): void {
    if (this.tagHandle === "" && this.tagSuffix === "") return;
    if (this.tagHandle !== "") {
      if (!this.whitespace) this.put(" ");
      this.put(this.tagHandle);
      if (this.tagSuffix !== "") this.put(this.tagSuffix);
    } else {
      this.writeIndicator("!<", true, false, false);
      this.put(this.tagSuffix);
      this.writeIndicator(">", false, false, false);
    }
    this.whitespace = false;
    this.indention = false;
  }

  // ---- low-level writers ----

  /** Writes ASCII text (one column per character). */
  private put(s: string): void {
    this.out.push(s);
    this.column += s.length;
  }

  private putChar(c: number): void {
    this.out.push(String.fromCodePoint(c));
    this.column++;
  }

  private putBreak(): void {
    this.out.push("\n");
    this.column = 0;
  }

  /** Writes a line break character from the value (LF as the output break, others verbatim). */
  private writeBreak(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.out.push(String.fromCodePoint(c));
      this.column = 0;
    }
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))
      this.putBreak();
    while (this.column < indent) this.put(" ");
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(
    indicator: string,
    needWhitespace: boolean,
    isWhitespace: boolean,
    isIndention: boolean,
  ): void {
    if (needWhitespace && !this.whitespace) this.put(" ");
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private writePlain(cps: number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(" ");
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && cps[i + 1] !== 0x20) this.writeIndent();
        else this.put(" ");
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.putChar(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(cps: number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    const n = cps.length;
    for (let i = 0; i < n; i++) {
      const c = cps[i]!;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < n - 1 && cps[i + 1] !== 0x20)
          this.writeIndent();
        else this.put(" ");
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.putChar(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(cps: number[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    // libyaml's BOM test looks at the value's first bytes, not the current character: a value
    // starting with U+FEFF gets every character escaped.
    const bom = cps[0] === 0xfeff;
    let spaces = false;
    const n = cps.length;
    for (let i = 0; i < n; i++) {
      const c = cps[i]!;
      if (!isPrintable(c) || bom || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.put(`\\${escapeLetter(c)}`);
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < n - 1) {
          this.writeIndent();
          if (cps[i + 1] === 0x20) this.put("\\");
        } else this.put(" ");
        spaces = true;
      } else {
        this.putChar(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeBlockScalarHints(cps: number[]): void {
    const n = cps.length;
    if (n > 0 && (cps[0] === 0x20 || isBreak(cps[0]!)))
      this.writeIndicator(String(BEST_INDENT), false, false, false);
    let chomp = "";
    if (n === 0) chomp = "-";
    else if (!isBreak(cps[n - 1]!)) chomp = "-";
    else if (n === 1 || isBreak(cps[n - 2]!)) chomp = "+";
    if (chomp !== "") this.writeIndicator(chomp, false, false, false);
  }

  private writeLiteral(cps: number[]): void {
    this.writeIndicator("|", true, false, false);
    this.writeBlockScalarHints(cps);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of cps) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.putChar(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** The text after the backslash for a double-quoted escape (one "character" as libyaml puts it). */
function escapeLetter(c: number): string {
  switch (c) {
    case 0x00:
      return "0";
    case 0x07:
      return "a";
    case 0x08:
      return "b";
    case 0x09:
      return "t";
    case 0x0a:
      return "n";
    case 0x0b:
      return "v";
    case 0x0c:
      return "f";
    case 0x0d:
      return "r";
    case 0x1b:
      return "e";
    case 0x22:
      return '"';
    case 0x5c:
      return "\\";
    case 0x85:
      return "N";
    case 0xa0:
      return "_";
    case 0x2028:
      return "L";
    case 0x2029:
      return "P";
  }
  const width = c <= 0xff ? 2 : c <= 0xffff ? 4 : 8;
  let hex = "";
  for (let k = (width - 1) * 4; k >= 0; k -= 4) hex += HEX[(c >> k) & 15];
  return (width === 2 ? "x" : width === 4 ? "u" : "U") + hex;
}
