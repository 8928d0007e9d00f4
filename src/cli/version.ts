import { commit, version } from "../version.ts";
import { FlagSet } from "./flags.ts";
import type { Command } from "./registry.ts";

export const versionCommand: Command = {
  synopsis: "vaultrun version",
  async run(args, ctx) {
    new FlagSet("version", "vaultrun version", "Prints the version of this binary.").parse(args);
    ctx.stdout(`vaultrun v${version}${commit ? ` (${commit})` : ""}\n`);
    return 0;
  },
};
