/**
 * Differential fuzzer for the template engine: an earlier version of it against the working tree,
 * on generated templates, comparing parse errors, render output and errors, and the secrets used
 * and missing, over two passes. A change that is meant not to alter behaviour (a speed-up, a
 * refactor) must show no difference. Not part of `npm test`: run it for such changes.
 *
 *   scripts/fuzz/old-engine.sh REV                # the engine at REV in /tmp/vaultrun-old-engine
 *   bun scripts/fuzz/template-diff.ts [count] [seed] [oldDir] [newDir]
 *
 * GEN picks the generator: unset, random templates of every construct, about half of them broken;
 * GEN=simple, templates of mostly simple actions (the parser's path without tokens), a few broken;
 * GEN=ctx, the same actions repeated under different dots (the action cache's shared pipelines).
 * A bug planted on purpose in the parser shows up within 20,000 templates of the fitting
 * generator; run all three.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Secret, PemEncoded } from "../../src/template/secret.ts";
import type * as NEWT from "../../src/template/index.ts";
import { GoNil, GoTyped, typedMap, typedSlice, GoStruct } from "../../src/template/value.ts";
import { JsonNumber } from "../../src/common/json.ts";

const GEN = process.env.GEN ?? "";
const count = Number(process.argv[2] ?? 200000);
const seed = Number(process.argv[3] ?? 1);
const oldDir = resolve(process.argv[4] ?? "/tmp/vaultrun-old-engine");
const newDir = resolve(process.argv[5] ?? resolve(import.meta.dir, "../.."));
const NEW: typeof NEWT = await import(`${newDir}/src/template/index.ts`);
const { createFuncs: newCreateFuncs } = await import(`${newDir}/src/template/funcs/index.ts`);
const OLD = await import(`${oldDir}/src/template/index.ts`);
const { createFuncs: oldCreateFuncs } = await import(`${oldDir}/src/template/funcs/index.ts`);

// --- PRNG ---------------------------------------------------------------------------------------
let state = seed >>> 0;
function rand(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ri = (n: number) => Math.floor(rand() * n);
const pick = <T>(a: readonly T[]): T => a[ri(a.length)];
const chance = (p: number) => rand() < p;

// --- generator ----------------------------------------------------------------------------------
let L = "{{";
let clean = false;
const GOOD_FUNCS = [
  "printf",
  "print",
  "println",
  "len",
  "index",
  "slice",
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "and",
  "or",
  "not",
  "html",
  "js",
  "urlquery",
  "toUpper",
  "toLower",
  "split",
  "join",
  "toJSON",
  "parseJSON",
  "secret",
  "secrets",
  "pkiCert",
  "env",
  "trimSpace",
  "replaceAll",
  "contains",
  "scratch",
  "parseInt",
  "toYAML",
  "add",
  "multiply",
  "base64Encode",
  "indent",
  "trim",
  "toTitle",
  "parseBool",
  "executeTemplate",
  "call",
];
const CLEAN_NUMS = [
  "0",
  "1",
  "2",
  "3",
  "42",
  "-1",
  "+1",
  "0x1F",
  "0o17",
  "0b101",
  "017",
  "1_000",
  "1e3",
  "1.5",
  ".5",
  "1i",
  "1+2i",
  "0x1p-2",
  "18446744073709551615",
  "3.0",
  "'a'",
  "'\\n'",
  "'日'",
];
const CLEAN_STRINGS = [
  '"x"',
  '"hello world"',
  '""',
  '"a\\nb"',
  '"\\x41"',
  '"%d"',
  '"%s %v"',
  '"%q"',
  '"%5.2f|%x|%T"',
  '"kv/a"',
  '"secret/missing"',
  '"a,b,c"',
  '","',
  '"日本"',
  '"a"',
  '"data"',
  '"username"',
  '"7"',
  '"true"',
  '`{"a":1,"l":[1,"x",true,null],"m":{"z":2,"a":[]}}`',
  "`raw`",
  "`multi\nline`",
];
const fn = () => (clean ? pick(GOOD_FUNCS) : pick(FUNCS));
let R = "}}";

const TEXTS = [
  "",
  "a",
  "hello ",
  " ",
  "\n",
  "  \n\t",
  "a\nb",
  "日本",
  "😀",
  "{",
  "}",
  "-",
  "x{y",
  "}x",
  "\r\n",
  "\u0085",
  "\u00a0",
  "\t",
  "line\n",
  "  ",
  "{ {",
  "*/",
  "/*",
  "$",
  "é",
  "\n\n",
  "\v",
  "\f",
];
const FIELDS = [
  "A",
  "b",
  "Data",
  "data",
  "username",
  "x",
  "Key",
  "metadata",
  "version",
  "tags",
  "RequestID",
  "LeaseDuration",
  "Renewable",
  "Warnings",
  "Auth",
  "ClientToken",
  "Cert",
  "CAChain",
  "Equals",
  "CaChainContains",
  "goType",
  "missing",
  "n",
  "list",
  "m",
  "Ünï",
  "_x",
  "x1",
  "port",
  "nested",
  "nil",
  "f",
  "s",
];
// Every function of the clean templates, and some that fail, are not defined, or are keywords.
const FUNCS = [
  ...GOOD_FUNCS,
  "parseFloat",
  "subtract",
  "divide",
  "sprig_upper",
  "data",
  "fail",
  "half",
  "break",
  "continue",
  "nofunc",
  "unknownFn",
  "timestamp",
  "byKey",
  "explode",
  "regexMatch",
  "in",
  "containsAny",
];
const NUMS = [
  "0",
  "1",
  "2",
  "3",
  "42",
  "-1",
  "+1",
  "0x1F",
  "0X1f",
  "0o17",
  "0O7",
  "0b101",
  "0B1",
  "017",
  "08",
  "1_000",
  "1__0",
  "0x_1",
  "0_1",
  "1e3",
  "1E-3",
  "1.5",
  "1.5e-3",
  ".5",
  "5.",
  "0x1p-2",
  "0x1.8p1",
  "0x1p",
  "1i",
  "2.5i",
  "1+2i",
  "1-2i",
  "0x",
  "1e",
  "1e+",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775808",
  "-9223372036854775809",
  "18446744073709551615",
  "18446744073709551616",
  "1e400",
  "-0",
  "0.0",
  "00",
  "0x10.8p0",
  "1_",
  "0b2",
  "0o8",
  "1.2.3",
  "1e3i",
  "0i",
  "-0x10",
  "+0b1",
  "1a",
  "3.0",
  "1e10",
  "0xFFp0",
  "1p3",
  "0xg",
];
const CHARS = [
  "'a'",
  "'\\n'",
  "'\\x41'",
  "'\\u00e9'",
  "'\\U0001F600'",
  "'ab'",
  "''",
  "'\\'",
  "'日'",
  "'😀'",
  "'\\''",
  "'\"'",
  "'\\z'",
  "'\\400'",
  "'\\101'",
  "'\\ud800'",
  "'a",
  "'\n'",
];
const STRINGS = [
  '"\ud800"',
  '"a\udc00"',
  '"é"',
  '"\u00e9\r"',
  '"x"',
  '"hello world"',
  '""',
  '"a\\nb"',
  '"\\t"',
  '"\\x41"',
  '"\\u00e9"',
  '"\\U0001F600"',
  '"\\z"',
  '"%d"',
  '"%s %v"',
  '"%q"',
  '"%5.2f|%x|%T"',
  '"kv/a"',
  '"kv/b"',
  '"secret/missing"',
  '"a,b,c"',
  '","',
  '"\\""',
  '"日本"',
  '"😀"',
  '"unterminated',
  '"bad\nnewline"',
  '"%!"',
  '"%[2]d %[1]d"',
  '"a"',
  '"b"',
  '"data"',
  '"username"',
  '"\\xff"',
  '"\\377"',
  '"\\8"',
  '"{\\"a\\":[1,2,{\\"b\\":null}],\\"c\\":1.5}"',
  '"7"',
  '"-3"',
  '"true"',
  '"1e3"',
  '"x=y"',
  '"k"',
  '"pki/issue/x"',
  '"HOME"',
];
const RAWS = [
  "`a\r\nb`",
  "`\r`",
  "`\ud800x`",
  "`é\r`",
  "`raw`",
  "``",
  "`multi\nline`",
  '`{"a":1,"l":[1,"x",true,null],"m":{"z":2,"a":[]}}`',
  "`unterminated",
  "`%s-%d`",
  "`\\n`",
  "`日本`",
  "`a: 1\nb: [x, y]`",
];
const VARS = ["$", "$x", "$y", "$i", "$v", "$k", "$undefined", "$x.A", "$.Data", "$v.data", "$_", "$é"];
const JUNK = [
  "@",
  "#",
  "&",
  "~",
  "\\",
  ";",
  "^",
  "?",
  "[",
  "]",
  "{",
  "}",
  "\u0000",
  "\u0007",
  "\u200b",
  "é",
  "日",
  "😀",
  "\u00ad",
  "!",
  "%",
  "*",
  "<",
  ">",
  "\ud800",
  "=",
  ":=",
  ":",
  ",",
  "|",
  "(",
  ")",
  ".",
  "..",
  "-",
  "+",
];

