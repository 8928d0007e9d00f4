#!/usr/bin/env bun
/** vaultrun entry point: everything else lives in src/. */
import { runCli } from "./src/cli/main.ts";

const code = await runCli(process.argv.slice(2));
process.exit(code);
