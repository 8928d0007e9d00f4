import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeClock } from "../../src/clock/clock.ts";
import { Logger, MemorySink } from "../../src/log/logger.ts";
import { executeCommand, executingLine, runCommand } from "../../src/render/command.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultrun-cmd-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("template commands", () => {
  test("shell form and list form; exit code and output captured", async () => {
    const clock = new FakeClock();
    const marker = join(dir, "ran");
    await runCommand([`touch ${marker} && test -e ${marker}`], 30_000, clock);
    expect(existsSync(marker)).toBe(true);
    const r = await executeCommand({
      command: ["sh", "-c", "echo out; echo err >&2; exit 3"],
      timeoutMs: 30_000,
      clock,
      output: "capture",
    });
    expect(r).toEqual({ exitCode: 3, timedOut: false, output: expect.stringContaining("out\n") });
    expect(r.output).toContain("err\n");
  });

  test("failures in Consul Template's words", async () => {
    const clock = new FakeClock();
    await expect(runCommand(["sh", "-c", "exit 3"], 30_000, clock)).rejects.toThrow(
      'failed to execute command "sh -c exit 3": command exited with a non-zero exit status (3)',
    );
    await expect(runCommand(["no-such-program-xyz"], 30_000, clock)).rejects.toThrow(
      'failed to execute command "no-such-program-xyz": exec: "no-such-program-xyz": executable file not found in $PATH',
    );
    const script = join(dir, "s.sh");
    writeFileSync(script, "#!/bin/sh\n");
    chmodSync(script, 0o644);
    await expect(runCommand([script], 30_000, clock)).rejects.toThrow(
      `fork/exec ${script}: permission denied`,
    );
    await expect(runCommand([], 30_000, clock)).rejects.toThrow("empty command");
  });

  test("the environment is the one given (PATH lookup included)", async () => {
    const r = await executeCommand({
      command: ["sh", "-c", 'echo "$VAULT_ADDR"'],
      timeoutMs: 30_000,
      clock: new FakeClock(),
      env: { PATH: process.env.PATH, VAULT_ADDR: "http://127.0.0.1:8200" },
      output: "capture",
    });
    expect(r.output).toBe("http://127.0.0.1:8200\n");
  });

  test("timeout kills the whole group at the deadline, not before", async () => {
    const clock = new FakeClock();
    const pidFile = join(dir, "pids");
    const p = executeCommand({ command: [`sleep 60 & echo $! > ${pidFile}; wait`], timeoutMs: 5000, clock });
    for (let i = 0; i < 500 && !(existsSync(pidFile) && readFileSync(pidFile, "utf8").trim()); i++)
      await Bun.sleep(5);
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    let settled = false;
    void p.then(() => (settled = true));
    await clock.advance(4999);
    expect(settled).toBe(false);
    await clock.advance(1);
    const r = await p;
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(137);
    for (let i = 0; i < 500 && alive(grandchild); i++) await Bun.sleep(5);
    expect(alive(grandchild)).toBe(false);
  });

  test("runCommand reports a timeout as Consul Template does", async () => {
    const clock = new FakeClock();
    const p = runCommand(["sleep 30"], 5_000, clock);
    const outcome = p.then(
      () => "resolved",
      (e: Error) => e.message,
    );
    await clock.advance(5_000);
    expect(await outcome).toBe(
      'failed to execute command "sleep 30": command did not exit within time limit',
    );
  });

  test("log lines as Vault's runner prints them", async () => {
    const sink = new MemorySink();
    const logger = Logger.create({ level: "info", sinks: [sink] });
    await executeCommand({
      command: ["true ; true"],
      timeoutMs: 1000,
      clock: new FakeClock(),
      logger,
      template: { source: "", destination: "/x/out" },
    });
    expect(sink.text()).toContain(
      '(runner) executing command "[\\"true ; true\\"]" from "(dynamic)" => "/x/out"',
    );
    expect(sink.text()).toContain("(child) spawning: sh -c true ; true");
    expect(executingLine(["a", "b"], "in.tpl", "out")).toBe(
      '(runner) executing command "[\\"a\\" \\"b\\"]" from "in.tpl" => "out"',
    );
  });
});