function sp(): string {
  const r = rand();
  if (r < 0.55) return " ";
  if (r < 0.75) return "";
  if (r < 0.85) return "  ";
  if (r < 0.92) return "\n";
  return pick(["\t", "\r", " \n ", "\r\n"]);
}
function fieldChain(): string {
  let s = "";
  const n = 1 + ri(3);
  for (let i = 0; i < n; i++) s += `.${pick(FIELDS)}`;
  return s;
}
function operand(depth: number, small = false): string {
  const r = rand();
  if (!clean && r < 0.03)
    return (
      pick([
        "..x",
        '"a".b',
        "1.x",
        "nil.x",
        "true.y",
        ".5.x",
        "$.x",
        "(.).y",
        "'a'.b",
        "`r`.c",
        "1i.x",
        "print.x",
        "(1).x.y",
      ]) + pick(["", " ", "\n ", " \n  ", "\n"])
    );
  if (small && r < 0.5)
    return pick(["0", "1", "2", "3", "-1", "5", ".list", "$v", '"abc"', "nil", ".", "true"]);
  if (r < 0.14) return fieldChain();
  if (r < 0.22) return ".";
  if (r < 0.32)
    return (
      (clean ? pick(["$", "$x", "$y", "$i", "$v", "$k", "$.Data", "$k.Data.data"]) : pick(VARS)) +
      (chance(0.2) ? fieldChain() : "")
    );
  if (clean && r < 0.69) return r < 0.45 ? pick(CLEAN_NUMS) : pick(CLEAN_STRINGS);
  if (r < 0.42) return small ? pick(["0", "1", "2", "3", "-1"]) : pick(NUMS);
  if (r < 0.47) return pick(CHARS);
  if (r < 0.6) return pick(STRINGS);
  if (r < 0.65) return pick(RAWS);
  if (r < 0.69) return pick(["true", "false", "nil"]);
  if (r < 0.8 && depth < 3) {
    const inner = `(${sp()}${pipeline(depth + 1)}${sp()})`;
    return chance(0.25) ? inner + fieldChain() : inner;
  }
  if (r < 0.97 || clean) return fn();
  return pick(JUNK);
}
function command(depth: number, small = false): string {
  const r = rand();
  if (r < 0.45) {
    // function call
    let s = fn();
    const ARITY: Record<string, number> = {
      len: 1,
      ne: 2,
      lt: 2,
      le: 2,
      gt: 2,
      ge: 2,
      not: 1,
      toUpper: 1,
      toLower: 1,
      split: 2,
      join: 2,
      toJSON: 1,
      parseJSON: 1,
      secret: 1,
      secrets: 1,
      pkiCert: 1,
      contains: 2,
      add: 2,
      multiply: 2,
      trimSpace: 1,
      env: 1,
      replaceAll: 3,
      parseInt: 1,
      parseBool: 1,
      toYAML: 1,
      base64Encode: 1,
      indent: 2,
      trim: 2,
      toTitle: 1,
      executeTemplate: 1,
      index: 2,
      slice: 2,
      eq: 2,
      printf: 2,
    };
    const n = clean && s in ARITY && chance(0.8) ? ARITY[s] : ri(4);
    for (let i = 0; i < n; i++) s += ` ${sp()}${operand(depth, small)}`;
    return s;
  }
  if (r < 0.55) {
    let s = fieldChain();
    if (chance(0.2)) s += ` ${operand(depth)}`;
    return s;
  }
  let s = operand(depth, small);
  if (chance(0.1)) s += ` ${operand(depth, small)}`;
  return s;
}
function pipeline(depth: number, ctx = "", small = false): string {
  let s = "";
  const r = rand();
  if (clean) {
    if (r < 0.15) s += `${pick(["$x", "$y", "$z"])} ${pick([":=", "="])} `;
    else if (r < 0.3 && ctx === "range") s += `${pick(["$i, $v", "$a", "$i, $v"])} ${pick([":=", "="])} `;
    s += command(depth, small);
    if (chance(0.25))
      s += ` | ${pick(["print", "printf `%q`", "len", "toUpper", 'printf "%v"', "html", "eq 1", ".A", "not", "toJSON", "urlquery"])}`;
    return s;
  }
  if (r < 0.12) s += `$x ${pick([":=", "=", ":=", ""])} `;
  else if (r < 0.2 && ctx === "range") s += `$i, $v ${pick([":=", "=", ":="])} `;
  else if (r < 0.23) s += `${pick(VARS)}${pick([",", " ,", ""])} ${pick(VARS)} ${pick([":=", "="])} `;
  else if (r < 0.25) s += `$k := `;
  s += command(depth, small);
  const n = chance(0.25) ? ri(3) : 0;
  for (let i = 0; i < n; i++) s += `${sp()}|${sp()}${command(depth, small)}`;
  return s;
}
function open(): string {
  if (clean) return L + (chance(0.15) ? "- " : "") + pick(["", " ", "  ", "\n"]);
  return L + (chance(0.15) ? "- " : chance(0.03) ? "-" : "") + sp();
}
function close(): string {
  if (clean) return pick(["", " ", "  ", "\n"]) + (chance(0.15) ? " -" : "") + R;
  return sp() + (chance(0.15) ? " -" : chance(0.02) ? "-" : "") + R;
}
function act(body: string): string {
  return open() + body + close();
}
const ALL_DEFINE_NAMES = ['"a"', '"b"', '"t"', '""', '"x y"', "`raw`", '"T"'];
// Never the top-level template's own name: {{template}} of it would recurse (a template bomb).
let DEFINE_NAMES = ALL_DEFINE_NAMES;

