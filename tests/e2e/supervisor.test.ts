/**
 * Process-supervisor mode (issue 6) with the compiled binary against the dev server: restarts on a
 * changed environment and none on an unchanged re-render, `never`, the stop signal, the kill
 * timeout, every forwarded signal, exit codes, orphan protection when the agent is SIGKILLed, a
 * missing command, and `template` + `env_template` together.
 *
 * The child is a small sh script that appends one line per event to $OUT (passed through the
 * agent's own environment), so each test reads what the child saw. Real processes and real
 * time: waits are bounded polls on those files / the agent's log, never fixed sleeps, except
 * where a test must prove that something does NOT happen (then it waits for the agent's own log
 * to show the re-render happened first).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { vaultrunBinary } from "../helpers/binary.ts";
import { type DevServer, startDevServer, vault } from "../helpers/devserver.ts";

let server: DevServer;
let dir: string;
let seq = 0;
const running: Subprocess[] = [];

beforeAll(async () => {
  server = await startDevServer();
  dir = mkdtempSync(join(tmpdir(), "vaultrun-sup-"));
  writeFileSync(join(dir, "token"), server.rootToken);
});
afterAll(async () => {
  for (const p of running) p.kill("SIGKILL");
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until(cond: () => boolean, ms = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what} not met in time`);
    await Bun.sleep(10);
  }
}

const read = (p: string) => (existsSync(p) ? readFileSync(p, "utf8") : "");
const lines = (p: string) => read(p).split("\n").filter(Boolean);
const starts = (p: string) => lines(p).filter((l) => l.startsWith("start "));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The child: logs "start <pid> <APP_USER>", then every signal it receives as "sig <NAME>".
 * TERM/INT exit with $TERM_CODE/$INT_CODE unless $IGNORE_TERM is set (then TERM is only logged).
 * With $CFG_FILE it first logs that file's contents ("file …"); $EXIT_WITH / $KILL_SELF make it
 * end on its own at once.
 */
const CHILD = `#!/bin/sh
if [ -n "$CFG_FILE" ]; then echo "file $(cat "$CFG_FILE" 2>/dev/null || echo MISSING)" >> "$OUT"; fi
echo "start $$ $APP_USER" >> "$OUT"
for s in HUP QUIT USR1 USR2 WINCH; do trap "echo sig $s >> \\"\\$OUT\\"" $s; done
if [ -n "$IGNORE_TERM" ]; then
  trap 'echo sig TERM >> "$OUT"' TERM
else
  trap 'echo sig TERM >> "$OUT"; exit \${TERM_CODE:-0}' TERM
fi
trap 'echo sig INT >> "$OUT"; exit \${INT_CODE:-0}' INT
if [ -n "$EXIT_WITH" ]; then exit "$EXIT_WITH"; fi
if [ -n "$KILL_SELF" ]; then kill -"$KILL_SELF" $$; fi
while :; do sleep 0.05; done
`;

interface Started {
  proc: Subprocess<"ignore", "ignore", "pipe">;
  out: string;
  stderr: () => string;
  fetches: () => number;
  key: string;
}

/** Starts `vaultrun agent` on a config made of the auth block, `body` and an exec stanza. */
async function startAgent(body: string, exec: string, env: Record<string, string> = {}): Promise<Started> {
  const n = ++seq;
  const key = `secret/sup${n}`;
  await vault(server, "POST", `secret/data/sup${n}`, { data: { user: "u1", other: "x" } });
  const script = join(dir, "child.sh");
  writeFileSync(script, CHILD);
  chmodSync(script, 0o755);
  const out = join(dir, `out-${n}`);
  const p = join(dir, `sup-${n}.hcl`);
  writeFileSync(
    p,
    `vault { address = "${server.address}" }
auto_auth {
  method "token_file" {
    config { token_file_path = "${dir}/token" }
  }
}
template_config { static_secret_render_interval = "1s" }
env_template "APP_USER" {
  contents = "{{ with secret \\"${key}\\" }}{{ .Data.data.user }}{{ end }}"
}
${body.replaceAll("{{KEY}}", key)}
exec {
  command          = ["${script}"]
  restart_debounce = "100ms"
${exec}
}
`,
  );
  const bin = await vaultrunBinary();
  const proc = Bun.spawn([bin, "agent", `-config=${p}`, "-log-level=trace"], {
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
    env: { PATH: process.env.PATH ?? "", OUT: out, ...env },
  });
  running.push(proc);
  let err = "";
  void (async () => {
    const dec = new TextDecoder();
    for await (const chunk of proc.stderr) err += dec.decode(chunk);
  })();
  const fetches = () =>
    err.split("\n").filter((l) => l.includes("fetched") && l.includes(`secret(${key})`)).length;
  return { proc, out, stderr: () => err, fetches, key };
}

