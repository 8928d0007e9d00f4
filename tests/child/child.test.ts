import { describe, expect, test } from "bun:test";
import { Child, exitCodeOf } from "../../src/child/child.ts";
import { commandForLog, commandSpec } from "../../src/child/command.ts";
import { Watchdog } from "../../src/child/orphan.ts";
import { FakeClock } from "../../src/clock/clock.ts";
import { alive, memoryLogger } from "./helpers.ts";

describe("Child", () => {
  test("command forms: one string with whitespace → sh -c in its own group; a list → direct", () => {
    expect(commandSpec(["echo hi"])).toEqual({ argv: ["sh", "-c", "echo hi"], group: true });
    expect(commandSpec(["echo", "hi"])).toEqual({ argv: ["echo", "hi"], group: false });
    expect(commandSpec(["true"])).toEqual({ argv: ["true"], group: false });
  });

  test("log form of a command is Consul Template's %q of %q", () => {
    expect(commandForLog(["VAULT_TOKEN=$(cat t) vault token lookup"])).toBe(
      '"[\\"VAULT_TOKEN=$(cat t) vault token lookup\\"]"',
    );
    expect(commandForLog(["a", 'b"c'])).toBe('"[\\"a\\" \\"b\\\\\\"c\\"]"');
  });

  test("exit codes: plain, and 128+N for signal N", () => {
    expect(exitCodeOf(3, null)).toBe(3);
    expect(exitCodeOf(null, "SIGKILL")).toBe(137);
    expect(exitCodeOf(null, "SIGTERM")).toBe(143);
  });

  test("a process group child: the group is signalled, everything is reaped", async () => {
    const { logger, sink } = memoryLogger();
    const c = Child.start({
      command: ["exec sleep 60"],
      env: {},
      pathEnv: process.env.PATH,
      clock: new FakeClock(),
      logger,
      orphanProtection: "off",
    });
    expect(c.group).toBe(true);
    expect(c.running).toBe(true);
    expect(await c.stop("SIGTERM", 1000)).toBe(143);
    expect(c.running).toBe(false);
    expect(alive(c.pid)).toBe(false);
    expect(c.signal("SIGTERM")).toBe(false);
    expect(sink.text()).toContain("(child) spawning: sh -c exec sleep 60");
    expect(sink.text()).toContain("(child) stopping process");
  });

  test("a released watchdog exits (and is reaped) without touching the child", async () => {
    const target = Bun.spawn(["sleep", "60"]);
    const w = new Watchdog(target.pid, false);
    const wpid = w.pid!;
    expect(alive(wpid)).toBe(true);
    await w.release();
    expect(alive(wpid)).toBe(false);
    expect(alive(target.pid)).toBe(true);
    target.kill("SIGKILL");
    await target.exited;
  });

  test("the watchdog of an exited child is gone too", async () => {
    const { logger } = memoryLogger();
    const c = Child.start({
      command: ["sh", "-c", "exit 4"],
      env: {},
      pathEnv: process.env.PATH,
      clock: new FakeClock(),
      logger,
      orphanProtection: "watchdog",
    });
    const wpid = (c as unknown as { watchdog: Watchdog }).watchdog.pid!;
    expect(await c.exited).toBe(4);
    expect(alive(wpid)).toBe(false);
  });
});
