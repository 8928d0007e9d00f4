import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeClock } from "../../src/clock/clock.ts";
import { runCommand } from "../../src/render/command.ts";
import { writeFileAtomic } from "../../src/render/file.ts";

const base = { perms: 0, createDestDirs: true, backup: false, user: "", group: "", uid: null, gid: null };
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultrun-render-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("atomic file writes", () => {
  test("new file: 0644 by default, perms when set, parent dirs created", async () => {
    expect(await writeFileAtomic(join(dir, "a/b/out.txt"), "hello", base)).toBe("written");
    expect(readFileSync(join(dir, "a/b/out.txt"), "utf8")).toBe("hello");
    expect(statSync(join(dir, "a/b/out.txt")).mode & 0o777).toBe(0o644);
    await writeFileAtomic(join(dir, "secret.txt"), "s3cret", { ...base, perms: 0o600 });
    expect(statSync(join(dir, "secret.txt")).mode & 0o777).toBe(0o600);
  });
  test("identical bytes are not rewritten; an existing file keeps its mode", async () => {
    const p = join(dir, "f");
    writeFileSync(p, "x");
    chmodSync(p, 0o640);
    const ino = statSync(p).ino;
    expect(await writeFileAtomic(p, "x", base)).toBe("unchanged");
    expect(statSync(p).ino).toBe(ino);
    expect(await writeFileAtomic(p, "y", base)).toBe("written");
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(statSync(p).ino).not.toBe(ino); // replaced by rename, never truncated in place
  });
  test("backup keeps the previous content", async () => {
    const p = join(dir, "f");
    await writeFileAtomic(p, "one", { ...base, backup: true });
    await writeFileAtomic(p, "two", { ...base, backup: true });
    expect(readFileSync(`${p}.bak`, "utf8")).toBe("one");
    expect(readFileSync(p, "utf8")).toBe("two");
  });
  test("create_dest_dirs = false with a missing parent is an error", async () => {
    await expect(writeFileAtomic(join(dir, "nope/f"), "x", { ...base, createDestDirs: false })).rejects.toThrow("parent directory is missing");
  });
  test("a failed write leaves the old file and no temp file", async () => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions: make the destination a directory instead.
      const p = join(dir, "isdir");
      await writeFileAtomic(join(p, "x"), "inner", base);
      await expect(writeFileAtomic(p, "x", base)).rejects.toThrow("failed");
      expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
      return;
    }
    const sub = join(dir, "ro");
    await writeFileAtomic(join(sub, "f"), "old", base);
    chmodSync(sub, 0o500);
    await expect(writeFileAtomic(join(sub, "f"), "new", base)).rejects.toThrow("failed writing file");
    chmodSync(sub, 0o700);
    expect(readFileSync(join(sub, "f"), "utf8")).toBe("old");
  });
  test("missing destination", async () => {
    await expect(writeFileAtomic("", "x", base)).rejects.toThrow("missing destination");
  });
});

describe("template commands", () => {
  test("success, non-zero exit, shell form", async () => {
    const clock = new FakeClock();
    const marker = join(dir, "ran");
    await runCommand([`touch ${marker}`], 30_000, clock);
    expect(existsSync(marker)).toBe(true);
    await expect(runCommand(["sh", "-c", "exit 3"], 30_000, clock)).rejects.toThrow("command exited with a non-zero exit status");
    await expect(runCommand(["/no/such/program"], 30_000, clock)).rejects.toThrow("failed to execute command");
  });
  test("timeout kills the command", async () => {
    const clock = new FakeClock();
    const p = runCommand(["sleep 30"], 5_000, clock);
    await clock.advance(5_000);
    await expect(p).rejects.toThrow("command did not exit within time limit");
  });
});
