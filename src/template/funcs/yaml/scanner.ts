/**
 * YAML 1.1 tokenizer with the behaviour of gopkg.in/yaml.v2's scanner (itself a port of
 * libyaml): the same tokens, the same simple-key rules (a key must sit on one line and within
 * 1024 characters of its ':'), the same depth limits (10000 flow levels, 10000 indentation
 * levels), the same error texts and marks. Quirks are kept on purpose, e.g. a plain scalar in a
 * flow collection may contain ':' ({a:1} is the key "a:1"), and a tab may not start a line's
 * indentation in block context.
 *
 * Works on code points; marks count code points (libyaml counts characters, not bytes).
 */
import { type Mark, YamlError } from "./errors.ts";
import { goBytesString, type Reader } from "./reader.ts";

export const enum T {
  StreamStart,
  StreamEnd,
  VersionDirective,
  TagDirective,
  DocumentStart,
  DocumentEnd,
  BlockSequenceStart,
  BlockMappingStart,
  BlockEnd,
  FlowSequenceStart,
  FlowSequenceEnd,
  FlowMappingStart,
  FlowMappingEnd,
  BlockEntry,
  FlowEntry,
  Key,
  Value,
  Alias,
  Anchor,
  Tag,
  Scalar,
}

export const enum Style {
  Any,
  Plain,
  SingleQuoted,
  DoubleQuoted,
  Literal,
  Folded,
}

export interface Token {
  type: T;
  start: Mark;
  end: Mark;
  /** Scalar text, anchor/alias name, tag handle, or %TAG handle. */
  value: string;
  /** Tag suffix. */
  suffix: string;
  /** %TAG prefix. */
  prefix: string;
  style: Style;
  major: number;
  minor: number;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

const MAX_FLOW_LEVEL = 10000;
const MAX_INDENTS = 10000;

const SP = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

const isBlank = (c: number) => c === SP || c === TAB;
const isBreak = (c: number) => c === LF || c === CR || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBreakZ = (c: number) => c === 0 || isBreak(c);
const isBlankZ = (c: number) => isBlank(c) || isBreakZ(c);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const hexValue = (c: number) => (c <= 0x39 ? c - 0x30 : c <= 0x46 ? c - 0x41 + 10 : c - 0x61 + 10);
const isAlpha = (c: number) =>
  isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
const code = (s: string) => s.charCodeAt(0);

/** Characters a plain scalar may not start with (except '-', '?', ':' followed by non-space). */
const NOT_PLAIN_START = new Set([..."-?:,[]{}#&*!|>'\"%@`"].map(code));
/** Characters that may follow an anchor or alias name. */
const AFTER_ANCHOR = new Set([..."?:,]}%@`"].map(code));
/** Characters allowed in a tag URI besides alphanumerics, '_' and '-'. */
const URI_CHARS = new Set([...";/?:@&=+$,.!~*'()[]%"].map(code));
const FLOW_INDICATORS = new Set([..."],?[]{}"].map(code));

function token(type: T, start: Mark, end: Mark): Token {
  return { type, start, end, value: "", suffix: "", prefix: "", style: Style.Any, major: 0, minor: 0 };
}

/**
 * The text that joins two lines of a quoted or plain scalar: after an LF, a lone break folds to a
 * space and further breaks stay as they are; after NEL, LS or PS, every break stays.
 */
function foldLines(leadingBreak: string, trailingBreaks: string): string {
  if (leadingBreak.charCodeAt(0) === LF) return trailingBreaks === "" ? " " : trailingBreaks;
  return leadingBreak + trailingBreaks;
}

export class Scanner {
  private readonly ch: Int32Array;
  private pos = 0;
  private line = 0;
  private column = 0;

  private tokens: Token[] = [];
  private head = 0;
  private tokensParsed = 0;
  private tokenAvailable = false;
  private streamStartProduced = false;
  streamEndProduced = false;

  private indent = -1;
  private readonly indents: number[] = [];
  private simpleKeyAllowed = false;
  private readonly simpleKeys: SimpleKey[] = [];
  private readonly simpleKeysByToken = new Map<number, number>();
  private flowLevel = 0;

  constructor(private readonly reader: Reader) {
    this.ch = reader.chars;
  }

  // ---- token queue (the parser's view) ----

  peek(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.head]!;
  }

