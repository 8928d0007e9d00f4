import { UserError } from "../common/errors.ts";
import type { Command } from "./registry.ts";

// Placeholder until the Vault client lands.
export const readCommand: Command = {
  synopsis: "vaultrun read",
  async run() {
    throw new UserError("not implemented yet");
  },
};
export const writeCommand: Command = readCommand;
