/** Auth methods other than token, by type (owned by the auth-methods module). */
import type { BackendFactory } from "../types.ts";

export const authFactories: Record<string, BackendFactory> = {};
