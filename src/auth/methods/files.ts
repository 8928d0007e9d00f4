/**
 * Credentials read from files at every authentication, with the last good value cached (as
 * Vault's methods do): an unreadable or empty file falls back to the cache; nothing at all is an
 * error. Optionally removed after reading.
 */
import { readFileSync, rmSync } from "node:fs";
import { redactor } from "../../log/redact.ts";

export class CachedFile {
  private cached = "";
  constructor(
    readonly path: string,
    private readonly opts: { trim: boolean; remove: boolean; what: string },
  ) {}

  read(): string {
    let value = "";
    let err: Error | undefined;
    try {
      value = readFileSync(this.path, "utf8");
      if (this.opts.trim) value = value.trim();
    } catch (e) {
      err = e as Error;
    }
    if (value !== "") {
      redactor.register(value);
      this.cached = value;
      if (this.opts.remove) {
        try {
          rmSync(this.path, { force: true });
        } catch {}
      }
      return value;
    }
    if (this.cached) return this.cached;
    if (err && (err as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(`error reading ${this.opts.what} file and no cached ${this.opts.what} known: ${err.message}`);
    }
    throw new Error(`${this.opts.what} file empty and no cached ${this.opts.what} known`);
  }
}
