/**
 * The lexer of Go's text/template. The parser's error messages and line numbers depend on exactly
 * which token the lexer produced and where, so this follows Go's token rules (trim markers,
 * comments, number syntax, terminators) rather than a tidier design.
 *
 * Go's lexer is a state machine the parser pulls one token at a time. Nothing the parser does
 * changes what the lexer produces (break/continue are decided before parsing starts), so here one
 * loop lexes tokens in batches into a small ring of typed arrays (see Lexer): a 1 MB template has
 * ~300k tokens, and per-token objects, substrings or method calls were most of its compile time.
 * Spaces inside actions are not tokens but a flag on the token after them (SPACED).
 *
 * Positions are JS string indexes. Lines are not tracked: a token's line is always 1 + the
 * newlines before its position (lineAt), and it is only needed when an error is formatted.
 */
import { formatRuneU, isPrintRune, quoteGo as goQuote } from "./quote.ts";

export const enum T {
  Error,
  Bool,
  Char,
  CharConstant,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  /** A whole action whose text was parsed before (see Lexer.lookup): aux holds the entry. */
  Cached,
  // Keywords follow; their order matters only for `> Keyword`.
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

const EOF = -1;
const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isSpace(r: number): boolean {
  return r === 32 || r === 9 || r === 13 || r === 10;
}

// ASCII character classes, looked up instead of compared: the lexer's inner loops run before the
// JIT has optimised them, when every call and comparison counts.
const C_SPACE = 1;
/** [0-9A-Za-z_] */
const C_ALNUM = 2;
/** Ends a field, variable or identifier (Go's atTerminator, besides the end and the delimiter). */
const C_TERM = 4;
/** Cannot continue a decimal literal: anything but [0-9A-Za-z_.+-]. */
const C_NUMSTOP = 8;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  let k = 0;
  if (isSpace(c)) k |= C_SPACE | C_TERM;
  if (c === 46 || c === 44 || c === 124 || c === 58 || c === 41 || c === 40) k |= C_TERM;
  if (isAsciiAlphaNumeric(c)) k |= C_ALNUM;
  else if (c !== 46 && c !== 43 && c !== 45) k |= C_NUMSTOP;
  CLASS[c] = k;
}

/** [0-9A-Za-z_] (ASCII; a non-ASCII letter or digit is also alphanumeric to Go's lexer). */
export function isAsciiWordChar(c: number): boolean {
  return c < 128 && (CLASS[c] & C_ALNUM) !== 0;
}

/** Go's atTerminator for one character: a space or one of `.,|:)(` (the delimiter aside). */
export function isTerminatorChar(c: number): boolean {
  return c < 128 && (CLASS[c] & C_TERM) !== 0;
}

/** A character that cannot continue a decimal literal: anything but [0-9A-Za-z_.+-]. */
export function isNumberStop(c: number): boolean {
  return c >= 128 || (CLASS[c] & C_NUMSTOP) !== 0;
}

function isAsciiAlphaNumeric(r: number): boolean {
  return r === 95 || (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122);
}

export function isAlphaNumeric(r: number): boolean {
  if (r < 128) return r >= 0 && isAsciiAlphaNumeric(r);
  return LETTER_OR_DIGIT.test(String.fromCodePoint(r));
}

/** ASCII character sets for the number scanner, as lookup tables (one per Go `accept` string). */
function charSet(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}
const SIGNS = charSet("+-");
const ZERO = charSet("0");
const HEX_PREFIX = charSet("xX");
const OCT_PREFIX = charSet("oO");
const BIN_PREFIX = charSet("bB");
const DEC_DIGITS = charSet("0123456789_");
const HEX_DIGITS = charSet("0123456789abcdefABCDEF_");
const OCT_DIGITS = charSet("01234567_");
const BIN_DIGITS = charSet("01_");
const DOT = charSet(".");
const DEC_EXP = charSet("eE");
const HEX_EXP = charSet("pP");
const IMAG = charSet("i");

/**
 * Set on a token's type when spaces precede it inside an action. Go's lexer emits the spaces as a
 * token of their own; the parser only ever asks whether there were some (see Parser.command).
 */
export const SPACED = 0x80;

/** Tokens are kept in a ring of this many slots; a parser reads at most a few tokens behind the newest. */
export const RING = 4096;
/** Token index → ring slot. */
export const SLOT = RING - 1;
/** How many tokens before the one asked for a refill keeps (the parser backs up at most 3). */
export const KEEP = 32;

