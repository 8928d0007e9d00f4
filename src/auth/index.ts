export { AuthBackoff, resolveBackoff } from "./backoff.ts";
export {
  AuthHandler,
  AuthHandlerError,
  type AuthHandlerOptions,
  type TokenCallback,
  type TokenInfo,
} from "./handler.ts";
export { graceFor, type LifetimeResult, sleepFor, watchLifetime } from "./lifetime.ts";
export { AuthConfigError, createAuthMethod, type MethodDeps } from "./methods/index.ts";
export * from "./sinks/index.ts";
export type { AuthMethod, LoginRequest, VaultApi } from "./types.ts";
