import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChildSupervisor } from "../../src/child/supervisor.ts";
import { FakeClock } from "../../src/clock/clock.ts";
import { alive, eventually, execConfig, lines, memoryLogger } from "./helpers.ts";

let dir: string;
const supervisors: ChildSupervisor[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultrun-child-"));
});
afterEach(async () => {
  for (const s of supervisors.splice(0)) await s.stop("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function supervisor(
  command: string[],
  over: Parameters<typeof execConfig>[1] = {},
  extra: Partial<ConstructorParameters<typeof ChildSupervisor>[0]> = {},
) {
  const clock = new FakeClock();
  const { logger, sink } = memoryLogger();
  const s = new ChildSupervisor({
    exec: execConfig(command, over),
    clock,
    logger,
    baseEnv: process.env,
    ...extra,
  });
  supervisors.push(s);
  return { s, clock, sink };
}

function exitOf(s: ChildSupervisor): Promise<number> {
  return new Promise((r) => s.onExit(r));
}

// A long-running child that logs its environment value and every signal it gets.
function looping(log: string): string[] {
  const traps = ["HUP", "USR1", "USR2", "QUIT", "WINCH", "INT"]
    .map((s) => `trap 'echo got ${s} >> ${log}' ${s}`)
    .join("; ");
  return [
    "sh",
    "-c",
    `echo "start $V" >> ${log}; ${traps}; trap 'echo term >> ${log}; exit 0' TERM; while :; do sleep 0.01; done`,
  ];
}

const starts = (log: string) => lines(log).filter((l) => l.startsWith("start"));

describe("environment", () => {
  test("rendered values are delivered, override inherited ones, and the exit code propagates", async () => {
    const out = join(dir, "out");
    const { s, sink } = supervisor(
      ["sh", "-c", `echo "$FOO $INHERITED $SHADOWED" > ${out}; exit 7`],
      {},
      {
        baseEnv: { ...process.env, INHERITED: "yes", SHADOWED: "inherited" },
      },
    );
    const exited = exitOf(s);
    s.update({ FOO: "bar", SHADOWED: "rendered" });
    expect(await exited).toBe(7);
    expect(readFileSync(out, "utf8")).toBe("bar yes rendered\n");
    expect(sink.text()).toContain("(child) spawning: sh -c echo");
  });

  test("pristine, allowlist and denylist globs", async () => {
    const out = join(dir, "out");
    const cmd = ["/bin/sh", "-c", `env > ${out}`];
    const base = { KEEP_A: "1", KEEP_NOT: "2", OTHER: "3", PATH: process.env.PATH };
    const filtered = supervisor(
      cmd,
      { env: { pristine: false, allowlist: ["KEEP_*"], denylist: ["KEEP_N?T"] } },
      { baseEnv: base },
    ).s;
    let exited = exitOf(filtered);
    filtered.update({ R: "x" });
    await exited;
    const env = readFileSync(out, "utf8").split("\n");
    expect(env).toContain("KEEP_A=1");
    expect(env).toContain("R=x");
    expect(env.some((l) => l.startsWith("KEEP_NOT=") || l.startsWith("OTHER="))).toBe(false);

    const pristine = supervisor(
      cmd,
      { env: { pristine: true, allowlist: [], denylist: [] } },
      { baseEnv: base },
    ).s;
    exited = exitOf(pristine);
    pristine.update({ ONLY: "me" });
    await exited;
    const env2 = readFileSync(out, "utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("PWD=") && !l.startsWith("SHLVL=") && !l.startsWith("_="));
    expect(env2).toEqual(["ONLY=me"]);
  });

  test("a NUL byte in a value is a clear start error that names no value", async () => {
    const { s } = supervisor(["true"]);
    await expect(s.start({ BAD: "sec\0ret" })).rejects.toThrow(
      "invalid environment variable BAD: contains a NUL byte",
    );
  });
});

describe("exit codes and start errors", () => {
  test("killed by signal N → 128+N", async () => {
    const { s } = supervisor(["sh", "-c", "kill -9 $$"]);
    const exited = exitOf(s);
    s.update({});
    expect(await exited).toBe(137);
  });

  test("exit 0 is reported too, and a later update does not start a new child", async () => {
    const log = join(dir, "log");
    const { s, clock } = supervisor(["sh", "-c", `echo start >> ${log}`], { restartDebounce: 0 });
    const exited = exitOf(s);
    s.update({ V: "1" });
    expect(await exited).toBe(0);
    s.update({ V: "2" });
    await clock.advance(10_000);
    expect(clock.pendingTimers()).toBe(0);
    expect(s.running).toBe(false);
    expect(lines(log)).toEqual(["start"]);
  });

  test("missing, non-executable and directory commands are clear errors, never crashes", async () => {
    const cases: Array<[string[], string, Record<string, string | undefined>?]> = [
      [
        ["no-such-program-xyz"],
        'unable to restart the child process: error starting the child process: exec: "no-such-program-xyz": executable file not found in $PATH',
      ],
      [["/no/such/program"], "fork/exec /no/such/program: no such file or directory"],
    ];
    const script = join(dir, "script.sh");
    writeFileSync(script, "#!/bin/sh\nexit 0\n");
    chmodSync(script, 0o644);
    cases.push([[script], `fork/exec ${script}: permission denied`]);
    // Not executable on PATH → "not found in $PATH", as Go's LookPath says.
    cases.push([["script.sh"], 'exec: "script.sh": executable file not found in $PATH', { PATH: dir }]);
    mkdirSync(join(dir, "adir"));
    cases.push([[join(dir, "adir")], `fork/exec ${join(dir, "adir")}: permission denied`]);
    cases.push([[""], "exec: no command"]);
    for (const [command, message, baseEnv] of cases) {
      const { s, sink } = supervisor(command, {}, baseEnv ? { baseEnv } : {});
      const reported = new Promise<Error>((r) => s.onError(r));
      s.update({});
      expect((await reported).message).toContain(message);
      expect(sink.text()).toContain(message);
      expect(await s.stop()).toBeUndefined();
    }
  });

  test("child_process_stdout/stderr are appended to files created 0644", async () => {
    const out = join(dir, "out.log");
    const err = join(dir, "err.log");
    writeFileSync(out, "before\n");
    const { s } = supervisor(["sh", "-c", "echo to-out; echo to-err >&2"], {
      childProcessStdout: out,
      childProcessStderr: err,
    });
    const exited = exitOf(s);
    const old = process.umask(0o022);
    try {
      s.update({});
    } finally {
      process.umask(old);
    }
    await exited;
    expect(readFileSync(out, "utf8")).toBe("before\nto-out\n");
    expect(readFileSync(err, "utf8")).toBe("to-err\n");
    expect(statSync(err).mode & 0o777).toBe(0o644);
  });

  test("an unopenable output file is a clear error", async () => {
    const { s } = supervisor(["true"], { childProcessStdout: join(dir, "missing/out.log") });
    await expect(s.start({})).rejects.toThrow(
      `could not open "${join(dir, "missing/out.log")}", open ${join(dir, "missing/out.log")}: no such file or directory`,
    );
  });
});

describe("restarts", () => {
  test("debounced: 100 updates within 1 s → one restart, with the newest values", async () => {
    const log = join(dir, "log");
    const { s, clock, sink } = supervisor(looping(log));
    s.update({ V: "0" });
    await eventually(() => starts(log).length === 1);
    for (let i = 1; i <= 100; i++) {
      s.update({ V: String(i) });
      await clock.advance(10);
    }
    expect(starts(log)).toEqual(["start 0"]);
    await clock.advance(2000);
    await eventually(() => starts(log).length === 2);
    expect(starts(log)).toEqual(["start 0", "start 100"]);
    expect(lines(log)).toContain("term");
    expect(sink.text()).toContain("stopping process");
  });

  test("an identical environment does not restart", async () => {
    const log = join(dir, "log");
    const { s, clock } = supervisor(looping(log));
    s.update({ V: "a", W: "b" });
    await eventually(() => starts(log).length === 1);
    const pid = s.pid;
    s.update({ W: "b", V: "a" });
    await clock.advance(10_000);
    expect(clock.pendingTimers()).toBe(0);
    expect(s.pid).toBe(pid);
  });

  test("restart_on_secret_changes = never keeps the child", async () => {
    const log = join(dir, "log");
    const { s, clock, sink } = supervisor(looping(log), { restartOnSecretChanges: "never" });
    s.update({ V: "a" });
    await eventually(() => starts(log).length === 1);
    const pid = s.pid;
    s.update({ V: "b" });
    await clock.advance(10_000);
    expect(s.pid).toBe(pid);
    expect(sink.text()).toContain("detected update, but not restarting process");
    await s.stop();
    expect(starts(log)).toEqual(["start a"]);
  });

  test("reload_signal signals the child instead of restarting it", async () => {
    const log = join(dir, "log");
    const { s, clock } = supervisor(looping(log), { reloadSignal: "SIGUSR1" });
    s.update({ V: "a" });
    await eventually(() => starts(log).length === 1);
    s.update({ V: "b" });
    await clock.advance(2000);
    await eventually(() => lines(log).includes("got USR1"));
    expect(starts(log)).toEqual(["start a"]);
  });

  test("restart_stop_signal is what the child gets", async () => {
    const log = join(dir, "log");
    const { s, clock } = supervisor(
      [
        "sh",
        "-c",
        `echo "start $V" >> ${log}; trap 'echo got USR2 >> ${log}; exit 0' USR2; while :; do sleep 0.01; done`,
      ],
      { restartStopSignal: "SIGUSR2", restartDebounce: 0 },
    );
    s.update({ V: "a" });
    await eventually(() => starts(log).length === 1);
    s.update({ V: "b" });
    await clock.advance(0);
    await eventually(() => starts(log).length === 2);
    expect(lines(log)).toEqual(["start a", "got USR2", "start b"]);
  });

  test("a child that ignores the stop signal is SIGKILLed after kill_timeout, not before", async () => {
    const log = join(dir, "log");
    const { s, clock } = supervisor(
      ["sh", "-c", `trap 'echo ignored >> ${log}' TERM; echo up >> ${log}; while :; do sleep 0.01; done`],
      { killTimeout: 5000 },
    );
    s.update({});
    await eventually(() => lines(log).includes("up"));
    const pid = s.pid!;
    let done = false;
    const stopped = s.stop().then((c) => {
      done = true;
      return c;
    });
    await eventually(() => lines(log).includes("ignored"));
    await clock.advance(4999);
    expect(done).toBe(false);
    expect(alive(pid)).toBe(true);
    await clock.advance(1);
    expect(await stopped).toBe(137);
    expect(existsSync(`/proc/${pid}`)).toBe(false); // reaped, not a zombie
  });

  test("stopping an sh -c child stops its whole process group", async () => {
    const log = join(dir, "log");
    const { s } = supervisor([`sleep 60 & echo $! >> ${log}; echo $$ >> ${log}; wait`]);
    s.update({});
    const [grandchild, shell] = (await eventually(() => lines(log).length === 2 && lines(log))).map(Number);
    expect(alive(grandchild!)).toBe(true);
    expect(await s.stop()).toBe(143);
    expect(alive(shell!)).toBe(false);
    await eventually(() => !alive(grandchild!), 5000, "grandchild gone");
  });

  test("stop during a pending debounce starts nothing new", async () => {
    const log = join(dir, "log");
    const { s, clock } = supervisor(looping(log));
    s.update({ V: "a" });
    await eventually(() => starts(log).length === 1);
    s.update({ V: "b" });
    expect(await s.stop()).toBe(0);
    await clock.advance(5000);
    expect(s.running).toBe(false);
    expect(starts(log)).toEqual(["start a"]);
  });

  test("stop while a restart waits for the old child: no new child, the old one's code", async () => {
    const log = join(dir, "log");
    const { s, clock } = supervisor(
      [
        "sh",
        "-c",
        `echo "start $V" >> ${log}; trap 'echo slow-term >> ${log}' TERM; while :; do sleep 0.01; done`,
      ],
      { restartDebounce: 0, killTimeout: 1000 },
    );
    s.update({ V: "a" });
    await eventually(() => starts(log).length === 1);
    s.update({ V: "b" });
    await clock.advance(0); // the restart is now waiting for a child that ignores TERM
    await eventually(() => lines(log).includes("slow-term"));
    const stopped = s.stop();
    await clock.advance(1000);
    expect(await stopped).toBe(137);
    expect(s.running).toBe(false);
    expect(starts(log)).toEqual(["start a"]);
  });
});

describe("a child that keeps dying", () => {
  test("with restartOnExit it is restarted with exponential backoff, never in a spin", async () => {
    const log = join(dir, "log");
    const { s, clock } = supervisor(
      ["sh", "-c", `echo start >> ${log}; exit 3`],
      {},
      { restartOnExit: true, backoff: { initialMs: 1000, maxMs: 4000 } },
    );
    let reported = 0;
    s.onExit(() => reported++);
    s.update({});
    const delays: number[] = [];
    for (let n = 1; n <= 5; n++) {
      await eventually(() => starts(log).length === n && !s.running && clock.pendingTimers() === 1);
      delays.push(clock.nextTimerIn()!);
      await clock.advance(clock.nextTimerIn()! - 1);
      expect(starts(log).length).toBe(n); // not a millisecond early
      await clock.advance(1);
    }
    expect(delays).toEqual([1000, 2000, 4000, 4000, 4000]);
    expect(reported).toBe(0);
  });

  test("a child that lived long enough restarts at once and resets the backoff", async () => {
    const log = join(dir, "log");
    const go = join(dir, "go");
    // Each child dies when the test says so, after the fake time the test chose.
    const cmd = [
      "sh",
      "-c",
      `echo start >> ${log}; while [ ! -e ${go} ]; do sleep 0.01; done; rm -f ${go}; exit 3`,
    ];
    const { s, clock } = supervisor(
      cmd,
      {},
      { restartOnExit: true, backoff: { initialMs: 1000, resetAfterMs: 500 } },
    );
    s.update({});
    await eventually(() => starts(log).length === 1);
    writeFileSync(go, "");
    await eventually(() => clock.pendingTimers() === 1);
    expect(clock.nextTimerIn()).toBe(1000); // died young
    await clock.advance(1000);
    await eventually(() => starts(log).length === 2);
    await clock.advance(600);
    writeFileSync(go, "");
    await eventually(() => clock.pendingTimers() === 1);
    expect(clock.nextTimerIn()).toBe(0); // lived 600 ms ≥ 500 ms
  });
});