/**
 * A lexer that produces tokens in batches into a small ring of typed arrays (token i is in slot
 * i & SLOT: type typs, text input[poss, ends)). Go's lexer is a state machine the parser pulls one
 * token at a time; lexing a batch at once keeps the hot loop in one function, and the ring (a
 * few KB, reused) avoids allocating arrays for every token of a large template.
 *
 * After EOF or an error token (lexing stops at the first error) there is one more EOF token, the
 * one Go's lexer returns next; asking for tokens past it keeps returning it, as Go's lexer does.
 */
export class Lexer {
  readonly typs = new Uint8Array(RING);
  readonly poss = new Int32Array(RING);
  readonly ends = new Int32Array(RING);
  /**
   * For a Cached token, its cache entry. For a LeftDelim token, where the first right delimiter
   * after it ends (-1: none), so the parser can cache the action (see cacheAction).
   */
  readonly aux = new Int32Array(RING);
  /**
   * The actions the parser has cached (see Parser.remember), by entry: each one's text, from the
   * left delimiter to the first right delimiter after it. A later action with the same text
   * becomes one Cached token.
   */
  readonly cachedTexts: string[] = [];
  /**
   * The cache's index: actionHash → entry + 1 (0: none). One entry per slot, the latest: a
   * collision costs a cache miss, never a wrong hit, since the text is compared. Looking up this
   * way compares the text where it is instead of slicing it out to look it up in a Map.
   */
  readonly cacheIndex = new Int32Array(CACHE_SLOTS);
  /** Tokens lexed so far (the index of the next one). */
  count = 0;
  /** How many tokens the next batch may add at most. */
  private batch = FIRST_BATCH;
  /** The last batch ended with a Cached token; the parser may continue from `resumePos`. */
  paused = false;
  /** Cache entries found again at least once (by the lexer, or by the parser's runs: see lookup). */
  private entriesFound = 0;
  /** Per cache entry: 1 once it has been found again. */
  found = new Uint8Array(256);
  /** No pausing before this token: the parser's last run of text and actions (textRun) took none. */
  private noPauseBefore = 0;
  /** True once the final EOF is in the ring. */
  done = false;
  /** The error token's message, if lexing stopped at an error. */
  errorMsg = "";
  // The state machine between batches: in text or inside an action.
  private pos = 0;
  private start = 0;
  private inAction = false;
  private parenDepth = 0;
  private readonly rightDelimUnit: number;
  /** Newline offsets, for lineAt; built on the first error. */
  private newlines: Int32Array | null = null;

  constructor(
    readonly input: string,
    readonly leftDelim: string,
    readonly rightDelim: string,
    private readonly breakOK: boolean,
    private readonly continueOK: boolean,
  ) {
    this.rightDelimUnit = rightDelim.charCodeAt(0);
  }

  /**
   * Where the text from `start` ends before the left delimiter at x: at x, or before the spaces
   * that a trim marker after the delimiter ("{{- ") removes (lexText).
   */
  textEnd(start: number, x: number): number {
    const s = this.input;
    const after = x + this.leftDelim.length;
    if (s.charCodeAt(after) !== 45 || !isSpace(s.charCodeAt(after + 1))) return x;
    let j = x;
    while (j > start && isSpace(s.charCodeAt(j - 1))) j--;
    return j;
  }

  /**
   * Where the text after an action ends with the right delimiter at `close` starts: after the
   * delimiter, and after the spaces that a trim marker before it (" -}}") removes (lexRightDelim).
   */
  afterAction(close: number): number {
    const s = this.input;
    let p = close + this.rightDelim.length;
    if (s.charCodeAt(close - 1) === 45 && isSpace(s.charCodeAt(close - 2))) {
      while (p < s.length && isSpace(s.charCodeAt(p))) p++;
    }
    return p;
  }

  /** Where lexing continues (in text, after the last token), while paused. */
  get resumePos(): number {
    return this.pos;
  }

  /**
   * Lexing stopped between actions (in text, at resumePos) with more to come: the parser, caught
   * up, may read on from there itself (Parser.textRun) and hand back where it stops (resumeAt).
   */
  get inText(): boolean {
    return !this.done && !this.inAction;
  }

  /**
   * Continues lexing at p, in text: the parser consumed the input up to there, and stopped at an
   * action it could not take without tokens. If it got anywhere (`progressed`), batches start small
   * again, so that the parser soon takes over again after that action; if not, the lexer stops
   * pausing at cached actions for a while.
   */
  resumeAt(p: number, progressed: boolean): void {
    this.pos = p;
    this.start = p;
    if (progressed) {
      this.batch = FIRST_BATCH;
      this.noPauseBefore = 0;
    } else {
      // A template whose cached actions come one at a time between others (an {{end}} after
      // each distinct action): pausing for each would only cut the batches short.
      this.noPauseBefore = this.count + RING;
    }
  }

