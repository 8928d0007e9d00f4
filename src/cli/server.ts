import { UserError } from "../common/errors.ts";
import type { Command } from "./registry.ts";

// Placeholder until the owning module lands.
export const serverCommand: Command = {
  synopsis: "vaultrun server",
  async run() {
    throw new UserError("vaultrun server: not implemented yet");
  },
};
