/** Secret engines other than kv, by mount type (owned by the engines module). */
import type { BackendFactory } from "../types.ts";
import { databaseFactory } from "./database/backend.ts";
import { pkiFactory } from "./pki/backend.ts";

export const engineFactories: Record<string, BackendFactory> = {
  pki: pkiFactory,
  database: databaseFactory,
};