  /** The cache entry of the action s[start, end) (end: after the first right delimiter); -1: none. */
  lookup(start: number, end: number): number {
    const entry = this.cacheIndex[actionHash(this.input, start, end)] - 1;
    if (entry < 0) return -1;
    const text = this.cachedTexts[entry];
    if (text.length !== end - start || !this.input.startsWith(text, start)) return -1;
    if (this.found[entry] === 0) this.markFound(entry);
    return entry;
  }

  /** Cache entry `entry` is found again for the first time. */
  markFound(entry: number): void {
    this.found[entry] = 1;
    this.entriesFound++;
  }

  /**
   * Whether the cache should take another action, with `entries` already in it. A template of
   * distinct actions gains nothing from it, so it stops growing when its entries reach
   * CACHE_FREE_ENTRIES plus twice those found again. (Counting finds instead would let one action
   * repeated throughout, such as {{end}}, keep a cache of thousands of distinct actions growing.)
   */
  cacheHasRoom(entries: number): boolean {
    return entries < CACHE_FREE_ENTRIES + 2 * this.entriesFound;
  }

  /** Adds an action's text to the cache, as entry `entry` (the next one). */
  cacheAction(text: string, entry: number): void {
    this.cachedTexts[entry] = text;
    this.cacheIndex[actionHash(text, 0, text.length)] = entry + 1;
    if (entry >= this.found.length) {
      const found = new Uint8Array(this.found.length * 2);
      found.set(this.found);
      this.found = found;
    }
  }

  /** A token's text (an error token's message). The token must still be in the ring. */
  val(i: number): string {
    const slot = i & SLOT;
    if ((this.typs[slot] & ~SPACED) === T.Error) return this.errorMsg;
    return this.input.slice(this.poss[slot], this.ends[slot]);
  }

  /** A field token's name, without its leading dot. */
  fieldName(i: number): string {
    const slot = i & SLOT;
    return this.input.slice(this.poss[slot] + 1, this.ends[slot]);
  }

  /** The line (1-based) of a position: 1 + the newlines before it. Go's lexer counts the same. */
  lineAt(pos: number): number {
    if (this.leftDelim.includes("\n") || this.rightDelim.includes("\n")) return this.lineSkippingDelims(pos);
    let nl = this.newlines;
    if (!nl) {
      const s = this.input;
      let n = 0;
      for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
      nl = new Int32Array(n);
      n = 0;
      for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) nl[n++] = i;
      this.newlines = nl;
    }
    let lo = 0;
    let hi = nl.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (nl[mid] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }

  /**
   * lineAt when a delimiter holds a newline. Go's lexer counts the newlines it reads, and it skips
   * an action's delimiters without reading them, so their newlines do not count; those of text,
   * comments (delimiters included) and the inside of actions do.
   */
  private lineSkippingDelims(pos: number): number {
    const s = this.input;
    const ld = this.leftDelim;
    const rd = this.rightDelim;
    let line = 1;
    const count = (from: number, to: number): void => {
      for (let k = s.indexOf("\n", from); k >= 0 && k < to; k = s.indexOf("\n", k + 1)) line++;
    };
    let i = 0;
    while (i < pos) {
      const x = s.indexOf(ld, i);
      if (x < 0 || x >= pos) {
        count(i, pos);
        break;
      }
      count(i, x);
      const inside = x + ld.length;
      const trimmed = s.charCodeAt(inside) === 45 && isSpace(s.charCodeAt(inside + 1));
      const body = trimmed ? inside + 2 : inside;
      if (s.startsWith("/*", body)) {
        const end = s.indexOf("*/", body + 2);
        const close = end < 0 ? -1 : s.indexOf(rd, end + 2);
        const stop = close < 0 ? s.length : close + rd.length;
        count(x, Math.min(stop, pos));
        i = stop;
        continue;
      }
      // An action: from after its left delimiter to its right one, skipping quoted text.
      i = inside;
      while (i < pos) {
        if (s.startsWith(rd, i)) {
          // After " -}}" the lexer reads (and counts) the spaces the trim marker removes.
          const trimsAfter = s.charCodeAt(i - 1) === 45 && isSpace(s.charCodeAt(i - 2));
          i += rd.length;
          while (trimsAfter && i < pos && isSpace(s.charCodeAt(i))) {
            if (s.charCodeAt(i) === 10) line++;
            i++;
          }
          break;
        }
        const c = s.charCodeAt(i);
        if (c === 34 || c === 39 || c === 96) {
          // A quoted string, char or raw string: to its closing quote (or the end of the line
          // for the interpreted kinds, where Go's lexer stops with an error).
          let j = i + 1;
          while (j < s.length && s.charCodeAt(j) !== c && (c === 96 || s.charCodeAt(j) !== 10)) {
            if (c !== 96 && s.charCodeAt(j) === 92) j++;
            j++;
          }
          count(i, Math.min(j + 1, pos));
          i = j + 1;
          continue;
        }
        if (c === 10) line++;
        i++;
      }
    }
    return line;
  }

