/**
 * A credential file read at every authentication with the last good value cached, as Vault's
 * approle and token_file methods do: a missing, unreadable or empty file falls back to the cached
 * value (so a secret_id file removed after the first read keeps working for re-logins); with no
 * cached value the error names what is missing. Values are registered with the redactor the
 * moment they are read.
 */
import { readFileSync, rmSync } from "node:fs";
import type { Logger } from "../../log/logger.ts";
import { redactor } from "../../log/redact.ts";

export interface CachedFileOptions {
  /** Human name used in messages: "role ID", "secret ID", "token", "password". */
  what: string;
  /** Delete the file after a successful read (secret_id, password). */
  remove: boolean;
  /** approle: a missing file just means "use the cached value"; token_file reports the read error. */
  missingOk: boolean;
  logger?: Logger;
}

export class CachedFile {
  private cached = "";

  constructor(
    readonly path: string,
    private readonly opts: CachedFileOptions,
  ) {}

  get cachedValue(): string {
    return this.cached;
  }

  /** Returns the fresh value when the file has one, otherwise the cached one; throws when neither exists. */
  read(): { value: string; fresh: boolean } {
    const { what, logger } = this.opts;
    let raw: string;
    try {
      raw = readFileSync(this.path, "utf8");
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // A missing file is normal once it was consumed (remove after reading).
      if (err.code !== "ENOENT" || !this.opts.missingOk) {
        if (!this.cached)
          throw new Error(`error reading ${what} file and no cached ${what} known: ${err.message}`);
        logger?.warn(`error reading ${what} file`, "error", err.message);
      }
      return this.fromCache();
    }
    const value = raw.trim();
    if (value === "") {
      if (!this.cached) throw new Error(`${what} file empty and no cached ${what} known`);
      logger?.warn(`${what} file exists but read empty value, re-using cached value`);
      return { value: this.cached, fresh: false };
    }
    redactor.register(value);
    this.cached = value;
    if (this.opts.remove) {
      try {
        rmSync(this.path);
      } catch (e) {
        // Vault only logs this: the value was read, failing the login would not help.
        logger?.error(`error removing ${what} file after reading`, "error", (e as Error).message);
      }
    }
    return { value, fresh: true };
  }

  private fromCache(): { value: string; fresh: boolean } {
    if (!this.cached) throw new Error(`no known ${this.opts.what}`);
    return { value: this.cached, fresh: false };
  }
}
