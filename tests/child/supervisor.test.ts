import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { FakeClock } from "../../src/clock/clock.ts";
import { ChildSupervisor } from "../../src/child/supervisor.ts";
import type { ExecConfig } from "../../src/config/types.ts";
import { Logger } from "../../src/log/logger.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultrun-child-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const quiet = Logger.create({ level: "off", sinks: [] });

function exec(command: string[], over: Partial<ExecConfig> = {}): ExecConfig {
  return {
    command,
    restartOnSecretChanges: "always",
    restartStopSignal: "SIGTERM",
    childProcessStdout: "",
    childProcessStderr: "",
    restartDebounce: 2000,
    killTimeout: 30_000,
    reloadSignal: "",
    env: { pristine: false, allowlist: [], denylist: [] },
    ...over,
  };
}

/** An external process changes state on its own schedule: poll, bounded. */
async function eventually<T>(fn: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error("condition not met in time");
    await Bun.sleep(10);
  }
}

function lines(p: string): string[] {
  return existsSync(p) ? readFileSync(p, "utf8").split("\n").filter(Boolean) : [];
}

function exitOf(s: ChildSupervisor): Promise<number> {
  return new Promise((r) => s.onExit(r));
}

// A long-running child that logs its value and the signals it gets.
const LOOP = (log: string) => ["sh", "-c", `echo "start $V" >> ${log}; trap 'echo "got USR1" >> ${log}' USR1; trap 'echo "got HUP" >> ${log}' HUP; trap 'echo term >> ${log}; exit 0' TERM; while :; do sleep 0.02; done`];