  /**
   * Lexes the tokens after the last one, as many as fit without overwriting token `keepFrom`
   * (at least one unless done).
   */
  fill(keepFrom: number): void {
    if (this.done) return;
    const s = this.input;
    const len = s.length;
    const leftDelim = this.leftDelim;
    const rightDelim = this.rightDelim;
    const ldn = leftDelim.length;
    const rdn = rightDelim.length;
    const rightDelimUnit = this.rightDelimUnit;
    const typs = this.typs;
    const poss = this.poss;
    const ends = this.ends;
    const aux = this.aux;
    // Each step below adds at most two tokens.
    // Batches start small and grow: a small template's later actions are then lexed after its
    // earlier ones are parsed, so they find them in the cache too.
    // A batch goes on to the end of the action it is in (the ring allowing), so that it ends in
    // text, where the parser can take over (Parser.textRun).
    const ringLimit = Math.max(keepFrom, this.count - KEEP) + RING - 2;
    const limit = Math.min(ringLimit, this.count + this.batch);
    if (this.batch < RING) this.batch *= 2;
    this.paused = false;
    let n = this.count;
    let pos = this.pos;
    let start = this.start;
    let parenDepth = this.parenDepth;
    let inAction = this.inAction;
    let slot = 0;
    let err = "";
    // SPACED when spaces were skipped since the last token. Only an emitted token ends a batch, so
    // this never needs to survive to the next batch.
    let spaced = 0;

    // This loop handles the common tokens itself and leaves the rest to helpers (other, comment):
    // the smaller it is, the sooner the JIT optimises it, which is most of a large template's
    // lexing time.
    while (n < limit || (inAction && n < ringLimit)) {
      if (!inAction) {
        // --- text, up to the next left delimiter (Go's lexText) ---
        const x = this.findLeftDelim(pos);
        if (x < 0) {
          if (len > start) {
            slot = n++ & SLOT;
            typs[slot] = T.Text;
            poss[slot] = start;
            ends[slot] = len;
          }
          slot = n++ & SLOT;
          typs[slot] = T.EOF;
          poss[slot] = len;
          ends[slot] = len;
          this.done = true;
          break;
        }
        const trim = x - this.textEnd(start, x);
        if (x - trim > start) {
          slot = n++ & SLOT;
          typs[slot] = T.Text;
          poss[slot] = start;
          ends[slot] = x - trim;
        }
        start = x;

        // --- the left delimiter, or a comment (lexLeftDelim, lexComment) ---
        pos = x + ldn;
        const after = s.charCodeAt(pos) === 45 && isSpace(s.charCodeAt(pos + 1)) ? 2 : 0;
        if (s.charCodeAt(pos + after) === 47 && s.charCodeAt(pos + after + 1) === 42) {
          pos += after;
          start = pos;
          pos = this.comment(pos);
          if (pos < 0) {
            err = this.errorMsg;
            pos = this.otherEnd;
            break;
          }
          start = pos;
          continue;
        }
        // A single-line action seen before becomes one Cached token: its text, up to the first
        // right delimiter, lexes and parses the same everywhere (see Parser.cachedItem).
        const close = s.indexOf(rightDelim, pos);
        const end = close < 0 ? -1 : close + rdn;
        if (end >= 0) {
          const entry = this.lookup(x, end);
          if (entry >= 0) {
            slot = n++ & SLOT;
            typs[slot] = T.Cached;
            poss[slot] = x;
            ends[slot] = end;
            aux[slot] = entry;
            pos = this.afterAction(close);
            start = pos;
            // The batch ends here: the parser, caught up, takes over the text and the actions
            // that follow (Parser.textRun), and hands back where it stops.
            if (n >= this.noPauseBefore) {
              this.paused = true;
              break;
            }
            continue;
          }
        }
        slot = n++ & SLOT;
        typs[slot] = T.LeftDelim;
        poss[slot] = start;
        ends[slot] = pos;
        aux[slot] = end;
        pos += after;
        start = pos;
        parenDepth = 0;
        inAction = true;
        continue;
      }

      // --- inside an action: one token (lexInsideAction and the states it hands over to) ---
      let c = s.charCodeAt(pos);
      // At the right delimiter, possibly after a trim marker " -"?
      const space = c < 128 && (CLASS[c] & C_SPACE) !== 0;
      const atDelim =
        space && s.charCodeAt(pos + 1) === 45 && this.atRightDelim(pos + 2)
          ? 2
          : c === rightDelimUnit && this.atRightDelim(pos)
            ? 1
            : 0;
      if (atDelim === 0) {
        if (pos >= len) {
          err = "unclosed action";
          break;
        }
        let typ: T;
        if (space) {
          // lexSpace: a run of spaces, unless its last one starts a trim-marked right delimiter.
          let spaces = 0;
          while (c < 128 && (CLASS[c] & C_SPACE) !== 0) {
            pos++;
            spaces++;
            c = s.charCodeAt(pos);
          }
          if (c !== 45 || !this.atRightDelim(pos + 1)) {
            spaced = SPACED;
            start = pos;
            continue;
          }
          pos--;
          if (spaces !== 1) {
            spaced = SPACED;
            start = pos;
            continue;
          }
          // No token: the space belongs to the trim-marked right delimiter.
        } else {
          pos++;
          if (c < 128 && (CLASS[c] & C_ALNUM) !== 0 && (c < 48 || c > 57)) {
            // lexIdentifier (an ASCII letter or underscore first)
            pos = scanAlphaNumeric(s, pos);
            if (!atTerminator(s, pos, rightDelim)) {
              err = badCharacter(s, pos);
              break;
            }
            typ = keyword(s, start, pos, this.breakOK, this.continueOK);
          } else if (c === 46 && pos < len && !isDigit(s.charCodeAt(pos))) {
            // lexField: '.', and no digit after it ('.5' is a number)
            if (atTerminator(s, pos, rightDelim)) typ = T.Dot;
            else {
              pos = scanAlphaNumeric(s, pos);
              if (!atTerminator(s, pos, rightDelim)) {
                err = badCharacter(s, pos);
                break;
              }
              typ = T.Field;
            }
          } else if (c === 36) {
            // lexVariable
            if (!atTerminator(s, pos, rightDelim)) {
              pos = scanAlphaNumeric(s, pos);
              if (!atTerminator(s, pos, rightDelim)) {
                err = badCharacter(s, pos);
                break;
              }
            }
            typ = T.Variable;
          } else if (c === 124) typ = T.Pipe;
          else if (c === 40) {
            parenDepth++;
            typ = T.LeftParen;
          } else if (c === 41) {
            parenDepth--;
            if (parenDepth < 0) {
              // Go's error token comes after the paren, in its place.
              start = pos;
              err = "unexpected right paren"; // Go 1.20+ dropped the %#U rune
              break;
            }
            typ = T.RightParen;
          } else {
            typ = T.Error;
            if (c >= 48 && c <= 57) {
              // A plain decimal literal (digits, then nothing that could continue a number) is
              // all scanNumber would accept here.
              let q = s.charCodeAt(pos);
              while (q >= 48 && q <= 57) q = s.charCodeAt(++pos);
              if (pos >= len || (q < 128 && (CLASS[q] & C_NUMSTOP) !== 0)) typ = T.Number;
            }
            if (typ === T.Error) {
              typ = this.other(start);
              pos = this.otherEnd;
              if (typ === T.Error) {
                err = this.errorMsg;
                break;
              }
            }
          }
          slot = n++ & SLOT;
          typs[slot] = typ | spaced;
          poss[slot] = start;
          ends[slot] = pos;
          start = pos;
          spaced = 0;
          continue;
        }
      } else if (parenDepth !== 0) {
        err = "unclosed left paren";
        break;
      }

      // --- the right delimiter (lexRightDelim) ---
      const trimRight = isSpace(s.charCodeAt(pos)) && s.charCodeAt(pos + 1) === 45;
      if (trimRight) {
        pos += 2;
        start = pos;
      }
      pos += rdn;
      slot = n++ & SLOT;
      typs[slot] = T.RightDelim | spaced;
      spaced = 0;
      poss[slot] = start;
      ends[slot] = pos;
      if (trimRight) while (pos < len && isSpace(s.charCodeAt(pos))) pos++;
      start = pos;
      inAction = false;
    }

    if (err !== "") {
      // The error token (at the start of what failed), then the EOF Go's lexer returns after it.
      this.errorMsg = err;
      slot = n++ & SLOT;
      typs[slot] = T.Error | spaced;
      poss[slot] = start;
      ends[slot] = start;
      slot = n++ & SLOT;
      typs[slot] = T.EOF;
      poss[slot] = pos;
      ends[slot] = pos;
      this.done = true;
    }
    this.count = n;
    this.pos = pos;
    this.start = start;
    this.parenDepth = parenDepth;
    this.inAction = inAction;
  }