function block(depth: number, inRange: boolean, budget: { n: number }, inDefine = false): string {
  let s = "";
  const n = 1 + ri(5);
  for (let i = 0; i < n && budget.n > 0; i++) {
    budget.n--;
    const r = rand();
    if (r < 0.22)
      s += clean
        ? pick(["a", "hello ", "\n", " ", "x\ny", "日本"])
        : pick(TEXTS) + (chance(0.3) ? pick(TEXTS) : "");
    else if (r < 0.5) s += act(pipeline(0));
    else if (r < 0.6 && depth < 4) {
      const kind = pick(["if", "with", "range", "range", "if"]);
      s += act(`${kind} ${pipeline(0, kind, kind === "range")}`);
      s += block(depth + 1, inRange || kind === "range", budget, inDefine);
      if (chance(0.3)) {
        if (chance(0.3) && kind !== "range") s += act(`else ${kind} ${pipeline(0, kind)}`);
        else s += act("else");
        s += block(depth + 1, inRange, budget, inDefine);
      }
      if (chance(0.95)) s += act("end");
    } else if (r < 0.65) {
      const c = clean
        ? pick(["/* c */", "/**/", "/* multi\nline */"])
        : pick(["/* c */", "/**/", "/* multi\nline */", "/* x", "/* a */ x", "/*c*/", "/* */ ", " /* c */"]);
      s += L + (chance(0.3) ? "- " : "") + c + (chance(0.3) ? " -" : "") + R;
    } else if (r < 0.7 && clean)
      s += inRange && depth > 0 ? act(pick(["break", "continue"])) : act(pipeline(0));
    else if (r < 0.7) s += act(pick(["break", "continue"]) + (chance(0.1) ? " x" : ""));
    else if (r < 0.76 && depth === 0) {
      s +=
        act(`define ${pick(DEFINE_NAMES)}`) +
        block(depth + 1, false, budget, true) +
        (chance(0.95) ? act("end") : "");
    } else if (r < 0.82) {
      s += act(`template ${inDefine ? '"zz"' : pick(DEFINE_NAMES)}${chance(0.5) ? ` ${pipeline(0)}` : ""}`);
    } else if (r < 0.85) {
      s +=
        act(`block ${pick(DEFINE_NAMES)} ${pipeline(0)}`) +
        block(depth + 1, false, budget, true) +
        act("end");
    } else if (clean) s += act(pipeline(0));
    else if (r < 0.88)
      s += act(
        pick([
          "end",
          "else",
          "",
          " ",
          "-",
          "if",
          "range",
          "with",
          "define",
          "template",
          "block",
          "else if 1",
        ]),
      );
    else if (r < 0.92) {
      // junk action
      let b = "";
      const k = 1 + ri(4);
      for (let j = 0; j < k; j++) b += pick([...JUNK, pick(FUNCS), operand(0), " "]);
      s += act(b);
    } else if (r < 0.95) s += act(`${pick(VARS)} ${pick(["=", ":="])} ${command(0)}`);
    else if (r < 0.97) s += pick([L, R, `${L}-`, `-${R}`, L + sp(), `${L}/*`, `${L}"`, `${L}(`, `${L})`]);
    else s += act(`${command(0)} ${command(0)}`);
  }
  return s;
}

