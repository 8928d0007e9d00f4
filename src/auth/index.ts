export { AuthHandler, type AuthHandlerOptions } from "./handler.ts";
export { Backoff } from "./backoff.ts";
export { createAuthMethod, type AuthMethod } from "./methods/index.ts";
export { fileSinkFrom, SinkError, SinkServer } from "./sink.ts";