  /** Whether the right delimiter is at p (a two-character one compared without a native call). */
  private atRightDelim(p: number): boolean {
    const s = this.input;
    const rd = this.rightDelim;
    if (s.charCodeAt(p) !== this.rightDelimUnit) return false;
    if (rd.length === 1) return true;
    if (s.charCodeAt(p + 1) !== rd.charCodeAt(1)) return false;
    return rd.length === 2 || s.startsWith(rd, p);
  }

  /**
   * s.indexOf(leftDelim, pos). The text between actions is mostly short; scanning its first few
   * characters by hand is cheaper than the native search, which takes over after that.
   */
  findLeftDelim(pos: number): number {
    const s = this.input;
    const ld = this.leftDelim;
    const ld0 = ld.charCodeAt(0);
    const stop = Math.min(pos + 32, s.length);
    for (let i = pos; i < stop; i++) {
      if (s.charCodeAt(i) === ld0 && (ld.length === 1 || s.charCodeAt(i + 1) === ld.charCodeAt(1))) {
        if (ld.length <= 2 || s.startsWith(ld, i)) return i;
      }
    }
    return s.indexOf(ld, stop);
  }

  /** Where other() or comment() stopped: the token's end, or the position after an error. */
  private otherEnd = 0;

  /**
   * lexComment from p (at the comment's start, after the delimiter and any trim marker): the
   * position after the comment and its closing delimiter, or -1 with errorMsg and otherEnd set.
   */
  private comment(p: number): number {
    const s = this.input;
    const rightDelim = this.rightDelim;
    const i = s.indexOf("*/", p + 2);
    if (i < 0) {
      this.errorMsg = "unclosed comment";
      this.otherEnd = p + 2;
      return -1;
    }
    p = i + 2;
    const c = s.charCodeAt(p);
    if (isSpace(c) && s.charCodeAt(p + 1) === 45 && s.startsWith(rightDelim, p + 2)) {
      p += 2 + rightDelim.length;
      while (p < s.length && isSpace(s.charCodeAt(p))) p++;
      return p;
    }
    if (c === this.rightDelimUnit && s.startsWith(rightDelim, p)) return p + rightDelim.length;
    this.errorMsg = "comment ends before closing delimiter";
    this.otherEnd = p;
    return -1;
  }

