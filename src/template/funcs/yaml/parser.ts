/**
 * Tokens → events, with the grammar, state machine and error texts of gopkg.in/yaml.v2's parser
 * (libyaml's): implicit and explicit documents, %YAML/%TAG directives, block and flow
 * collections, indentless sequences under a mapping key, empty scalars for missing nodes.
 * Pull-based, so only as much input is read as the caller asks events for (yaml.v2 stops after
 * the first document and never looks at the rest).
 */
import { type Mark, YamlError } from "./errors.ts";
import { type Scanner, Style, T, type Token } from "./scanner.ts";

export const enum E {
  StreamStart,
  StreamEnd,
  DocumentStart,
  DocumentEnd,
  Alias,
  Scalar,
  SequenceStart,
  SequenceEnd,
  MappingStart,
  MappingEnd,
}

export interface Event {
  type: E;
  start: Mark;
  anchor: string;
  /** Resolved tag ("" when none). */
  tag: string;
  value: string;
  /** Plain scalar without a tag (or with the non-specific "!"); collection without a tag. */
  implicit: boolean;
  quotedImplicit: boolean;
  style: Style;
}

const enum S {
  StreamStart,
  ImplicitDocumentStart,
  DocumentStart,
  DocumentContent,
  DocumentEnd,
  BlockNode,
  BlockNodeOrIndentlessSequence,
  FlowNode,
  BlockSequenceFirstEntry,
  BlockSequenceEntry,
  IndentlessSequenceEntry,
  BlockMappingFirstKey,
  BlockMappingKey,
  BlockMappingValue,
  FlowSequenceFirstEntry,
  FlowSequenceEntry,
  FlowSequenceEntryMappingKey,
  FlowSequenceEntryMappingValue,
  FlowSequenceEntryMappingEnd,
  FlowMappingFirstKey,
  FlowMappingKey,
  FlowMappingValue,
  FlowMappingEmptyValue,
  End,
}

const DEFAULT_TAG_DIRECTIVES: readonly [string, string][] = [
  ["!", "!"],
  ["!!", "tag:yaml.org,2002:"],
];

function event(type: E, start: Mark): Event {
  return {
    type,
    start,
    anchor: "",
    tag: "",
    value: "",
    implicit: false,
    quotedImplicit: false,
    style: Style.Any,
  };
}

export class Parser {
  private state = S.StreamStart;
  private readonly states: S[] = [];
  private readonly marks: Mark[] = [];
  private tagDirectives: [string, string][] = [];

  constructor(private readonly scanner: Scanner) {}

  /** The next event. */
  next(): Event {
    const sc = this.scanner;
    switch (this.state) {
      case S.StreamStart: {
        const tok = sc.peek();
        if (tok.type !== T.StreamStart)
          throw YamlError.parser("did not find expected <stream-start>", tok.start);
        this.state = S.ImplicitDocumentStart;
        sc.skip();
        return event(E.StreamStart, tok.start);
      }
      case S.ImplicitDocumentStart:
        return this.documentStart(true);
      case S.DocumentStart:
        return this.documentStart(false);
      case S.DocumentContent: {
        const tok = sc.peek();
        if (
          tok.type === T.VersionDirective ||
          tok.type === T.TagDirective ||
          tok.type === T.DocumentStart ||
          tok.type === T.DocumentEnd ||
          tok.type === T.StreamEnd
        ) {
          this.state = this.states.pop()!;
          return this.emptyScalar(tok.start);
        }
        return this.node(true, false);
      }
      case S.DocumentEnd: {
        const tok = sc.peek();
        if (tok.type === T.DocumentEnd) sc.skip();
        this.tagDirectives = [];
        this.state = S.DocumentStart;
        return event(E.DocumentEnd, tok.start);
      }
      case S.BlockNode:
        return this.node(true, false);
      case S.BlockNodeOrIndentlessSequence:
        return this.node(true, true);
      case S.FlowNode:
        return this.node(false, false);
      case S.BlockSequenceFirstEntry:
        this.marks.push(sc.peek().start);
        sc.skip();
        return this.blockSequenceEntry();
      case S.BlockSequenceEntry:
        return this.blockSequenceEntry();
      case S.IndentlessSequenceEntry:
        return this.indentlessSequenceEntry();
      case S.BlockMappingFirstKey:
        this.marks.push(sc.peek().start);
        sc.skip();
        return this.blockMappingKey();
      case S.BlockMappingKey:
        return this.blockMappingKey();
      case S.BlockMappingValue:
        return this.blockMappingValue();
      case S.FlowSequenceFirstEntry:
        this.marks.push(sc.peek().start);
        sc.skip();
        return this.flowSequenceEntry(true);
      case S.FlowSequenceEntry:
        return this.flowSequenceEntry(false);
      case S.FlowSequenceEntryMappingKey:
        return this.flowSequenceEntryMappingKey();
      case S.FlowSequenceEntryMappingValue:
        return this.flowSequenceEntryMappingValue();
      case S.FlowSequenceEntryMappingEnd:
        this.state = S.FlowSequenceEntry;
        return event(E.MappingEnd, sc.peek().start);
      case S.FlowMappingFirstKey:
        this.marks.push(sc.peek().start);
        sc.skip();
        return this.flowMappingKey(true);
      case S.FlowMappingKey:
        return this.flowMappingKey(false);
      case S.FlowMappingValue:
        return this.flowMappingValue(false);
      case S.FlowMappingEmptyValue:
        return this.flowMappingValue(true);
      case S.End:
        // libyaml hands out empty events after the end; yaml.v2 never asks for one.
        throw YamlError.fail("attempted to go past the end of stream; corrupted value?");
    }
  }