const update = (key: string, user: string) =>
  vault(server, "POST", key.replace("secret/", "secret/data/"), { data: { user, other: "x" } });

describe("supervisor mode (compiled binary)", () => {
  test("restart when the environment changed, none on an unchanged re-render", async () => {
    const a = await startAgent("", "");
    await until(() => starts(a.out).length === 1, 10_000, "first start");
    expect(starts(a.out)[0]).toMatch(/^start \d+ u1$/);
    // Two more re-renders (1 s interval) with the same data: no restart.
    const f = a.fetches();
    await until(() => a.fetches() >= f + 2, 10_000, "two re-renders");
    await Bun.sleep(300); // longer than restart_debounce, so a wrongly scheduled restart would show
    expect(starts(a.out)).toHaveLength(1);
    await update(a.key, "u2");
    await until(() => starts(a.out).length === 2, 10_000, "restart");
    expect(starts(a.out)[1]).toMatch(/^start \d+ u2$/);
    const [oldPid] = starts(a.out)[0]!.split(" ").slice(1).map(Number);
    expect(alive(oldPid!)).toBe(false);
    expect(lines(a.out)).toContain("sig TERM"); // default restart_stop_signal
    a.proc.kill("SIGTERM");
    expect(await a.proc.exited).toBe(0);
  }, 30_000);

  test('restart_on_secret_changes = "never" keeps the child', async () => {
    const a = await startAgent("", `  restart_on_secret_changes = "never"`);
    await until(() => starts(a.out).length === 1);
    await update(a.key, "u2");
    const f = a.fetches();
    await until(() => a.fetches() >= f + 2, 10_000, "re-render with new data");
    await Bun.sleep(300);
    expect(starts(a.out)).toHaveLength(1);
    expect(lines(a.out)).not.toContain("sig TERM");
    a.proc.kill("SIGTERM");
    expect(await a.proc.exited).toBe(0);
  }, 30_000);

  test("restart_stop_signal = SIGINT stops the old child with SIGINT", async () => {
    const a = await startAgent("", `  restart_stop_signal = "SIGINT"`);
    await until(() => starts(a.out).length === 1);
    await update(a.key, "u2");
    await until(() => starts(a.out).length === 2, 10_000, "restart");
    const l = lines(a.out);
    expect(l.indexOf("sig INT")).toBeGreaterThan(0);
    expect(l.indexOf("sig INT")).toBeLessThan(l.indexOf(starts(a.out)[1]!));
    expect(l).not.toContain("sig TERM");
    a.proc.kill("SIGTERM");
    await a.proc.exited;
  }, 30_000);

  test("kill_timeout: a child ignoring SIGTERM is SIGKILLed after it (restart and shutdown)", async () => {
    const a = await startAgent("", `  kill_timeout = "1s"`, { IGNORE_TERM: "1" });
    await until(() => starts(a.out).length === 1);
    const pid1 = Number(starts(a.out)[0]!.split(" ")[1]);
    await update(a.key, "u2");
    await until(() => lines(a.out).includes("sig TERM"), 10_000, "TERM sent");
    const termAt = Date.now();
    await until(() => starts(a.out).length === 2, 10_000, "restart after SIGKILL");
    const waited = Date.now() - termAt;
    expect(waited).toBeGreaterThan(700); // not before the kill timeout…
    expect(waited).toBeLessThan(4000); // …and not Vault's fixed 30 s
    expect(alive(pid1)).toBe(false);
    // Shutdown: the agent forwards TERM, the child ignores it, SIGKILL after 1 s → 128+9.
    const t0 = Date.now();
    a.proc.kill("SIGTERM");
    expect(await a.proc.exited).toBe(137);
    expect(Date.now() - t0).toBeLessThan(4000);
  }, 30_000);

  test("HUP, QUIT, USR1, USR2 and WINCH reach the child; INT ends it and the agent exits with its code", async () => {
    const a = await startAgent("", "", { INT_CODE: "7" });
    await until(() => starts(a.out).length === 1);
    for (const sig of ["SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"] as const) {
      a.proc.kill(sig);
      await until(() => lines(a.out).includes(`sig ${sig.slice(3)}`), 5000, `${sig} forwarded`);
    }
    expect(a.proc.exitCode).toBeNull(); // none of them stopped the agent
    expect(starts(a.out)).toHaveLength(1); // …or restarted the child
    a.proc.kill("SIGINT");
    expect(await a.proc.exited).toBe(7);
    expect(lines(a.out)).toContain("sig INT");
  }, 30_000);

  test("a child that exits on its own: the agent exits with its code (128+N for signal N)", async () => {
    const a = await startAgent("", "", { EXIT_WITH: "3" });
    expect(await a.proc.exited).toBe(3);
    const b = await startAgent("", "", { KILL_SELF: "KILL" });
    expect(await b.proc.exited).toBe(137);
    const d = await startAgent("", "", { KILL_SELF: "ABRT" });
    expect(await d.proc.exited).toBe(134);
  }, 30_000);

  test("no orphan: the child dies when the agent is SIGKILLed", async () => {
    const a = await startAgent("", "");
    await until(() => starts(a.out).length === 1);
    const pid = Number(starts(a.out)[0]!.split(" ")[1]);
    expect(alive(pid)).toBe(true);
    a.proc.kill("SIGKILL");
    await a.proc.exited;
    await until(() => !alive(pid), 5000, "child gone after agent SIGKILL");
  }, 30_000);

  test("a command that does not exist: exit 1 with a clear error", async () => {
    for (const cmd of ["/nonexistent/vaultrun-child", "vaultrun-no-such-command"]) {
      const n = ++seq;
      await vault(server, "POST", `secret/data/sup${n}`, { data: { user: "u1" } });
      const p = join(dir, `missing-${n}.hcl`);
      writeFileSync(
        p,
        `vault { address = "${server.address}" }
auto_auth {
  method "token_file" {
    config { token_file_path = "${dir}/token" }
  }
}
env_template "APP_USER" {
  contents = "{{ with secret \\"secret/sup${n}\\" }}{{ .Data.data.user }}{{ end }}"
}
exec { command = ["${cmd}"] }
`,
      );
      const bin = await vaultrunBinary();
      const proc = Bun.spawn([bin, "agent", `-config=${p}`], {
        stdout: "pipe",
        stderr: "pipe",
        env: { PATH: process.env.PATH ?? "" },
      });
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
      clearTimeout(timer);
      expect(code).toBe(1);
      expect(stderr).toContain(cmd);
      expect(stderr).toMatch(/no such file or directory|not found|executable file not found/i);
    }
  }, 30_000);

  test("template + env_template: files are rendered before the child starts (vaultrun extension)", async () => {
    const file = join(dir, `cfg-${seq + 1}.txt`);
    const a = await startAgent(
      `template {
  destination = "${file}"
  contents    = "{{ with secret \\"{{KEY}}\\" }}file-{{ .Data.data.user }}{{ end }}"
}`,
      "",
      { CFG_FILE: file },
    );
    // The child reads the file as its very first action.
    await until(() => starts(a.out).length === 1);
    expect(lines(a.out)[0]).toBe("file file-u1");
    expect(read(file)).toBe("file-u1");
    a.proc.kill("SIGTERM");
    await a.proc.exited;
  }, 30_000);
});