  /**
   * The less common tokens of lexInsideAction, starting at `start` (never a space, the right
   * delimiter, or a case fill handles): returns the type and leaves the end in otherEnd, or
   * returns Error with errorMsg set and otherEnd where Go's lexer stopped.
   */
  private other(start: number): T {
    const s = this.input;
    const len = s.length;
    let pos = start;
    const c = s.charCodeAt(pos);
    const r = c >= 0xd800 && c <= 0xdbff ? (s.codePointAt(pos) as number) : c;
    pos += r > 0xffff ? 2 : 1;
    this.otherEnd = pos;
    switch (r) {
      case 61: // =
        return T.Assign;
      case 58: // :
        if (runeAt(s, pos) !== 61) {
          if (pos < len) this.otherEnd = pos + runeWidth(s, pos);
          this.errorMsg = "expected :=";
          return T.Error;
        }
        this.otherEnd = pos + 1;
        return T.Declare;
      case 34: // "
      case 39: {
        // ' — lexQuote, lexChar: UTF-16 units suffice, the quote, backslash and newline are ASCII.
        for (;;) {
          if (pos >= len) break;
          let q = s.charCodeAt(pos++);
          if (q === 92) {
            if (pos >= len) break;
            q = s.charCodeAt(pos++);
            if (q !== 10) continue;
            break;
          }
          if (q === 10) break;
          if (q === r) {
            this.otherEnd = pos;
            return r === 34 ? T.String : T.CharConstant;
          }
        }
        this.otherEnd = pos;
        this.errorMsg = unterminated(r);
        return T.Error;
      }
      case 96: {
        // ` — lexRawQuote
        const end = s.indexOf("`", pos);
        if (end < 0) {
          this.otherEnd = len;
          this.errorMsg = "unterminated raw quoted string";
          return T.Error;
        }
        this.otherEnd = end + 1;
        return T.RawString;
      }
    }
    if (r === 43 || r === 45 || r === 46 || (r >= 48 && r <= 57)) {
      // lexNumber (a sign, digit, or '.' before a digit)
      const typ = this.number(start);
      this.otherEnd = this.numberEnd;
      return typ;
    }
    if (r >= 128 && isAlphaNumeric(r)) {
      // lexIdentifier, starting with a non-ASCII letter or digit
      pos = scanAlphaNumeric(s, pos);
      this.otherEnd = pos;
      if (!atTerminator(s, pos, this.rightDelim)) {
        this.errorMsg = badCharacter(s, pos);
        return T.Error;
      }
      return keyword(s, start, pos, this.breakOK, this.continueOK);
    }
    if (r < 128 && isPrintRune(r)) return T.Char;
    this.errorMsg = `unrecognized character in action: ${formatRuneU(r)}`;
    return T.Error;
  }

