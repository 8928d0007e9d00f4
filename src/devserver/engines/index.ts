/** Secret engines other than kv, by mount type (owned by the engines module). */
import type { BackendFactory } from "../types.ts";

export const engineFactories: Record<string, BackendFactory> = {};
