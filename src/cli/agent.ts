import { UserError } from "../common/errors.ts";
import type { Command } from "./registry.ts";

// Placeholder until the owning module lands.
export const agentCommand: Command = {
  synopsis: "vaultrun agent",
  async run() {
    throw new UserError("vaultrun agent: not implemented yet");
  },
};
