export { ConfigError, type LoadResult, loadConfig } from "./load.ts";
export { canonicalNamespace, parseSignal, SIGNALS } from "./decode.ts";
export type * from "./types.ts";
