/** Renders templates through the real engine with Consul Template's function library. */
import { parseJsonNumbers } from "../../../src/common/json.ts";
import {
  type Dependencies,
  type ExecuteResult,
  type TemplateHost,
  compile,
} from "../../../src/template/index.ts";
import { createFuncs } from "../../../src/template/funcs/index.ts";
import { type PemEncoded, Secret } from "../../../src/template/secret.ts";
import type { VaultResponse } from "../../../src/vault/types.ts";
import { regexFuncs } from "../../../src/template/funcs/sprig/regex.ts";

export interface World {
  /** Vault responses by path, as JSON text (numbers stay json.Number). */
  secrets?: Record<string, string>;
  lists?: Record<string, string[]>;
  pki?: Record<string, PemEncoded>;
  env?: Record<string, string>;
  files?: Record<string, string>;
  now?: number;
  sandboxPath?: string;
  errorOnMissingKey?: boolean;
}

export function deps(w: World): Dependencies {
  return {
    secret: (path, args) => {
      const text = w.secrets?.[args.length ? `${path} ${args.join(" ")}` : path];
      return text === undefined ? undefined : Secret.fromVault(parseJsonNumbers(text) as VaultResponse);
    },
    secrets: (path) => w.lists?.[path],
    pkiCert: (path) => w.pki?.[path],
  };
}

export function host(w: World): TemplateHost {
  return {
    env: (n) => w.env?.[n],
    environ: () => ({ ...w.env }),
    readFile: (p) => {
      const v = w.files?.[p];
      if (v === undefined) throw new Error(`open ${p}: no such file or directory`);
      return v;
    },
    now: () => w.now ?? Date.UTC(2024, 0, 2, 3, 4, 5, 67),
  };
}

/** One pass with all data available; returns the output or the error text. */
export function run(text: string, w: World = {}): string {
  try {
    const t = compile(
      text,
      { name: "", errorOnMissingKey: w.errorOnMissingKey, sandboxPath: w.sandboxPath },
      createFuncs,
    );
    return t.execute(deps(w), host(w)).output;
  } catch (e) {
    return `ERR ${(e as Error).message}`;
  }
}

/** A pass with no data (Consul Template's first pass). */
export function firstPass(text: string, w: World = {}): ExecuteResult | string {
  try {
    return compile(text, { name: "" }, createFuncs).execute(deps({}), host(w));
  } catch (e) {
    return `ERR ${(e as Error).message}`;
  }
}

const sprigRegex = regexFuncs();
/** Calls one of sprig's regex functions (regexFind, regexSplit, mustRegexMatch …) directly. */
export function callSprigRegex(name: string, ...args: unknown[]): unknown {
  return (sprigRegex[name]!.fn as (...a: unknown[]) => unknown)(...args);
}