  /** Where number() stopped: the literal's end, or the end of the bad syntax it reports. */
  private numberEnd = 0;

  /**
   * lexNumber from p (a sign, digit or '.'): Number or Complex, or Error with the message in
   * errorMsg; the end is left in numberEnd.
   */
  private number(p: number): T {
    const s = this.input;
    const end = scanNumber(s, p);
    if (end >= 0) {
      const sign = end < s.length ? s.charCodeAt(end) : 0;
      if (sign !== 43 && sign !== 45) {
        this.numberEnd = end;
        return T.Number;
      }
      const cend = scanNumber(s, end);
      if (cend >= 0 && s.charCodeAt(cend - 1) === 105) {
        this.numberEnd = cend;
        return T.Complex;
      }
      this.numberEnd = cend >= 0 ? cend : -cend - 1;
    } else this.numberEnd = -end - 1;
    this.errorMsg = `bad number syntax: ${goQuote(s.slice(p, this.numberEnd))}`;
    return T.Error;
  }
}

/** The most tokens a first batch adds (see fill). */
const FIRST_BATCH = 16;

/** Entries the action cache takes before the ones found again must keep up (see cacheHasRoom). */
const CACHE_FREE_ENTRIES = 256;

/** Slots in the action cache's index (a power of two). */
const CACHE_SLOTS = 4096;

/**
 * A hash of the action text s[start, end) for the cache's index: its length and a few of its
 * characters, where actions tend to differ (the start and end of what is inside the delimiters,
 * and the middle). Cheap, as it runs for every action; collisions only cost cache misses.
 */
export function actionHash(s: string, start: number, end: number): number {
  const n = end - start;
  if (n < 6) return n;
  return (
    (n * 31 +
      s.charCodeAt(start + 3) * 131 +
      s.charCodeAt(start + 4) * 7 +
      s.charCodeAt(start + (n >> 1)) * 17 +
      s.charCodeAt(end - 4) * 3 +
      s.charCodeAt(end - 5)) &
    (CACHE_SLOTS - 1)
  );
}

/** Width in UTF-16 units of the rune at p (2 for a surrogate pair). */
function runeWidth(s: string, p: number): number {
  const c = s.charCodeAt(p);
  return c >= 0xd800 && c <= 0xdbff && (s.codePointAt(p) as number) > 0xffff ? 2 : 1;
}

/** The rune at p, EOF past the end. */
function runeAt(s: string, p: number): number {
  if (p >= s.length) return EOF;
  const c = s.charCodeAt(p);
  if (c >= 0xd800 && c <= 0xdbff) return s.codePointAt(p) as number;
  return c;
}

/**
 * Go's atTerminator: space, end, one of `.,|:)(`, or the whole right delimiter (Go ≥ 1.18 checks
 * the full delimiter, so a lone `}` after a field is a "bad character").
 */
function atTerminator(s: string, p: number, rightDelim: string): boolean {
  if (p >= s.length) return true;
  const c = s.charCodeAt(p);
  if (c < 128 && (CLASS[c] & C_TERM) !== 0) return true;
  return c === rightDelim.charCodeAt(0) && s.startsWith(rightDelim, p);
}

/** Advances over alphanumeric runes from p; returns the end (the first rune that is not one). */
function scanAlphaNumeric(s: string, p: number): number {
  const n = s.length;
  while (p < n) {
    const c = s.charCodeAt(p);
    if (c < 128) {
      if ((CLASS[c] & C_ALNUM) === 0) return p;
      p++;
      continue;
    }
    const r = runeAt(s, p);
    if (!isAlphaNumeric(r)) return p;
    p += r > 0xffff ? 2 : 1;
  }
  return p;
}

