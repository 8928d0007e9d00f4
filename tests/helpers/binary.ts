/**
 * The compiled binary for end-to-end tests. Built once per test run (into dist/test/, with
 * --minify but without --bytecode to keep the build quick) and reused by every test file; a
 * lock file keeps parallel test files from building it twice.
 */
import { existsSync, mkdirSync, openSync, closeSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "../..");
export const binaryPath = join(
  root,
  "dist",
  "test",
  process.platform === "win32" ? "vaultrun.exe" : "vaultrun",
);
const lockPath = `${binaryPath}.lock`;
const stampPath = `${binaryPath}.stamp`;
let built: Promise<string> | undefined;

async function build(): Promise<string> {
  mkdirSync(join(root, "dist", "test"), { recursive: true });
  // The first process to take the lock builds; others wait for the stamp.
  const runId = process.env.VAULTRUN_TEST_RUN_ID ?? String(process.ppid);
  for (let i = 0; i < 600; i++) {
    if (
      existsSync(stampPath) &&
      Bun.file(stampPath).size > 0 &&
      (await Bun.file(stampPath).text()) === runId
    ) {
      return binaryPath;
    }
    let fd: number | undefined;
    try {
      fd = openSync(lockPath, "wx");
    } catch {
      // Someone else is building; a lock older than 2 minutes is stale.
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > 120_000) rmSync(lockPath, { force: true });
      } catch {}
      await Bun.sleep(100);
      continue;
    }
    try {
      const proc = Bun.spawn(
        [process.execPath, "build", "--compile", "--minify", join(root, "main.ts"), "--outfile", binaryPath],
        { cwd: root, stdout: "pipe", stderr: "pipe" },
      );
      const code = await proc.exited;
      if (code !== 0) throw new Error(`bun build failed: ${await new Response(proc.stderr).text()}`);
      await Bun.write(stampPath, runId);
      return binaryPath;
    } finally {
      closeSync(fd);
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error("timed out waiting for the test binary build");
}

/** Path of the compiled vaultrun, building it on first use in this test run. */
export function vaultrunBinary(): Promise<string> {
  built ??= build();
  return built;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the compiled binary to completion. */
export async function runBinary(
  args: string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number; stdin?: string } = {},
): Promise<RunResult> {
  const bin = await vaultrunBinary();
  const proc = Bun.spawn([bin, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...opts.env } as Record<
      string,
      string
    >,
    stdout: "pipe",
    stderr: "pipe",
    stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), opts.timeoutMs ?? 20_000);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}
