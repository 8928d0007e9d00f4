export * from "./client.ts";
export * from "./env.ts";
export * from "./errors.ts";
export * from "./kv.ts";
export * from "./types.ts";