describe("child supervisor", () => {
  test("env delivered and exit code propagated", async () => {
    const out = join(dir, "out");
    const s = new ChildSupervisor({ exec: exec(["sh", "-c", `echo "$FOO $INHERITED" > ${out}; exit 7`]), clock: new FakeClock(), logger: quiet, baseEnv: { ...process.env, INHERITED: "yes" } });
    const exited = exitOf(s);
    s.update({ FOO: "bar" });
    expect(await exited).toBe(7);
    expect(readFileSync(out, "utf8")).toBe("bar yes\n");
  });
  test("pristine and allow/deny lists", async () => {
    const out = join(dir, "out");
    const s = new ChildSupervisor({
      exec: exec(["/bin/sh", "-c", `env > ${out}`], { env: { pristine: false, allowlist: ["KEEP_*"], denylist: ["KEEP_NOT"] } }),
      clock: new FakeClock(),
      logger: quiet,
      baseEnv: { KEEP_A: "1", KEEP_NOT: "2", OTHER: "3" },
    });
    const exited = exitOf(s);
    s.update({ R: "x" });
    await exited;
    const env = readFileSync(out, "utf8");
    expect(env).toContain("KEEP_A=1");
    expect(env).toContain("R=x");
    expect(env).not.toContain("KEEP_NOT");
    expect(env).not.toContain("OTHER");
  });
  test("killed by a signal → 128+N", async () => {
    const s = new ChildSupervisor({ exec: exec(["sh", "-c", "kill -9 $$"]), clock: new FakeClock(), logger: quiet, baseEnv: process.env });
    const exited = exitOf(s);
    s.update({});
    expect(await exited).toBe(137);
  });
  test("a command that does not exist is a clear error", async () => {
    const s = new ChildSupervisor({ exec: exec(["no-such-program-xyz"]), clock: new FakeClock(), logger: quiet, baseEnv: process.env });
    const err = new Promise<Error>((r) => s.onError(r));
    s.update({});
    expect((await err).message).toContain('exec: "no-such-program-xyz": executable file not found in $PATH');
  });
  test("restart on change, debounced: 100 updates → one restart with the last value", async () => {
    const log = join(dir, "log");
    const clock = new FakeClock();
    const s = new ChildSupervisor({ exec: exec(LOOP(log)), clock, logger: quiet, baseEnv: process.env });
    s.update({ V: "0" });
    await eventually(() => lines(log).includes("start 0"));
    for (let i = 1; i <= 100; i++) {
      s.update({ V: String(i) });
      await clock.advance(10); // 100 updates within 1 s
    }
    await clock.advance(2000);
    await eventually(() => lines(log).includes("start 100"));
    expect(lines(log).filter((l) => l.startsWith("start"))).toEqual(["start 0", "start 100"]);
    expect(lines(log)).toContain("term");
    await s.stop();
  });
  test("restart_on_secret_changes = never keeps the child", async () => {
    const log = join(dir, "log");
    const clock = new FakeClock();
    const s = new ChildSupervisor({ exec: exec(LOOP(log), { restartOnSecretChanges: "never" }), clock, logger: quiet, baseEnv: process.env });
    s.update({ V: "a" });
    await eventually(() => lines(log).includes("start a"));
    const pid = s.pid;
    s.update({ V: "b" });
    await clock.advance(10_000);
    expect(s.pid).toBe(pid);
    await s.stop();
    expect(lines(log).filter((l) => l.startsWith("start"))).toEqual(["start a"]);
  });
  test("reload_signal signals instead of restarting; forwarded signals reach the child", async () => {
    const log = join(dir, "log");
    const clock = new FakeClock();
    const s = new ChildSupervisor({ exec: exec(LOOP(log), { reloadSignal: "SIGUSR1" }), clock, logger: quiet, baseEnv: process.env });
    s.update({ V: "a" });
    await eventually(() => lines(log).includes("start a"));
    s.update({ V: "b" });
    await clock.advance(2000);
    await eventually(() => lines(log).includes("got USR1"));
    s.signal("SIGHUP");
    await eventually(() => lines(log).includes("got HUP"));
    expect(lines(log).filter((l) => l.startsWith("start"))).toEqual(["start a"]);
    await s.stop();
  });
  test("a child that ignores the stop signal is killed after kill_timeout", async () => {
    const log = join(dir, "log");
    const clock = new FakeClock();
    const s = new ChildSupervisor({
      exec: exec(["sh", "-c", `trap '' TERM; echo up >> ${log}; while :; do sleep 0.02; done`], { killTimeout: 5000 }),
      clock,
      logger: quiet,
      baseEnv: process.env,
    });
    s.update({});
    await eventually(() => lines(log).includes("up"));
    const stopped = s.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await clock.advance(4000);
    expect(done).toBe(false);
    await clock.advance(1000);
    expect(await stopped).toBe(137);
  });
  test("the child does not outlive a SIGKILLed agent", async () => {
    const pidFile = join(dir, "pid");
    const script = join(dir, "parent.ts");
    await Bun.write(
      script,
      `import { ChildSupervisor } from ${JSON.stringify(resolve("src/child/supervisor.ts"))};
import { Logger } from ${JSON.stringify(resolve("src/log/logger.ts"))};
import { systemClock } from ${JSON.stringify(resolve("src/clock/clock.ts"))};
const s = new ChildSupervisor({ exec: { command: ["sh", "-c", "echo $$ > ${pidFile}; exec sleep 60"], restartOnSecretChanges: "always", restartStopSignal: "SIGTERM", childProcessStdout: "", childProcessStderr: "", restartDebounce: 0, killTimeout: 1000, reloadSignal: "", env: { pristine: false, allowlist: [], denylist: [] } }, clock: systemClock, logger: Logger.create({ level: "off", sinks: [] }), baseEnv: process.env });
s.update({});
setInterval(() => {}, 1000);
`,
    );
    const parent = Bun.spawn([process.execPath, script], { stdout: "ignore", stderr: "inherit" });
    const childPid = Number(await eventually(() => (existsSync(pidFile) ? readFileSync(pidFile, "utf8").trim() || undefined : undefined)));
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive(childPid)).toBe(true);
    parent.kill("SIGKILL");
    await parent.exited;
    await eventually(() => !alive(childPid) || undefined);
    expect(alive(childPid)).toBe(false);
  });
});
