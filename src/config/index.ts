export { ConfigError, type LoadOptions, type LoadResult, loadConfig, loadConfigText } from "./load.ts";
export { applyAgentOverrides, DEFAULT_VAULT_ADDRESS, type FlagValues } from "./overrides.ts";
export { canonicalNamespace, parseSignal, SIGNALS } from "./decode.ts";
export type * from "./types.ts";
