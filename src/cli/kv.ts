import { UserError } from "../common/errors.ts";
import type { Command } from "./registry.ts";

// Placeholder until the owning module lands.
export const kvCommand: Command = {
  synopsis: "vaultrun kv",
  async run() {
    throw new UserError("vaultrun kv: not implemented yet");
  },
};
