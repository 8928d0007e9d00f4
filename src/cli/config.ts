import { UserError } from "../common/errors.ts";
import type { Command } from "./registry.ts";

// Placeholder until the config loader lands.
export const configValidateCommand: Command = {
  synopsis: "vaultrun config validate",
  async run() {
    throw new UserError("not implemented yet");
  },
};
export const configPrintCommand: Command = configValidateCommand;