  private emptyScalar(mark: Mark): Event {
    const ev = event(E.Scalar, mark);
    ev.implicit = true;
    ev.style = Style.Plain;
    return ev;
  }

  private documentStart(implicit: boolean): Event {
    const sc = this.scanner;
    let tok = sc.peek();
    if (!implicit) {
      while (tok.type === T.DocumentEnd) {
        sc.skip();
        tok = sc.peek();
      }
    }
    if (
      implicit &&
      tok.type !== T.VersionDirective &&
      tok.type !== T.TagDirective &&
      tok.type !== T.DocumentStart &&
      tok.type !== T.StreamEnd
    ) {
      this.processDirectives();
      this.states.push(S.DocumentEnd);
      this.state = S.BlockNode;
      return event(E.DocumentStart, tok.start);
    }
    if (tok.type !== T.StreamEnd) {
      const start = tok.start;
      this.processDirectives();
      tok = sc.peek();
      if (tok.type !== T.DocumentStart)
        throw YamlError.parser("did not find expected <document start>", tok.start);
      this.states.push(S.DocumentEnd);
      this.state = S.DocumentContent;
      sc.skip();
      return event(E.DocumentStart, start);
    }
    this.state = S.End;
    sc.skip();
    return event(E.StreamEnd, tok.start);
  }

  private processDirectives(): void {
    const sc = this.scanner;
    let sawVersion = false;
    let tok = sc.peek();
    while (tok.type === T.VersionDirective || tok.type === T.TagDirective) {
      if (tok.type === T.VersionDirective) {
        if (sawVersion) throw YamlError.parser("found duplicate %YAML directive", tok.start);
        if (tok.major !== 1 || tok.minor !== 1)
          throw YamlError.parser("found incompatible YAML document", tok.start);
        sawVersion = true;
      } else {
        this.appendTagDirective(tok.value, tok.prefix, false, tok.start);
      }
      sc.skip();
      tok = sc.peek();
    }
    for (const [handle, prefix] of DEFAULT_TAG_DIRECTIVES)
      this.appendTagDirective(handle, prefix, true, tok.start);
  }

  private appendTagDirective(handle: string, prefix: string, allowDuplicates: boolean, mark: Mark): void {
    for (const [h] of this.tagDirectives) {
      if (h === handle) {
        if (allowDuplicates) return;
        throw YamlError.parser("found duplicate %TAG directive", mark);
      }
    }
    this.tagDirectives.push([handle, prefix]);
  }