// GEN=simple: templates of mostly simple actions (what Parser.directAction reads), a few perturbed.
const S_SP = [" ", " ", " ", " ", "", "  ", "\t", "\r", " \t", " ", " ", "\n"];
const S_OPS = [
  ".",
  ".x",
  ".A.b",
  ".Data.data.username",
  ".list",
  ".m.k",
  "._",
  ".x1.y2.z3",
  "0",
  "1",
  "42",
  "999999999",
  "1234567890",
  "007",
  "3.5",
  '"x"',
  '"%d"',
  '"%v-%v"',
  '"a b"',
  '"a}}b"',
  '"é"',
  '""',
  "true",
  "false",
  "nil",
  "len",
  "print",
  "html",
  "toUpper",
  "2",
  "7",
  "100",
  '"abc"',
  '"%s"',
  "true",
  "false",
];
const S_JUNK = [
  "12a",
  ".a.",
  ".5",
  "..x",
  "$x",
  "(1)",
  "x.y",
  '"a".b',
  "1.x",
  "print.x",
  ".é",
  "nofunc",
  "-1",
  "'a'",
  "`r`",
];
const S_FUNCS = [
  "print",
  "printf",
  "len",
  "index",
  "eq",
  "ne",
  "lt",
  "not",
  "and",
  "or",
  "html",
  "js",
  "toUpper",
  "slice",
  "println",
  "print",
  "printf",
];
function simpleOperand(): string {
  return chance(0.015) ? pick(S_JUNK) : pick(S_OPS);
}
function simplePipeline(): string {
  let s = "";
  const n = chance(0.75) ? 1 : 2 + ri(2);
  for (let c = 0; c < n; c++) {
    if (c > 0) s += pick([" | ", "|", " |", "| ", "  |  "]);
    if (c > 0 || chance(0.55)) {
      s += pick(S_FUNCS);
      const k = ri(4);
      for (let i = 0; i < k; i++) s += (chance(0.03) ? "" : pick([" ", " ", "  ", "\t"])) + simpleOperand();
    } else s += simpleOperand() + (chance(0.1) ? ` ${simpleOperand()}` : "");
  }
  return s;
}
function simpleAct(body: string): string {
  return (
    L +
    (chance(0.2) ? pick(["- ", "- ", "-\t", "-", "-\n"]) : "") +
    pick(S_SP) +
    body +
    pick(S_SP) +
    (chance(0.2) ? pick([" -", " -", "\t-", "-"]) : "") +
    R
  );
}
function simpleBlock(depth: number, budget: { n: number }): string {
  let s = "";
  const n = 1 + ri(6);
  for (let i = 0; i < n && budget.n > 0; i++) {
    budget.n--;
    const r = rand();
    if (r < 0.3) s += pick(["a", " ", "\n", "x = ", "  \n", "yes", "é", "-"]);
    else if (r < 0.7) s += simpleAct(simplePipeline());
    else if (r < 0.88 && depth < 4) {
      const kind = pick(["if", "with", "range", "if"]);
      s += simpleAct(`${kind}${chance(0.03) ? "" : pick([" ", " ", "  ", "\t"])}${simplePipeline()}`);
      s += simpleBlock(depth + 1, budget);
      if (chance(0.35)) {
        s += simpleAct(
          chance(0.15) && kind !== "range"
            ? `else ${kind} ${simplePipeline()}`
            : chance(0.97)
              ? "else"
              : "elsex",
        );
        s += simpleBlock(depth + 1, budget);
      }
      if (chance(0.97)) s += simpleAct(chance(0.97) ? "end" : pick(["end.x", "end 1"]));
    } else if (r < 0.89)
      s += simpleAct(pick(["end", "else", "", "if", "break", 'template "x"', "/* c */", 'define "d"']));
    else s += simpleAct(simplePipeline());
  }
  return s;
}