/** Whether s has `word` at p (short words: compared by hand, without a native call). */
function same(s: string, p: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (s.charCodeAt(p + i) !== word.charCodeAt(i)) return false;
  return true;
}

/** The token type of the word s[start, end): a keyword's, or Identifier. */
export function keyword(s: string, start: number, end: number, breakOK: boolean, continueOK: boolean): T {
  const len = end - start;
  if (len < 2 || len > 8) return T.Identifier;
  switch (s.charCodeAt(start)) {
    case 98: // b
      if (len === 5 && same(s, start, "block")) return T.Block;
      if (len === 5 && same(s, start, "break")) return breakOK ? T.Break : T.Identifier;
      break;
    case 99: // c
      if (len === 8 && same(s, start, "continue")) return continueOK ? T.Continue : T.Identifier;
      break;
    case 100: // d
      if (len === 6 && same(s, start, "define")) return T.Define;
      break;
    case 101: // e
      if (len === 4 && same(s, start, "else")) return T.Else;
      if (len === 3 && same(s, start, "end")) return T.End;
      break;
    case 102: // f
      if (len === 5 && same(s, start, "false")) return T.Bool;
      break;
    case 105: // i
      if (len === 2 && s.charCodeAt(start + 1) === 102) return T.If;
      break;
    case 110: // n
      if (len === 3 && same(s, start, "nil")) return T.Nil;
      break;
    case 114: // r
      if (len === 5 && same(s, start, "range")) return T.Range;
      break;
    case 116: // t
      if (len === 8 && same(s, start, "template")) return T.Template;
      if (len === 4 && same(s, start, "true")) return T.Bool;
      break;
    case 119: // w
      if (len === 4 && same(s, start, "with")) return T.With;
      break;
  }
  return T.Identifier;
}

/**
 * Go's scanNumber from p; returns the end position, negated minus one when the syntax is bad
 * (the end then includes the offending rune, as Go's error text shows it).
 */
function scanNumber(s: string, p: number): number {
  p = accept(s, p, SIGNS);
  let digits = DEC_DIGITS;
  let q = accept(s, p, ZERO);
  if (q !== p) {
    p = q;
    q = accept(s, p, HEX_PREFIX);
    if (q !== p) digits = HEX_DIGITS;
    else {
      q = accept(s, p, OCT_PREFIX);
      if (q !== p) digits = OCT_DIGITS;
      else {
        q = accept(s, p, BIN_PREFIX);
        if (q !== p) digits = BIN_DIGITS;
      }
    }
    p = q;
  }
  p = acceptRun(s, p, digits);
  q = accept(s, p, DOT);
  if (q !== p) p = acceptRun(s, q, digits);
  if (digits === DEC_DIGITS) {
    q = accept(s, p, DEC_EXP);
    if (q !== p) p = acceptRun(s, accept(s, q, SIGNS), DEC_DIGITS);
  }
  if (digits === HEX_DIGITS) {
    q = accept(s, p, HEX_EXP);
    if (q !== p) p = acceptRun(s, accept(s, q, SIGNS), DEC_DIGITS);
  }
  p = accept(s, p, IMAG);
  if (p < s.length && isAlphaNumeric(runeAt(s, p))) return -(p + runeWidth(s, p)) - 1;
  return p;
}

function accept(s: string, p: number, valid: Uint8Array): number {
  const c = p < s.length ? s.charCodeAt(p) : 128;
  return c < 128 && valid[c] === 1 ? p + 1 : p;
}

function acceptRun(s: string, p: number, valid: Uint8Array): number {
  const n = s.length;
  while (p < n) {
    const c = s.charCodeAt(p);
    if (c >= 128 || valid[c] !== 1) break;
    p++;
  }
  return p;
}

function unterminated(quote: number): string {
  return quote === 34 ? "unterminated quoted string" : "unterminated character constant";
}

/** Go's "bad character" error for the rune at p (the one that is neither alphanumeric nor a terminator). */
function badCharacter(s: string, p: number): string {
  return `bad character ${formatRuneU(runeAt(s, p))}`;
}

/** The lexer's code, kept out of the JIT's top tier for large templates (see parseTemplates). */
export const LEXER_CODE = [
  Lexer,
  isDigit,
  isSpace,
  isAsciiWordChar,
  isTerminatorChar,
  isNumberStop,
  isAsciiAlphaNumeric,
  isAlphaNumeric,
  actionHash,
  runeWidth,
  runeAt,
  atTerminator,
  scanAlphaNumeric,
  same,
  keyword,
  scanNumber,
  accept,
  acceptRun,
];