  private node(block: boolean, indentlessSequence: boolean): Event {
    const sc = this.scanner;
    let tok = sc.peek();
    if (tok.type === T.Alias) {
      this.state = this.states.pop()!;
      const ev = event(E.Alias, tok.start);
      ev.anchor = tok.value;
      sc.skip();
      return ev;
    }
    let start = tok.start;
    let anchor = "";
    let tagToken: Token | null = null;
    if (tok.type === T.Anchor) {
      anchor = tok.value;
      start = tok.start;
      sc.skip();
      tok = sc.peek();
      if (tok.type === T.Tag) {
        tagToken = tok;
        sc.skip();
        tok = sc.peek();
      }
    } else if (tok.type === T.Tag) {
      tagToken = tok;
      start = tok.start;
      sc.skip();
      tok = sc.peek();
      if (tok.type === T.Anchor) {
        anchor = tok.value;
        sc.skip();
        tok = sc.peek();
      }
    }
    let tag = "";
    if (tagToken !== null) {
      if (tagToken.value === "") tag = tagToken.suffix;
      else {
        const d = this.tagDirectives.find(([h]) => h === tagToken.value);
        if (d !== undefined) tag = d[1] + tagToken.suffix;
        if (tag === "") throw YamlError.parser("found undefined tag handle", tagToken.start, start);
      }
    }
    const implicit = tag === "";
    const collection = (type: E, style: Style, next: S): Event => {
      this.state = next;
      const ev = event(type, start);
      ev.anchor = anchor;
      ev.tag = tag;
      ev.implicit = implicit;
      ev.style = style;
      return ev;
    };
    if (indentlessSequence && tok.type === T.BlockEntry)
      return collection(E.SequenceStart, Style.Any, S.IndentlessSequenceEntry);
    if (tok.type === T.Scalar) {
      this.state = this.states.pop()!;
      const ev = event(E.Scalar, start);
      ev.anchor = anchor;
      ev.tag = tag;
      ev.value = tok.value;
      ev.style = tok.style;
      if ((tag === "" && tok.style === Style.Plain) || tag === "!") ev.implicit = true;
      else if (tag === "") ev.quotedImplicit = true;
      sc.skip();
      return ev;
    }
    if (tok.type === T.FlowSequenceStart)
      return collection(E.SequenceStart, Style.Any, S.FlowSequenceFirstEntry);
    if (tok.type === T.FlowMappingStart) return collection(E.MappingStart, Style.Any, S.FlowMappingFirstKey);
    if (block && tok.type === T.BlockSequenceStart)
      return collection(E.SequenceStart, Style.Any, S.BlockSequenceFirstEntry);
    if (block && tok.type === T.BlockMappingStart)
      return collection(E.MappingStart, Style.Any, S.BlockMappingFirstKey);
    if (anchor !== "" || tag !== "") {
      this.state = this.states.pop()!;
      const ev = event(E.Scalar, start);
      ev.anchor = anchor;
      ev.tag = tag;
      ev.implicit = implicit;
      ev.style = Style.Plain;
      return ev;
    }
    throw YamlError.parser("did not find expected node content", tok.start, start);
  }

  /** Parses the node ahead; `next` is the state to come back to after it. */
  private nodeThen(next: S, block: boolean, indentlessSequence: boolean): Event {
    this.states.push(next);
    return this.node(block, indentlessSequence);
  }

  /** An empty plain scalar at `mark` where a node was left out; then on to `next`. */
  private emptyThen(next: S, mark: Mark): Event {
    this.state = next;
    return this.emptyScalar(mark);
  }

  /** Closes the current collection at `tok` (its end token) and returns to the enclosing state. */
  private endCollection(kind: E.SequenceEnd | E.MappingEnd, tok: Token): Event {
    this.state = this.states.pop()!;
    this.marks.pop();
    this.scanner.skip();
    return event(kind, tok.start);
  }

  /** "did not find expected …" at `tok`, with the start of the collection as the context. */
  private notFound(message: string, tok: Token): YamlError {
    const context = this.marks.pop()!;
    return YamlError.parser(message, tok.start, context);
  }

  private blockSequenceEntry(): Event {
    const sc = this.scanner;
    let tok = sc.peek();
    if (tok.type === T.BlockEntry) {
      const mark = tok.end;
      sc.skip();
      tok = sc.peek();
      if (tok.type !== T.BlockEntry && tok.type !== T.BlockEnd) {
        return this.nodeThen(S.BlockSequenceEntry, true, false);
      }
      return this.emptyThen(S.BlockSequenceEntry, mark);
    }
    if (tok.type === T.BlockEnd) {
      return this.endCollection(E.SequenceEnd, tok);
    }
    throw this.notFound("did not find expected '-' indicator", tok);
  }

  private indentlessSequenceEntry(): Event {
    const sc = this.scanner;
    let tok = sc.peek();
    if (tok.type === T.BlockEntry) {
      const mark = tok.end;
      sc.skip();
      tok = sc.peek();
      if (
        tok.type !== T.BlockEntry &&
        tok.type !== T.Key &&
        tok.type !== T.Value &&
        tok.type !== T.BlockEnd
      ) {
        return this.nodeThen(S.IndentlessSequenceEntry, true, false);
      }
      return this.emptyThen(S.IndentlessSequenceEntry, mark);
    }
    this.state = this.states.pop()!;
    return event(E.SequenceEnd, tok.start);
  }

