export * from "./types.ts";
export * from "./kv.ts";
export * from "./vault.ts";
export * from "./pki.ts";
export { createDependency } from "./factory.ts";