function mutate(s: string): string {
  const n = 1 + ri(3);
  for (let i = 0; i < n; i++) {
    const at = ri(s.length + 1);
    const r = rand();
    if (r < 0.4) s = s.slice(0, at) + s.slice(at + 1 + ri(3));
    else if (r < 0.8)
      s = s.slice(0, at) + pick([...JUNK, ...TEXTS, L, R, " ", "-", "\n", '"', "`", "'"]) + s.slice(at);
    else s = s.slice(0, at);
  }
  return s;
}

// --- environment ----------------------------------------------------------------------------------
function makeSecret(): Secret {
  return Secret.fromVault({
    request_id: "req",
    lease_id: "",
    lease_duration: 30,
    renewable: false,
    data: {
      data: { username: "app", password: "hunter2", port: new JsonNumber("5432"), tags: ["a", "b"], n: null },
      metadata: { version: new JsonNumber("3"), destroyed: false },
    },
    warnings: null,
  } as never);
}
const deps: NEWT.Dependencies = {
  secret: (path: string) => (path.includes("missing") ? undefined : makeSecret()),
  secrets: (path: string) => (path === "" ? undefined : ["a", "b/"]),
  pkiCert: (path: string) =>
    path.includes("missing") ? undefined : new PemEncoded("CERT", "KEY", "CA", ["c1", "c2"]),
};
const host: NEWT.TemplateHost = {
  env: (n: string) => (n === "HOME" ? "/home/x" : undefined),
  environ: () => ({ HOME: "/home/x" }),
  readFile: (p: string) => {
    throw new Error(`open ${p}: no such file or directory`);
  },
  now: () => 1700000000000,
};

