/** plugin (the host side): trimmed args and output, Go's failure texts, the timeout. */
import { describe, expect, test } from "bun:test";
import { runPlugin } from "../../src/child/plugin.ts";

const env = { PATH: process.env.PATH };

describe("plugin", () => {
  test("runs with trimmed, non-empty arguments and returns trimmed stdout", () => {
    expect(runPlugin("printf", ["  [%s|%s]\\n  ", "\n a \n", "   ", "b"], { env })).toBe("[a|b]");
  });

  test("a failing program: exit status with its stdout and stderr", () => {
    expect(() => runPlugin("sh", ["-c", "echo out; echo err >&2; exit 3"], { env })).toThrow(
      'exec "sh": exit status 3\n\nstdout:\n\nout\n\n\nstderr:\n\nerr\n',
    );
  });

  test("a missing program: Go's lookup error", () => {
    expect(() => runPlugin("no-such-plugin-vaultrun", [], { env })).toThrow(
      'exec "no-such-plugin-vaultrun": exec: "no-such-plugin-vaultrun": executable file not found in $PATH',
    );
  });

  test("a program that runs too long is killed", () => {
    const started = Date.now();
    expect(() => runPlugin("sleep", ["5"], { env, timeoutMs: 200 })).toThrow(
      'exec "sleep": did not finish in 0.2s',
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
