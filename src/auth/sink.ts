/** Compatibility entry point for src/agent/run.ts; new code imports ./sinks/index.ts. */
import type { SinkConfig } from "../config/types.ts";
import { createSink, SinkConfigError, type TokenSink } from "./sinks/index.ts";

export { SinkConfigError as SinkError, SinkServer, type TokenSink } from "./sinks/index.ts";

/** createSink with the process environment (usable as `sinks.map(fileSinkFrom)`). */
export function fileSinkFrom(cfg: SinkConfig): TokenSink {
  return createSink(cfg);
}

export { createSink, SinkConfigError };