class Thing extends GoStruct {
  readonly goType = "*main.Thing";
  override readonly goFields = ["A", "b", "list", "m"];
  override readonly goMethods = ["Method", "Fn"];
  A = 1n;
  b = "bee";
  list = ["x", "y", "z"];
  m = typedMap("string", { k: "v", a: "b" });
  Method = { signature: "func(string) string", fn: ((s: string) => `m:${s}`) as never };
  Fn(...a: unknown[]) {
    return a.length;
  }
}

function customFuncs(create: (ctx: NEWT.FuncContext) => NEWT.FuncMap) {
  return (ctx: NEWT.FuncContext): NEWT.FuncMap => ({
    ...create(ctx),
    data: {
      signature: "func() interface {}",
      fn: () => ({
        A: 1n,
        b: "x",
        list: [1n, "two", 3.5, null, true],
        m: { z: 1n, a: [] },
        nested: { x: { y: "deep" } },
        nilmap: new GoNil("map[string]interface {}"),
        ptr: new GoNil("*main.T"),
        typed: new GoTyped("int64", 5n),
        strs: typedSlice("string", ["p", "q"]),
        thing: new Thing(),
        f: 2.5,
        s: "日本😀",
      }),
    },
    fail: {
      signature: "func() (string, error)",
      fn: () => {
        throw new Error("boom");
      },
    },
    half: { signature: "func(float64) float64", fn: ((x: number) => x / 2) as never },
    break: { signature: "func() string", fn: () => "brk" },
    thing: { signature: "func() *main.Thing", fn: () => new Thing() },
  });
}
const customNew = customFuncs(newCreateFuncs);
const customOld = customFuncs(oldCreateFuncs);

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}|${(e as { phase?: string }).phase ?? ""}|${e.message}`;
  return `THROWN ${String(e)}`;
}

function run(
  engine: typeof NEWT,
  text: string,
  opts: NEWT.CompileOptions,
  funcs: unknown,
  exec: boolean,
): string {
  let t: NEWT.CompiledTemplate;
  try {
    t = funcs ? engine.compile(text, opts, funcs as never) : engine.compile(text, opts);
  } catch (e) {
    return `PARSE ${describeError(e)}`;
  }
  if (!exec) return "OK";
  const outs: string[] = [];
  for (let pass = 0; pass < 2; pass++) {
    try {
      const r = t.execute(deps, host);
      outs.push(
        `OUT ${JSON.stringify(r.output)} ${r.complete} ${r.used.map((u) => u.key).join(",")} ${r.missing.map((u) => u.key).join(",")}`,
      );
    } catch (e) {
      outs.push(`EXEC ${describeError(e)}`);
    }
  }
  return outs.join("\n");
}

// --- main loop ---------------------------------------------------------------------------------
let diffs = 0;
let parseErrs = 0;
let execErrs = 0;
let oks = 0;
const t0 = performance.now();
for (let iter = 0; iter < count; iter++) {
  const caseSeed = state;
  const delimMode = rand();
  if (delimMode < 0.85 || GEN === "ctx") [L, R] = ["{{", "}}"];
  else
    [L, R] = pick([
      ["<<", ">>"],
      ["[[", "]]"],
      ["{%", "%}"],
      ["(", ")"],
      ["{{{", "}}}"],
      ["«", "»"],
      ["<", ">"],
      ["-", "-"],
      ["|", "|"],
      ["😀", "😀"],
      ["${", "}"],
    ]);
  clean = chance(0.5);
  const topName = pick(["", "t", "a", "my tmpl", "x/y.tpl", "日本"]);
  DEFINE_NAMES = ALL_DEFINE_NAMES.filter((n) => n.slice(1, -1) !== topName);
  let text = GEN === "simple" ? simpleBlock(0, { n: 4 + ri(14) }) : block(0, false, { n: 4 + ri(12) });
  if (GEN === "ctx") {
    const DOTS = [
      "data",
      "data.m",
      "data.list",
      "data.nested",
      "data.thing",
      "data.nilmap",
      "data.ptr",
      "data.typed",
      "data.s",
      "data.f",
      "data.strs",
      "1",
      '"str"',
      "true",
      "data.A",
      "data.nested.x",
    ];
    const ACTS = [
      ".A",
      ".b",
      ".m",
      ".x",
      ".y",
      ".list",
      "len .",
      "len .list",
      'index . "k"',
      "index . 1",
      'printf "%d" .A',
      'printf "%s" .',
      '.Method "q"',
      ".Fn 1 2",
      "toUpper .",
      "toJSON .",
      ".z",
      "eq . 1",
      "slice . 1",
      "print . .A",
      ". | len",
      ".nested.x.y",
      "not .",
      "and . .A",
      'index .m "k"',
      "html .",
      "js .",
      "urlquery .",
      "toYAML .",
      'printf "%q" .b',
      "add 1 .",
      "trimSpace .",
      'split . ","',
      'contains "a" .',
      "parseInt .",
    ];
    const acts = Array.from({ length: 1 + ri(4) }, () => pick(ACTS));
    const T2 = ["", " ", "\n", "x", "a\nb", "  \n"];
    const actText = (a: string) => L + pick([" ", "", "- "]) + a + pick([" ", "", " -"]) + R;
    let out = "";
    const segs = 1 + ri(6);
    for (let i = 0; i < segs; i++) {
      const kw = pick(["with", "with", "range", "if"]);
      const head = kw === "if" ? "data" : "data." + pick(DOTS).replace(/^data\.?/, "");
      out += pick(T2) + L + " " + kw + " " + (head.endsWith(".") ? head.slice(0, -1) : head) + " " + R;
      const n = 1 + ri(4);
      for (let j = 0; j < n; j++) out += pick(T2) + actText(pick(acts));
      if (chance(0.2)) out += L + " else " + R + pick(T2) + actText(pick(acts));
      out += pick(T2) + L + " end " + R;
    }
    text = out;
    clean = true;
  }
  if (GEN === "simple") {
    if (chance(0.08)) text = mutate(text);
  } else if (clean)
    text =
      act("$x := 1") + act('$y := "s"') + act("$i := 0") + act("$v := .") + act("$k := secret `kv/a`") + text;
  else if (chance(0.2)) text = mutate(text);
  if (chance(0.4)) text = text.repeat(2 + ri(3));
  else if (chance(0.3)) text = text + mutate(text);
  else if (chance(0.2)) text = mutate(text + text);
  if (chance(0.0005)) text = `${L}define "r"${R}x${L}template "r" .${R}${L}end${R}${L}template "r"${R}`;
  const opts: NEWT.CompileOptions = {
    name: topName,
    errorOnMissingKey: chance(0.3),
  };
  if ((L !== "{{" || chance(0.02)) && GEN !== "ctx") {
    opts.leftDelim = L === "{{" && chance(0.5) ? "" : L;
    opts.rightDelim = R;
  }
  if (chance(0.05)) opts.functionDenylist = [pick(["env", "*", "to*", "secret", "print*", "fail"])];
  const custom = chance(0.5) || GEN === "ctx";
  // Unbounded loops are possible only with huge range counts; skip exec for those.
  const exec = process.env.PARSEONLY !== "1" && !(/range/.test(text) && /[0-9a-fA-F_]{5,}|loop/.test(text));
  if (process.env.TRACE) writeFileSync("/tmp/fuzzlast.txt", JSON.stringify(text));
  const a = run(OLD, text, opts, custom ? customOld : undefined, exec);
  const b = run(NEW, text, opts, custom ? customNew : undefined, exec);
  if (a.startsWith("PARSE")) {
    parseErrs++;
    if (process.env.SHOWERR && clean)
      console.log(
        process.env.SHOWERR === "2"
          ? JSON.stringify(text) + " " + a
          : a.replace(/^.*?: [^:]*:\d+: /, "").slice(0, 60),
      );
  } else if (a.includes("EXEC")) {
    execErrs++;
    if (process.env.SHOWEXEC) console.log(a.replace(/^.*?: [^:]*:\d+:\d+: /, "").slice(0, 90));
  } else {
    oks++;
    if (process.env.SHOWOK) console.log(text, "=>", a.slice(0, 300));
  }
  if (a !== b) {
    diffs++;
    if (diffs <= 20) {
      console.log(
        `DIFF #${diffs} (case seed ${caseSeed}) text=${JSON.stringify(text)} opts=${JSON.stringify(opts)} custom=${custom}`,
      );
      console.log(`  old: ${a}`);
      console.log(`  new: ${b}`);
    }
  }
  if ((iter + 1) % 20000 === 0)
    console.log(`${iter + 1} done, ${diffs} diffs, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
console.log(
  `templates: ${count}, differences: ${diffs} (parse errors ${parseErrs}, exec errors ${execErrs}, rendered ${oks})`,
);
process.exit(diffs === 0 ? 0 : 1);