  skip(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = this.tokens[this.head]!.type === T.StreamEnd;
    this.head++;
    if (this.head > 256 && this.head * 2 > this.tokens.length) {
      this.tokens = this.tokens.slice(this.head);
      this.head = 0;
    }
  }

  // ---- character access ----

  private at(k = 0): number {
    return this.ch[this.pos + k]!;
  }

  private need(n: number): void {
    if (this.reader.available - this.pos < n) this.reader.ensure(this.pos, n);
  }

  private mark(): Mark {
    return { index: this.pos, line: this.line, column: this.column };
  }

  private advance(): void {
    this.pos++;
    this.column++;
  }

  private skipLine(): void {
    const c = this.at();
    if (c === CR && this.at(1) === LF) {
      this.pos += 2;
      this.column = 0;
      this.line++;
    } else if (isBreak(c)) {
      this.pos++;
      this.column = 0;
      this.line++;
    }
  }

  private read(): string {
    const c = this.at();
    this.advance();
    return String.fromCodePoint(c);
  }

  /** Consumes a line break, returning it normalised (CR, CR LF, NEL → LF; LS, PS kept). */
  private readLine(): string {
    const c = this.at();
    if (c === CR && this.at(1) === LF) {
      this.pos += 2;
    } else if (c === CR || c === LF || c === 0x85) {
      this.pos++;
    } else if (c === 0x2028 || c === 0x2029) {
      this.pos++;
      this.column = 0;
      this.line++;
      return String.fromCharCode(c);
    } else {
      return "";
    }
    this.column = 0;
    this.line++;
    return "\n";
  }

  private error(context: Mark, problem: string): never {
    throw YamlError.scanner(context, problem, this.mark());
  }

  // ---- the token machine ----