  private blockMappingKey(): Event {
    const sc = this.scanner;
    let tok = sc.peek();
    if (tok.type === T.Key) {
      const mark = tok.end;
      sc.skip();
      tok = sc.peek();
      if (tok.type !== T.Key && tok.type !== T.Value && tok.type !== T.BlockEnd) {
        return this.nodeThen(S.BlockMappingValue, true, true);
      }
      return this.emptyThen(S.BlockMappingValue, mark);
    }
    if (tok.type === T.BlockEnd) {
      return this.endCollection(E.MappingEnd, tok);
    }
    throw this.notFound("did not find expected key", tok);
  }

  private blockMappingValue(): Event {
    const sc = this.scanner;
    let tok = sc.peek();
    if (tok.type === T.Value) {
      const mark = tok.end;
      sc.skip();
      tok = sc.peek();
      if (tok.type !== T.Key && tok.type !== T.Value && tok.type !== T.BlockEnd) {
        return this.nodeThen(S.BlockMappingKey, true, true);
      }
      return this.emptyThen(S.BlockMappingKey, mark);
    }
    return this.emptyThen(S.BlockMappingKey, tok.start);
  }

  private flowSequenceEntry(first: boolean): Event {
    const sc = this.scanner;
    let tok = sc.peek();
    if (tok.type !== T.FlowSequenceEnd) {
      if (!first) {
        if (tok.type !== T.FlowEntry) {
          throw this.notFound("did not find expected ',' or ']'", tok);
        }
        sc.skip();
        tok = sc.peek();
      }
      if (tok.type === T.Key) {
        // A single-pair mapping inside a flow sequence: [a: 1].
        this.state = S.FlowSequenceEntryMappingKey;
        const ev = event(E.MappingStart, tok.start);
        ev.implicit = true;
        sc.skip();
        return ev;
      }
      if (tok.type !== T.FlowSequenceEnd) {
        return this.nodeThen(S.FlowSequenceEntry, false, false);
      }
    }
    return this.endCollection(E.SequenceEnd, tok);
  }

  private flowSequenceEntryMappingKey(): Event {
    const sc = this.scanner;
    const tok = sc.peek();
    if (tok.type !== T.Value && tok.type !== T.FlowEntry && tok.type !== T.FlowSequenceEnd) {
      return this.nodeThen(S.FlowSequenceEntryMappingValue, false, false);
    }
    const mark = tok.end;
    sc.skip();
    return this.emptyThen(S.FlowSequenceEntryMappingValue, mark);
  }

  private flowSequenceEntryMappingValue(): Event {
    const sc = this.scanner;
    const tok = sc.peek();
    if (tok.type === T.Value) {
      sc.skip();
      const next = sc.peek();
      if (next.type !== T.FlowEntry && next.type !== T.FlowSequenceEnd) {
        return this.nodeThen(S.FlowSequenceEntryMappingEnd, false, false);
      }
    }
    // An empty value (marked, as in yaml.v2, at the ':' token when there was one).
    return this.emptyThen(S.FlowSequenceEntryMappingEnd, tok.start);
  }

  private flowMappingKey(first: boolean): Event {
    const sc = this.scanner;
    let tok = sc.peek();
    if (tok.type !== T.FlowMappingEnd) {
      if (!first) {
        if (tok.type !== T.FlowEntry) {
          throw this.notFound("did not find expected ',' or '}'", tok);
        }
        sc.skip();
        tok = sc.peek();
      }
      if (tok.type === T.Key) {
        sc.skip();
        tok = sc.peek();
        if (tok.type !== T.Value && tok.type !== T.FlowEntry && tok.type !== T.FlowMappingEnd) {
          return this.nodeThen(S.FlowMappingValue, false, false);
        }
        return this.emptyThen(S.FlowMappingValue, tok.start);
      }
      if (tok.type !== T.FlowMappingEnd) {
        return this.nodeThen(S.FlowMappingEmptyValue, false, false);
      }
    }
    return this.endCollection(E.MappingEnd, tok);
  }

  private flowMappingValue(empty: boolean): Event {
    const sc = this.scanner;
    let tok = sc.peek();
    if (empty) {
      return this.emptyThen(S.FlowMappingKey, tok.start);
    }
    if (tok.type === T.Value) {
      sc.skip();
      tok = sc.peek();
      if (tok.type !== T.FlowEntry && tok.type !== T.FlowMappingEnd) {
        return this.nodeThen(S.FlowMappingKey, false, false);
      }
    }
    return this.emptyThen(S.FlowMappingKey, tok.start);
  }
}
