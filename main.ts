#!/usr/bin/env bun
/** vaultrun entry point: everything else lives in src/. (No top-level await: --bytecode builds are CommonJS.) */
import { runCli } from "./src/cli/main.ts";

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
