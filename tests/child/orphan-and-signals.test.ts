/**
 * The supervisor inside a real agent-like process (fixtures/agent-like.ts): signals sent to that
 * process reach the child, INT/TERM make it exit with the child's code, and a SIGKILL of it
 * leaves no child behind — by setpriv's pdeathsig, and by the watchdog alone (macOS's path).
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventEmitter } from "node:events";
import { setprivBinary } from "../../src/child/orphan.ts";
import { FORWARDED_SIGNALS, forwardSignals } from "../../src/child/signals.ts";
import { ChildSupervisor } from "../../src/child/supervisor.ts";
import { FakeClock } from "../../src/clock/clock.ts";
import { alive, eventually, execConfig, LineReader, lines, memoryLogger } from "./helpers.ts";

const FIXTURE = join(import.meta.dir, "fixtures/agent-like.ts");
let dir: string;
const spawned: Array<{ kill(sig?: number | NodeJS.Signals): void }> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultrun-orphan-"));
});
afterEach(() => {
  for (const p of spawned.splice(0)) p.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function agentLike(cfg: { command: string[]; protection?: string; restartOnce?: boolean }) {
  const proc = Bun.spawn([process.execPath, FIXTURE], {
    env: { ...process.env, VR_FIXTURE: JSON.stringify(cfg) },
    stdout: "pipe",
    stderr: "inherit",
  });
  spawned.push(proc);
  return { proc, out: new LineReader(proc.stdout) };
}

// The child prints its own pid (and a grandchild's) on the stdout it shares with the agent.
const DIRECT = ["sh", "-c", "echo child $$; exec sleep 60"];
const SHELL_WITH_GRANDCHILD = ["sleep 60 & echo grandchild $!; echo child $$; wait"];

describe("no orphan after the agent is SIGKILLed", () => {
  const modes = [...(setprivBinary() ? ["auto"] : []), "watchdog"];
  for (const protection of modes) {
    test(`${protection}: a directly exec'd child`, async () => {
      const { proc, out } = agentLike({ command: DIRECT, protection });
      const child = Number((await out.next(/^child (\d+)/))[1]);
      await out.next(/^ready/);
      expect(alive(child)).toBe(true);
      proc.kill("SIGKILL");
      await proc.exited;
      // The child shares the stdout pipe: it closes only when every holder is gone.
      await out.end(5000);
      await eventually(() => !alive(child), 2000, "child gone");
    });

    test(`${protection}: an sh -c child and its grandchild, after a restart`, async () => {
      const { proc, out } = agentLike({ command: SHELL_WITH_GRANDCHILD, protection, restartOnce: true });
      // First generation, then the restarted one: the watchdog of a later child must not be
      // kept alive by descriptors leaked into it.
      let pids: number[] = [];
      for (let gen = 0; gen < 2; gen++) {
        const grandchild = Number((await out.next(/^grandchild (\d+)/))[1]);
        const child = Number((await out.next(/^child (\d+)/))[1]);
        await out.next(/^ready/);
        pids = [child, grandchild];
      }
      expect(pids.every(alive)).toBe(true);
      proc.kill("SIGKILL");
      await proc.exited;
      await out.end(5000);
      await eventually(() => !pids.some(alive), 2000, "child and grandchild gone");
    });
  }

  test("the off mode really leaves an orphan (so the tests above can fail)", async () => {
    const { proc, out } = agentLike({ command: DIRECT, protection: "off" });
    const child = Number((await out.next(/^child (\d+)/))[1]);
    await out.next(/^ready/);
    proc.kill("SIGKILL");
    await proc.exited;
    await expect(out.end(300)).rejects.toThrow("stream still open");
    expect(alive(child)).toBe(true);
    process.kill(child, "SIGKILL");
    await out.end(5000);
  });
});

describe("signal forwarding", () => {
  test("every forwarded signal reaches the child; TERM makes the agent exit with the child's code", async () => {
    const traps = ["HUP", "QUIT", "USR1", "USR2", "WINCH", "INT"]
      .map((s) => `trap 'echo got ${s}' ${s}`)
      .join("; ");
    const { proc, out } = agentLike({
      command: [
        "sh",
        "-c",
        `${traps}; trap 'echo got TERM; exit 42' TERM; echo child $$; while :; do sleep 0.01; done`,
      ],
    });
    await out.next(/^child \d+/);
    await out.next(/^ready/);
    for (const sig of ["SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"] as const) {
      proc.kill(sig);
      await out.next(new RegExp(`^got ${sig.slice(3)}$`));
    }
    proc.kill("SIGTERM");
    await out.next(/^got TERM$/);
    expect(await proc.exited).toBe(42);
  });

  test("INT: forwarded, and the exit code is the child's (130 when INT kills it)", async () => {
    const { proc, out } = agentLike({ command: ["sh", "-c", "echo child $$; exec sleep 60"] });
    await out.next(/^child \d+/);
    await out.next(/^ready/);
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(130);
  });

  test("in process: the full signal set, and the handlers come off", async () => {
    const log = join(dir, "log");
    const { logger } = memoryLogger();
    const s = new ChildSupervisor({
      exec: execConfig([
        "sh",
        "-c",
        `${["HUP", "QUIT", "USR1", "USR2", "WINCH"].map((x) => `trap 'echo ${x} >> ${log}' ${x}`).join("; ")}; trap 'echo INT >> ${log}; exit 5' INT; echo up >> ${log}; while :; do sleep 0.01; done`,
      ]),
      clock: new FakeClock(),
      logger,
      baseEnv: process.env,
    });
    const source = new EventEmitter();
    let shutdown: [string, number | undefined] | undefined;
    const uninstall = forwardSignals(s, { source, onShutdown: (sig, code) => (shutdown = [sig, code]) });
    expect(FORWARDED_SIGNALS.every((sig) => source.listenerCount(sig) === 1)).toBe(true);
    await s.start({});
    await eventually(() => lines(log).includes("up"));
    for (const sig of ["SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"]) {
      source.emit(sig);
      await eventually(() => lines(log).includes(sig.slice(3)), 5000, sig);
    }
    source.emit("SIGINT");
    await eventually(() => shutdown);
    expect(shutdown).toEqual(["SIGINT", 5]);
    uninstall();
    expect(FORWARDED_SIGNALS.some((sig) => source.listenerCount(sig) > 0)).toBe(false);
  });
});
