import { describe, expect, test } from "bun:test";
import { type FlagError, FlagSet, HelpRequested } from "../../src/cli/flags.ts";

function set() {
  return new FlagSet("agent", "vaultrun agent [options]")
    .add({ name: "config", kind: "strings", usage: "config path" })
    .add({ name: "exit-after-auth", kind: "bool", usage: "exit" })
    .add({ name: "log-level", kind: "string", usage: "level", default: "info" })
    .add({ name: "namespace", aliases: ["ns"], kind: "string", usage: "ns" })
    .add({ name: "n", kind: "int", usage: "n" });
}

describe("Go flag semantics", () => {
  test("all spellings of a value flag", () => {
    const p = set().parse([
      "-config=a.hcl",
      "--config",
      "b.hcl",
      "-config",
      "c",
      "--log-level=debug",
      "-ns",
      "x/",
    ]);
    expect(p.values.config).toEqual(["a.hcl", "b.hcl", "c"]);
    expect(p.values["log-level"]).toBe("debug");
    expect(p.values.namespace).toBe("x/");
    expect([...p.set].sort()).toEqual(["config", "log-level", "namespace"]);
  });
  test("booleans take no separate value", () => {
    const p = set().parse(["-exit-after-auth", "false"]);
    expect(p.values["exit-after-auth"]).toBe(true);
    expect(p.args).toEqual(["false"]);
    expect(set().parse(["-exit-after-auth=F"]).values["exit-after-auth"]).toBe(false);
  });
  test("stops at -- and at the first positional", () => {
    expect(set().parse(["--", "-config=x"]).args).toEqual(["-config=x"]);
    expect(set().parse(["pos", "-config=x"]).args).toEqual(["pos", "-config=x"]);
    expect(set().parse(["-", "-config=x"]).args).toEqual(["-", "-config=x"]);
  });
  test("Go's error texts", () => {
    const msg = (argv: string[]) => {
      try {
        set().parse(argv);
      } catch (e) {
        return (e as FlagError).detail;
      }
      return "no error";
    };
    expect(msg(["-nope"])).toBe("flag provided but not defined: -nope");
    expect(msg(["-config"])).toBe("flag needs an argument: -config");
    expect(msg(["-exit-after-auth=maybe"])).toBe(
      'invalid boolean value "maybe" for -exit-after-auth: parse error',
    );
    expect(msg(["---x"])).toBe("bad flag syntax: ---x");
    expect(msg(["-n=abc"])).toBe('invalid value "abc" for flag -n: parse error');
    expect(set().parse(["-n=0x10"]).values.n).toBe(16);
  });
  test("help", () => {
    expect(() => set().parse(["-h"])).toThrow(HelpRequested);
    expect(() => set().parse(["--help"])).toThrow(HelpRequested);
  });
});