  private fetchMoreTokens(): void {
    for (;;) {
      if (this.head !== this.tokens.length) {
        const idx = this.simpleKeysByToken.get(this.tokensParsed);
        if (idx === undefined || !this.simpleKeyIsValid(this.simpleKeys[idx]!)) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.mark.line < this.line || key.mark.index + 1024 < this.pos) {
      if (key.required) this.error(key.mark, "could not find expected ':'");
      key.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.column;
    if (this.simpleKeyAllowed) {
      const key: SimpleKey = {
        possible: true,
        required,
        tokenNumber: this.tokensParsed + (this.tokens.length - this.head),
        mark: this.mark(),
      };
      this.removeSimpleKey();
      const last = this.simpleKeys.length - 1;
      this.simpleKeys[last] = key;
      this.simpleKeysByToken.set(key.tokenNumber, last);
    }
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (key.possible) {
      if (key.required) this.error(key.mark, "could not find expected ':'");
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({
      possible: false,
      required: false,
      tokenNumber: this.tokensParsed + (this.tokens.length - this.head),
      mark: this.mark(),
    });
    this.flowLevel++;
    if (this.flowLevel > MAX_FLOW_LEVEL)
      this.error(
        this.simpleKeys[this.simpleKeys.length - 1]!.mark,
        `exceeded max depth of ${MAX_FLOW_LEVEL}`,
      );
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const key = this.simpleKeys.pop()!;
      this.simpleKeysByToken.delete(key.tokenNumber);
    }
  }

  private insert(tok: Token, at = -1): void {
    if (at < 0) this.tokens.push(tok);
    else this.tokens.splice(this.head + at, 0, tok);
  }

  private rollIndent(column: number, number: number, type: T, mark: Mark): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > MAX_INDENTS)
        this.error(this.simpleKeys[this.simpleKeys.length - 1]!.mark, `exceeded max depth of ${MAX_INDENTS}`);
      this.insert(token(type, mark, mark), number > -1 ? number - this.tokensParsed : -1);
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      const m = this.mark();
      this.insert(token(T.BlockEnd, m, m));
      this.indent = this.indents.pop()!;
    }
  }

  private fetchNextToken(): void {
    this.need(1);
    if (!this.streamStartProduced) {
      this.fetchStreamStart();
      return;
    }
    this.scanToNextToken();
    this.unrollIndent(this.column);
    this.need(4);
    const c = this.at();
    if (c === 0) {
      this.fetchStreamEnd();
      return;
    }
    if (this.column === 0) {
      if (c === 0x25 /* % */) {
        this.fetchDirective();
        return;
      }
      if (this.atDocumentIndicator(0x2d)) {
        this.fetchDocumentIndicator(T.DocumentStart);
        return;
      }
      if (this.atDocumentIndicator(0x2e)) {
        this.fetchDocumentIndicator(T.DocumentEnd);
        return;
      }
    }
    const next = this.at(1);
    switch (c) {
      case 0x5b /* [ */:
        this.fetchFlowCollectionStart(T.FlowSequenceStart);
        return;
      case 0x7b /* { */:
        this.fetchFlowCollectionStart(T.FlowMappingStart);
        return;
      case 0x5d /* ] */:
        this.fetchFlowCollectionEnd(T.FlowSequenceEnd);
        return;
      case 0x7d /* } */:
        this.fetchFlowCollectionEnd(T.FlowMappingEnd);
        return;
      case 0x2c /* , */:
        this.fetchFlowEntry();
        return;
    }
    if (c === 0x2d /* - */ && isBlankZ(next)) {
      this.fetchBlockEntry();
      return;
    }
    if (c === 0x3f /* ? */ && (this.flowLevel > 0 || isBlankZ(next))) {
      this.fetchKey();
      return;
    }
    if (c === 0x3a /* : */ && (this.flowLevel > 0 || isBlankZ(next))) {
      this.fetchValue();
      return;
    }
    switch (c) {
      case 0x2a /* * */:
        this.fetchAnchor(T.Alias);
        return;
      case 0x26 /* & */:
        this.fetchAnchor(T.Anchor);
        return;
      case 0x21 /* ! */:
        this.fetchTag();
        return;
      case 0x7c /* | */:
        if (this.flowLevel === 0) {
          this.fetchBlockScalar(true);
          return;
        }
        break;
      case 0x3e /* > */:
        if (this.flowLevel === 0) {
          this.fetchBlockScalar(false);
          return;
        }
        break;
      case 0x27 /* ' */:
        this.fetchFlowScalar(true);
        return;
      case 0x22 /* " */:
        this.fetchFlowScalar(false);
        return;
    }
    if (
      !(isBlankZ(c) || NOT_PLAIN_START.has(c)) ||
      (c === 0x2d && !isBlank(next)) ||
      (this.flowLevel === 0 && (c === 0x3f || c === 0x3a) && !isBlankZ(next))
    ) {
      this.fetchPlainScalar();
      return;
    }
    this.error(this.mark(), "found character that cannot start any token");
  }

  /** `---` or `...` (by its character) followed by a blank, a break or the end. */
  private atDocumentIndicator(c: number): boolean {
    return this.at() === c && this.at(1) === c && this.at(2) === c && isBlankZ(this.at(3));
  }

  private fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: this.mark() });
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    const m = this.mark();
    this.insert(token(T.StreamStart, m, m));
  }

  private fetchStreamEnd(): void {
    if (this.column !== 0) {
      this.column = 0;
      this.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const m = this.mark();
    this.insert(token(T.StreamEnd, m, m));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(this.scanDirective());
  }

  private fetchDocumentIndicator(type: T): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.mark();
    this.advance();
    this.advance();
    this.advance();
    this.insert(token(type, start, this.mark()));
  }

  private fetchFlowCollectionStart(type: T): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    this.fetchIndicator(type);
  }

  private fetchFlowCollectionEnd(type: T): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    this.fetchIndicator(type);
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.fetchIndicator(T.FlowEntry);
  }

  /** Consumes a one-character indicator and queues its token. */
  private fetchIndicator(type: T): void {
    const start = this.mark();
    this.advance();
    this.insert(token(type, start, this.mark()));
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed)
        this.error(this.mark(), "block sequence entries are not allowed in this context");
      this.rollIndent(this.column, -1, T.BlockSequenceStart, this.mark());
    }
    // In flow context a '-' entry is an error the parser reports (with better context).
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.fetchIndicator(T.BlockEntry);
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.error(this.mark(), "mapping keys are not allowed in this context");
      this.rollIndent(this.column, -1, T.BlockMappingStart, this.mark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    this.fetchIndicator(T.Key);
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (this.simpleKeyIsValid(key)) {
      // The scalar (or collection) already queued turns out to be a key: insert KEY before it.
      this.insert(token(T.Key, key.mark, key.mark), key.tokenNumber - this.tokensParsed);
      this.rollIndent(key.mark.column, key.tokenNumber, T.BlockMappingStart, key.mark);
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) this.error(this.mark(), "mapping values are not allowed in this context");
        this.rollIndent(this.column, -1, T.BlockMappingStart, this.mark());
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.fetchIndicator(T.Value);
  }

  private fetchAnchor(type: T): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(this.scanTag());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insert(this.scanBlockScalar(literal));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(this.scanFlowScalar(single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(this.scanPlainScalar());
  }

  /** Skips blanks, comments and line breaks up to the next token. */
  private scanToNextToken(): void {
    for (;;) {
      this.need(1);
      // libyaml looks for a BOM at the start of its buffer, not at the cursor (kept as is).
      if (this.column === 0 && this.ch[this.reader.bufferStart] === 0xfeff) this.advance();
      this.need(1);
      // Tabs are whitespace in flow context and after a token on the line, never as indentation.
      while (this.at() === SP || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.at() === TAB)) {
        this.advance();
        this.need(1);
      }
      if (this.at() === 0x23 /* # */) {
        while (!isBreakZ(this.at())) {
          this.advance();
          this.need(1);
        }
      }
      if (!isBreak(this.at())) break;
      this.need(2);
      this.skipLine();
      if (this.flowLevel === 0) this.simpleKeyAllowed = true;
    }
  }

  // ---- directives ----

  private scanDirective(): Token {
    const start = this.mark();
    this.advance();
    const name = this.scanDirectiveName(start);
    let tok: Token;
    if (name === "YAML") {
      this.skipBlanks();
      const major = this.scanVersionNumber(start);
      if (this.at() !== 0x2e) this.error(start, "did not find expected digit or '.' character");
      this.advance();
      const minor = this.scanVersionNumber(start);
      tok = token(T.VersionDirective, start, this.mark());
      tok.major = major;
      tok.minor = minor;
    } else if (name === "TAG") {
      this.skipBlanks();
      const handle = this.scanTagHandle(true, start);
      this.need(1);
      if (!isBlank(this.at())) this.error(start, "did not find expected whitespace");
      this.skipBlanks();
      const prefix = this.scanTagUri("", start);
      this.need(1);
      if (!isBlankZ(this.at())) this.error(start, "did not find expected whitespace or line break");
      tok = token(T.TagDirective, start, this.mark());
      tok.value = handle;
      tok.prefix = prefix;
    } else {
      this.error(start, "found unknown directive name");
    }
    this.skipBlanks();
    if (this.at() === 0x23) {
      while (!isBreakZ(this.at())) {
        this.advance();
        this.need(1);
      }
    }
    if (!isBreakZ(this.at())) this.error(start, "did not find expected comment or line break");
    if (isBreak(this.at())) {
      this.need(2);
      this.skipLine();
    }
    return tok;
  }

  private skipBlanks(): void {
    this.need(1);
    while (isBlank(this.at())) {
      this.advance();
      this.need(1);
    }
  }

  private scanDirectiveName(start: Mark): string {
    this.need(1);
    let s = "";
    while (isAlpha(this.at())) {
      s += this.read();
      this.need(1);
    }
    if (s === "") this.error(start, "could not find expected directive name");
    if (!isBlankZ(this.at())) this.error(start, "found unexpected non-alphabetical character");
    return s;
  }

  private scanVersionNumber(start: Mark): number {
    this.need(1);
    let value = 0;
    let length = 0;
    while (isDigit(this.at())) {
      length++;
      if (length > 2) this.error(start, "found extremely long version number");
      value = value * 10 + (this.at() - 0x30);
      this.advance();
      this.need(1);
    }
    if (length === 0) this.error(start, "did not find expected version number");
    return value;
  }

  // ---- anchors and tags ----

  private scanAnchor(type: T): Token {
    const start = this.mark();
    this.advance();
    this.need(1);
    let s = "";
    while (isAlpha(this.at())) {
      s += this.read();
      this.need(1);
    }
    const end = this.mark();
    const c = this.at();
    if (s === "" || !(isBlankZ(c) || AFTER_ANCHOR.has(c)))
      this.error(start, "did not find expected alphabetic or numeric character");
    const tok = token(type, start, end);
    tok.value = s;
    return tok;
  }

  private scanTag(): Token {
    const start = this.mark();
    this.need(2);
    let handle: string;
    let suffix: string;
    if (this.at(1) === 0x3c /* < */) {
      // Verbatim: !<uri>
      handle = "";
      this.advance();
      this.advance();
      suffix = this.scanTagUri("", start);
      if (this.at() !== 0x3e) this.error(start, "did not find the expected '>'");
      this.advance();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle.length > 1 && handle.endsWith("!")) {
        suffix = this.scanTagUri("", start);
      } else {
        // Not a handle after all: "!suffix" (or the non-specific tag "!").
        suffix = this.scanTagUri(handle, start);
        handle = "!";
        if (suffix === "") {
          handle = "";
          suffix = "!";
        }
      }
    }
    this.need(1);
    if (!isBlankZ(this.at())) this.error(start, "did not find expected whitespace or line break");
    const tok = token(T.Tag, start, this.mark());
    tok.value = handle;
    tok.suffix = suffix;
    return tok;
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    this.need(1);
    if (this.at() !== 0x21) this.error(start, "did not find expected '!'");
    let s = this.read();
    this.need(1);
    while (isAlpha(this.at())) {
      s += this.read();
      this.need(1);
    }
    if (this.at() === 0x21) s += this.read();
    else if (directive && s !== "!") this.error(start, "did not find expected '!'");
    return s;
  }

  /** A tag URI; `head` is an already-read "!name" whose name part belongs to the URI. */
  private scanTagUri(head: string, start: Mark): string {
    let hasTag = head.length > 0;
    const bytes: number[] = [];
    for (let i = 1; i < head.length; i++) bytes.push(head.charCodeAt(i));
    this.need(1);
    for (;;) {
      const c = this.at();
      if (!(isAlpha(c) || URI_CHARS.has(c))) break;
      if (c === 0x25 /* % */) this.scanUriEscapes(start, bytes);
      else {
        bytes.push(c);
        this.advance();
      }
      this.need(1);
      hasTag = true;
    }
    if (!hasTag) this.error(start, "did not find expected tag URI");
    return goBytesString(Uint8Array.from(bytes));
  }

  private scanUriEscapes(start: Mark, out: number[]): void {
    let width = 1024;
    while (width > 0) {
      this.need(3);
      if (!(this.at() === 0x25 && isHex(this.at(1)) && isHex(this.at(2))))
        this.error(start, "did not find URI escaped octet");
      const octet = (hexValue(this.at(1)) << 4) + hexValue(this.at(2));
      if (width === 1024) {
        width =
          (octet & 0x80) === 0
            ? 1
            : (octet & 0xe0) === 0xc0
              ? 2
              : (octet & 0xf0) === 0xe0
                ? 3
                : (octet & 0xf8) === 0xf0
                  ? 4
                  : 0;
        if (width === 0) this.error(start, "found an incorrect leading UTF-8 octet");
      } else if ((octet & 0xc0) !== 0x80) {
        this.error(start, "found an incorrect trailing UTF-8 octet");
      }
      out.push(octet);
      this.advance();
      this.advance();
      this.advance();
      width--;
    }
  }

  // ---- scalars ----

  private scanBlockScalar(literal: boolean): Token {
    const start = this.mark();
    this.advance();
    this.need(1);
    let chomping = 0;
    let increment = 0;
    const c = this.at();
    if (c === 0x2b || c === 0x2d) {
      chomping = c === 0x2b ? 1 : -1;
      this.advance();
      this.need(1);
      if (isDigit(this.at())) {
        if (this.at() === 0x30) this.error(start, "found an indentation indicator equal to 0");
        increment = this.at() - 0x30;
        this.advance();
      }
    } else if (isDigit(c)) {
      if (c === 0x30) this.error(start, "found an indentation indicator equal to 0");
      increment = c - 0x30;
      this.advance();
      this.need(1);
      const d = this.at();
      if (d === 0x2b || d === 0x2d) {
        chomping = d === 0x2b ? 1 : -1;
        this.advance();
      }
    }
    this.skipBlanks();
    if (this.at() === 0x23) {
      while (!isBreakZ(this.at())) {
        this.advance();
        this.need(1);
      }
    }
    if (!isBreakZ(this.at())) this.error(start, "did not find expected comment or line break");
    if (isBreak(this.at())) {
      this.need(2);
      this.skipLine();
    }
    const blk: BlockState = {
      indent: increment > 0 ? (this.indent >= 0 ? this.indent + increment : increment) : 0,
      breaks: "",
      end: this.mark(),
    };
    this.scanBlockScalarBreaks(blk, start);
    this.need(1);
    let s = "";
    let leadingBreak = "";
    let leadingBlank = false;
    while (this.column === blk.indent && this.at() !== 0) {
      // The start of a non-empty line.
      const trailingBlank = isBlank(this.at());
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.charCodeAt(0) === LF) {
        // Folding: a single line break between two text lines becomes a space.
        if (blk.breaks === "") s += " ";
      } else {
        s += leadingBreak;
      }
      leadingBreak = "";
      s += blk.breaks;
      blk.breaks = "";
      leadingBlank = isBlank(this.at());
      const run = this.pos;
      while (!isBreakZ(this.at())) {
        this.advance();
        this.need(1);
      }
      s += this.reader.slice(run, this.pos);
      this.need(2);
      leadingBreak = this.readLine();
      this.scanBlockScalarBreaks(blk, start);
    }
    if (chomping !== -1) s += leadingBreak;
    if (chomping === 1) s += blk.breaks;
    const tok = token(T.Scalar, start, blk.end);
    tok.value = s;
    tok.style = literal ? Style.Literal : Style.Folded;
    return tok;
  }

  /** Indentation and empty lines of a block scalar; settles the indentation when unknown. */
  private scanBlockScalarBreaks(blk: BlockState, start: Mark): void {
    blk.end = this.mark();
    let maxIndent = 0;
    for (;;) {
      this.need(1);
      while ((blk.indent === 0 || this.column < blk.indent) && this.at() === SP) {
        this.advance();
        this.need(1);
      }
      if (this.column > maxIndent) maxIndent = this.column;
      if ((blk.indent === 0 || this.column < blk.indent) && this.at() === TAB)
        this.error(start, "found a tab character where an indentation space is expected");
      if (!isBreak(this.at())) break;
      this.need(2);
      blk.breaks += this.readLine();
      blk.end = this.mark();
    }
    if (blk.indent === 0) {
      blk.indent = Math.max(maxIndent, this.indent + 1, 1);
    }
  }

  private scanFlowScalar(single: boolean): Token {
    const start = this.mark();
    this.advance();
    let s = "";
    let leadingBreak = "";
    let trailingBreaks = "";
    let whitespaces = "";
    const quote = single ? 0x27 : 0x22;
    for (;;) {
      this.need(4);
      if (this.column === 0 && (this.atDocumentIndicator(0x2d) || this.atDocumentIndicator(0x2e)))
        this.error(start, "found unexpected document indicator");
      if (this.at() === 0) this.error(start, "found unexpected end of stream");
      let leadingBlanks = false;
      let run = this.pos;
      while (!isBlankZ(this.at())) {
        const c = this.at();
        if (c !== quote && c !== 0x5c) {
          this.advance();
        } else {
          s += this.reader.slice(run, this.pos);
          if (single && c === 0x27 && this.at(1) === 0x27) {
            s += "'";
            this.advance();
            this.advance();
          } else if (c === quote) {
            run = this.pos;
            break;
          } else if (!single && c === 0x5c && isBreak(this.at(1))) {
            // An escaped line break: the break and the next line's indentation vanish.
            this.need(3);
            this.advance();
            this.skipLine();
            leadingBlanks = true;
            run = this.pos;
            break;
          } else if (!single && c === 0x5c) {
            s += this.scanEscape(start);
          } else {
            this.advance(); // a backslash in a single-quoted scalar
            run = this.pos - 1;
            this.need(2);
            continue;
          }
          run = this.pos;
        }
        this.need(2);
      }
      s += this.reader.slice(run, this.pos);
      this.need(1);
      if (this.at() === quote) break;
      while (isBlank(this.at()) || isBreak(this.at())) {
        if (isBlank(this.at())) {
          if (!leadingBlanks) whitespaces += this.read();
          else this.advance();
        } else {
          this.need(2);
          if (!leadingBlanks) {
            whitespaces = "";
            leadingBreak = this.readLine();
            leadingBlanks = true;
          } else {
            trailingBreaks += this.readLine();
          }
        }
        this.need(1);
      }
      if (leadingBlanks) {
        s += foldLines(leadingBreak, trailingBreaks);
        trailingBreaks = "";
        leadingBreak = "";
      } else {
        s += whitespaces;
        whitespaces = "";
      }
    }
    this.advance();
    const tok = token(T.Scalar, start, this.mark());
    tok.value = s;
    tok.style = single ? Style.SingleQuoted : Style.DoubleQuoted;
    return tok;
  }

  /** A backslash escape in a double-quoted scalar (cursor on the backslash). */
  private scanEscape(start: Mark): string {
    let out = "";
    let codeLength = 0;
    const e = this.at(1);
    switch (e) {
      case 0x30:
        out = "\0";
        break;
      case 0x61:
        out = "\x07";
        break;
      case 0x62:
        out = "\b";
        break;
      case 0x74:
      case TAB:
        out = "\t";
        break;
      case 0x6e:
        out = "\n";
        break;
      case 0x76:
        out = "\v";
        break;
      case 0x66:
        out = "\f";
        break;
      case 0x72:
        out = "\r";
        break;
      case 0x65:
        out = "\x1b";
        break;
      case SP:
        out = " ";
        break;
      case 0x22:
        out = '"';
        break;
      case 0x27:
        out = "'";
        break;
      case 0x5c:
        out = "\\";
        break;
      case 0x4e /* N */:
        out = "\x85";
        break;
      case 0x5f /* _ */:
        out = "\xa0";
        break;
      case 0x4c /* L */:
        out = "\u2028";
        break;
      case 0x50 /* P */:
        out = "\u2029";
        break;
      case 0x78:
        codeLength = 2;
        break;
      case 0x75:
        codeLength = 4;
        break;
      case 0x55:
        codeLength = 8;
        break;
      default:
        this.error(start, "found unknown escape character");
    }
    this.advance();
    this.advance();
    if (codeLength > 0) {
      this.need(codeLength);
      let value = 0;
      for (let k = 0; k < codeLength; k++) {
        if (!isHex(this.at(k))) this.error(start, "did not find expected hexdecimal number");
        value = value * 16 + hexValue(this.at(k));
      }
      if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff)
        this.error(start, "found invalid Unicode character escape code");
      out = String.fromCodePoint(value);
      for (let k = 0; k < codeLength; k++) this.advance();
    }
    return out;
  }

  private scanPlainScalar(): Token {
    let s = "";
    let leadingBreak = "";
    let trailingBreaks = "";
    let whitespaces = "";
    let leadingBlanks = false;
    const indent = this.indent + 1;
    const start = this.mark();
    let end = start;
    for (;;) {
      this.need(4);
      if (this.column === 0 && (this.atDocumentIndicator(0x2d) || this.atDocumentIndicator(0x2e))) break;
      if (this.at() === 0x23) break;
      const run = this.pos;
      while (!isBlankZ(this.at())) {
        const c = this.at();
        if ((c === 0x3a && isBlankZ(this.at(1))) || (this.flowLevel > 0 && FLOW_INDICATORS.has(c))) break;
        if (leadingBlanks || whitespaces !== "") {
          // The blanks before this run of text join it (a line break folds to a space).
          if (leadingBlanks) {
            s += foldLines(leadingBreak, trailingBreaks);
            trailingBreaks = "";
            leadingBreak = "";
            leadingBlanks = false;
          } else {
            s += whitespaces;
            whitespaces = "";
          }
        }
        this.advance();
        this.need(2);
      }
      if (this.pos > run) {
        s += this.reader.slice(run, this.pos);
        end = this.mark();
      }
      if (!(isBlank(this.at()) || isBreak(this.at()))) break;
      this.need(1);
      while (isBlank(this.at()) || isBreak(this.at())) {
        if (isBlank(this.at())) {
          if (leadingBlanks && this.column < indent && this.at() === TAB)
            this.error(start, "found a tab character that violates indentation");
          if (!leadingBlanks) whitespaces += this.read();
          else this.advance();
        } else {
          this.need(2);
          if (!leadingBlanks) {
            whitespaces = "";
            leadingBreak = this.readLine();
            leadingBlanks = true;
          } else {
            trailingBreaks += this.readLine();
          }
        }
        this.need(1);
      }
      if (this.flowLevel === 0 && this.column < indent) break;
    }
    const tok = token(T.Scalar, start, end);
    tok.value = s;
    tok.style = Style.Plain;
    // A multi-line plain scalar ends at a line start, where a simple key may begin.
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return tok;
  }
}

interface BlockState {
  indent: number;
  breaks: string;
  end: Mark;
}
