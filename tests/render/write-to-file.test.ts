/**
 * writeToFile (the host side): Consul Template's rules — octal mode set exactly, parents created,
 * append/newline, symlinked directory or target refused (also when raced: O_NOFOLLOW), owner by
 * name or number, Go's error texts. Engine-side argument handling is tested through templates.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeToFile } from "../../src/render/write-to-file.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultrun-w2f-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (s: string) => new TextEncoder().encode(s);
const req = (path: string, content: string, extra: Partial<Parameters<typeof writeToFile>[0]> = {}) => ({
  path,
  user: "",
  group: "",
  perms: 0o600,
  append: false,
  newline: false,
  content: bytes(content),
  ...extra,
});

describe("writeToFile", () => {
  test("creates parents, writes, sets the exact mode (umask does not apply)", () => {
    const p = join(dir, "a", "b", "cert.pem");
    writeToFile(req(p, "PEM", { perms: 0o640 }));
    expect(readFileSync(p, "utf8")).toBe("PEM");
    expect(statSync(p).mode & 0o777).toBe(0o640);
    writeToFile(req(p, "X", { perms: 0o604 }));
    expect(readFileSync(p, "utf8")).toBe("X"); // truncated, not appended
    expect(statSync(p).mode & 0o777).toBe(0o604);
  });

  test("append and newline", () => {
    const p = join(dir, "log.txt");
    writeToFile(req(p, "one", { append: true, newline: true }));
    writeToFile(req(p, "two", { append: true, newline: true }));
    writeToFile(req(p, "three", { append: true }));
    expect(readFileSync(p, "utf8")).toBe("one\ntwo\nthree");
  });

  test("a symlink as the file or as its directory is refused, and nothing is written through it", () => {
    const victim = join(dir, "victim");
    writeFileSync(victim, "keep");
    symlinkSync(victim, join(dir, "link"));
    expect(() => writeToFile(req(join(dir, "link"), "evil"))).toThrow(
      `writeToFile: refusing to write to symlink "${join(dir, "link")}"`,
    );
    mkdirSync(join(dir, "real"));
    symlinkSync(join(dir, "real"), join(dir, "dirlink"));
    expect(() => writeToFile(req(join(dir, "dirlink", "f"), "evil"))).toThrow(
      `writeToFile: refusing to write through symlinked directory in path "${join(dir, "dirlink", "f")}"`,
    );
    expect(readFileSync(victim, "utf8")).toBe("keep");
  });

  test("owner: the current ids by number work; unknown names fail with Go's text after writing", () => {
    const p = join(dir, "owned");
    const uid = process.getuid!();
    const gid = process.getgid!();
    writeToFile(req(p, "x", { user: String(uid), group: String(gid) }));
    expect(statSync(p).uid).toBe(uid);
    expect(() => writeToFile(req(p, "y", { user: "no-such-user-vaultrun" }))).toThrow(
      "user: unknown user no-such-user-vaultrun",
    );
    expect(() => writeToFile(req(p, "z", { group: "no-such-group-vaultrun" }))).toThrow(
      "group: unknown group no-such-group-vaultrun",
    );
    expect(readFileSync(p, "utf8")).toBe("z"); // Consul Template writes before resolving the owner
  });

  test("a directory in the way: Go's open error", () => {
    mkdirSync(join(dir, "isdir"));
    expect(() => writeToFile(req(join(dir, "isdir"), "x"))).toThrow(
      `open ${join(dir, "isdir")}: is a directory`,
    );
  });
});
