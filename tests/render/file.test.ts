import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger, MemorySink } from "../../src/log/logger.ts";
import { renderFile, writeFileAtomic } from "../../src/render/file.ts";

const base = { perms: 0, createDestDirs: true, backup: false, user: "", group: "", uid: null, gid: null };
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultrun-render-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o7777;
/** The rest of a child's stdout, up to its end. */
async function readRest(r: { read(): Promise<{ value?: Uint8Array; done?: boolean }> }): Promise<string> {
  let text = "";
  const dec = new TextDecoder();
  for (;;) {
    const { value, done } = await r.read();
    if (done) return text;
    text += dec.decode(value, { stream: true });
  }
}
const temps = (d: string) => readdirSync(d).filter((n) => n.endsWith(".tmp"));

describe("renderFile", () => {
  test("new file: 0644 by default, perms when set, parent dirs created 0755", async () => {
    const old = process.umask(0o022);
    try {
      expect(await renderFile({ destination: join(dir, "a/b/out.txt"), contents: "hello" })).toBe("written");
    } finally {
      process.umask(old);
    }
    expect(readFileSync(join(dir, "a/b/out.txt"), "utf8")).toBe("hello");
    expect(mode(join(dir, "a/b/out.txt"))).toBe(0o644);
    expect(mode(join(dir, "a"))).toBe(0o755);
    expect(mode(join(dir, "a/b"))).toBe(0o755);
    await renderFile({ destination: join(dir, "secret.txt"), contents: "s3cret", perms: 0o600 });
    expect(mode(join(dir, "secret.txt"))).toBe(0o600);
    // perms wider than the umask allows are still applied exactly
    const old2 = process.umask(0o077);
    try {
      await renderFile({ destination: join(dir, "wide.txt"), contents: "x", perms: 0o664 });
    } finally {
      process.umask(old2);
    }
    expect(mode(join(dir, "wide.txt"))).toBe(0o664);
  });

  test("perms 0 keeps the existing file's mode, even 0000", async () => {
    const p = join(dir, "f");
    writeFileSync(p, "x");
    chmodSync(p, 0o640);
    expect(await renderFile({ destination: p, contents: "y" })).toBe("written");
    expect(mode(p)).toBe(0o640);
    chmodSync(p, 0o000);
    await renderFile({ destination: p, contents: "z" });
    expect(mode(p)).toBe(0o000);
    await renderFile({ destination: p, contents: "w", perms: 0o600 });
    expect(mode(p)).toBe(0o600);
  });

  test("the temp file is never more readable than the final mode", async () => {
    // Another process lists the directory while we write 0600 files: every temp file it
    // catches must already be 0600 (no window between create and chmod).
    const p = join(dir, "secret");
    const watcher = Bun.spawn([process.execPath, join(import.meta.dir, "fixtures/temp-modes.ts"), dir], {
      stdout: "pipe",
    });
    const out = watcher.stdout.getReader();
    await out.read(); // "watching"
    const old = process.umask(0o022);
    try {
      for (let i = 0; i < 20; i++)
        await renderFile({ destination: p, contents: String(i).repeat(50_000), perms: 0o600 });
    } finally {
      process.umask(old);
    }
    writeFileSync(join(dir, ".stop"), "");
    const text = await readRest(out);
    await watcher.exited;
    const r = JSON.parse(text.trim().split("\n").pop()!) as { seen: number; widest: number };
    expect(r.seen).toBeGreaterThan(0);
    expect(r.widest).toBe(0);
    expect(mode(p)).toBe(0o600);
  });

  test("identical bytes are not rewritten; a change replaces the file by rename", async () => {
    const p = join(dir, "f");
    writeFileSync(p, "x");
    const ino = statSync(p).ino;
    expect(await renderFile({ destination: p, contents: "x" })).toBe("unchanged");
    expect(await renderFile({ destination: p, contents: new TextEncoder().encode("x") })).toBe("unchanged");
    expect(statSync(p).ino).toBe(ino);
    expect(await renderFile({ destination: p, contents: "y" })).toBe("written");
    expect(statSync(p).ino).not.toBe(ino); // replaced, never truncated in place
    expect(temps(dir)).toEqual([]);
  });

  test("backup keeps exactly one .bak with the previous content", async () => {
    const p = join(dir, "f");
    await renderFile({ destination: p, contents: "one", backup: true });
    expect(existsSync(`${p}.bak`)).toBe(false); // nothing to back up yet
    await renderFile({ destination: p, contents: "two", backup: true, perms: 0o600 });
    expect(readFileSync(`${p}.bak`, "utf8")).toBe("one");
    await renderFile({ destination: p, contents: "three", backup: true });
    expect(readFileSync(`${p}.bak`, "utf8")).toBe("two");
    expect(mode(`${p}.bak`)).toBe(0o600);
    expect(readFileSync(p, "utf8")).toBe("three");
    expect(readdirSync(dir).sort()).toEqual(["f", "f.bak"]);
  });

  test("create_dest_dirs = false with a missing parent is an error and creates nothing", async () => {
    await expect(
      renderFile({ destination: join(dir, "nope/f"), contents: "x", createDestDirs: false }),
    ).rejects.toThrow(`failed writing file: parent directory is missing: ${join(dir, "nope")}`);
    expect(existsSync(join(dir, "nope"))).toBe(false);
  });

  test("an unwritable destination is an error; the old file stays, no temp file is left", async () => {
    // Destination is a directory: fails even for root, at the rename after the temp was written.
    const d = join(dir, "isdir");
    mkdirSync(d);
    writeFileSync(join(d, "inner"), "old");
    await expect(renderFile({ destination: d, contents: "new" })).rejects.toThrow(
      `failed writing file: rename ${d}: is a directory`,
    );
    expect(readFileSync(join(d, "inner"), "utf8")).toBe("old");
    expect(temps(dir)).toEqual([]);
    // Parent is a file: fails at the first step.
    writeFileSync(join(dir, "plain"), "keep");
    await expect(
      renderFile({ destination: join(dir, "plain/f"), contents: "x", createDestDirs: false }),
    ).rejects.toThrow("not a directory");
    expect(readFileSync(join(dir, "plain"), "utf8")).toBe("keep");
    if (process.getuid?.() !== 0) {
      const sub = join(dir, "ro");
      await renderFile({ destination: join(sub, "f"), contents: "old" });
      chmodSync(sub, 0o500);
      await expect(renderFile({ destination: join(sub, "f"), contents: "new" })).rejects.toThrow(
        "permission denied",
      );
      chmodSync(sub, 0o700);
      expect(readFileSync(join(sub, "f"), "utf8")).toBe("old");
      expect(temps(sub)).toEqual([]);
    }
  });

  test("errors never carry the contents", async () => {
    const d = join(dir, "isdir");
    mkdirSync(d);
    const err = await renderFile({ destination: d, contents: "TOPSECRET" }).catch((e: Error) => e);
    expect(String((err as Error).message)).not.toContain("TOPSECRET");
  });

  test("user/group: numeric ids are applied, unknown names are clear errors", async () => {
    const p = join(dir, "f");
    await expect(renderFile({ destination: p, contents: "x", user: "no-such-user-xyz" })).rejects.toThrow(
      "user: unknown user no-such-user-xyz",
    );
    await expect(renderFile({ destination: p, contents: "x", group: "no-such-group-xyz" })).rejects.toThrow(
      "group: unknown group no-such-group-xyz",
    );
    expect(existsSync(p)).toBe(false);
    const uid = process.getuid!();
    const gid = process.getgid!();
    await renderFile({ destination: p, contents: "x", uid, gid });
    expect(statSync(p).uid).toBe(uid);
    if (uid === 0) {
      await renderFile({ destination: p, contents: "y", user: "65534", group: "65534" });
      expect([statSync(p).uid, statSync(p).gid]).toEqual([65534, 65534]);
      // Same bytes, wrong owner → rewritten to fix the owner.
      expect(await renderFile({ destination: p, contents: "y", uid: 0, gid: 0 })).toBe("written");
      expect(statSync(p).uid).toBe(0);
    }
  });

  test("logs Vault's rendered line when given a logger", async () => {
    const sink = new MemorySink();
    const logger = Logger.create({ level: "info", sinks: [sink] });
    await writeFileAtomic(join(dir, "f"), "x", base, logger, "in.tpl");
    await renderFile({ destination: join(dir, "g"), contents: "x", logger });
    await renderFile({ destination: join(dir, "g"), contents: "x", logger }); // unchanged: no line
    expect(sink.text()).toContain(`(runner) rendered "in.tpl" => "${join(dir, "f")}"`);
    expect(sink.text().match(/rendered "\(dynamic\)"/g)?.length).toBe(1);
  });

  test("a reader in another process never sees a partial file", async () => {
    const p = join(dir, "f");
    const size = 512 * 1024;
    await renderFile({ destination: p, contents: "A".repeat(size) });
    const reader = Bun.spawn(
      [process.execPath, join(import.meta.dir, "fixtures/reader.ts"), p, String(size)],
      { stdout: "pipe" },
    );
    const out = reader.stdout.getReader();
    await out.read(); // "reading": the loop has begun
    for (let i = 0; i < 60; i++)
      await renderFile({ destination: p, contents: (i % 2 ? "A" : "B").repeat(size) });
    writeFileSync(`${p}.stop`, "");
    const text = await readRest(out);
    await reader.exited;
    const r = JSON.parse(text.trim().split("\n").pop()!) as { reads: number; partial: number };
    expect(r.reads).toBeGreaterThan(10);
    expect(r.partial).toBe(0);
  });

  test("missing destination", async () => {
    await expect(renderFile({ destination: "", contents: "x" })).rejects.toThrow("missing destination");
  });

  test("a hard-linked destination: the other link keeps the old bytes (rename, not rewrite)", async () => {
    const p = join(dir, "f");
    writeFileSync(p, "old");
    linkSync(p, join(dir, "other"));
    await renderFile({ destination: p, contents: "new" });
    expect(readFileSync(join(dir, "other"), "utf8")).toBe("old");
  });
});
