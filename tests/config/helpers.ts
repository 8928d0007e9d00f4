import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config/index.ts";

/** A temp directory removed after the test file; `write` puts a file in it and returns its path. */
export function tempDir(): { dir: string; write: (name: string, text: string | Uint8Array) => string } {
  const dir = mkdtempSync(join(tmpdir(), "vaultrun-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name, text) {
      const p = join(dir, name);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
  };
}

/** The ConfigError a load throws (fails the test if it loads or throws anything else). */
export function loadError(paths: string[], env: Record<string, string | undefined> = {}): ConfigError {
  try {
    loadConfig(paths, { env });
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`expected ${paths.join(", ")} to be rejected`);
}

/** A minimal valid agent config body (auto_auth with a file sink) to embed tests in. */
export const BASE = `auto_auth {
  method "approle" {
    config = { role_id_file_path = "/r", secret_id_file_path = "/s" }
  }
  sink "file" { config = { path = "/tmp/token" } }
}
`;
