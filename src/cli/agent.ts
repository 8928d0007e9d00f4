/**
 * `vaultrun agent`: parse flags as `vault agent` does, load and validate the config, apply
 * flag > env > file precedence, set up logging, then hand over to src/agent.
 */
import { UserError } from "../common/errors.ts";
import { loadConfig } from "../config/index.ts";
import {
  FileSink,
  Logger,
  type LogSink,
  parseLogFormat,
  parseLogLevel,
  stderrSink,
  stdoutSink,
} from "../log/logger.ts";
import { agentFlagSet, applyAgentOverrides } from "./agent-flags.ts";
import type { Command } from "./registry.ts";

export const agentCommand: Command = {
  synopsis: "vaultrun agent [options]",
  async run(args, ctx) {
    const flags = agentFlagSet();
    const parsed = flags.parse(args);
    let paths = parsed.values.config as string[];
    if (paths.length === 0 && ctx.env.VAULTRUN_AGENT_CONFIG_PATH)
      paths = [ctx.env.VAULTRUN_AGENT_CONFIG_PATH];
    if (paths.length === 0)
      throw new UserError("Must specify exactly at least one config path using -config");

    const { config, warnings } = loadConfig(paths, { env: ctx.env });
    applyAgentOverrides(config, parsed, ctx.env);
    if (parsed.values["test-verify-only"] === true) return 0;

    let level: ReturnType<typeof parseLogLevel>;
    let format: ReturnType<typeof parseLogFormat>;
    try {
      level = parseLogLevel(config.logLevel || "info");
      format = parseLogFormat(config.logFormat || "standard");
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    const sinks: LogSink[] = [parsed.values["combine-logs"] === true ? stdoutSink : stderrSink];
    if (config.logFile) {
      try {
        sinks.push(
          new FileSink(config.logFile, {
            rotateBytes: config.logRotateBytes,
            rotateDurationMs: config.logRotateDuration,
            rotateMaxFiles: config.logRotateMaxFiles,
          }),
        );
      } catch (e) {
        throw new UserError(`Error setting up log file: ${(e as Error).message}`);
      }
    }
    const logger = Logger.create({ level, format, sinks });
    for (const w of warnings) logger.warn(`${w.pos.file}:${w.pos.line}:${w.pos.column}: ${w.message}`);

    const { runAgent } = await import("../agent/run.ts");
    return runAgent({
      config,
      logger,
      env: ctx.env,
      out: ctx.stdout,
      configPaths: paths,
      banner: parsed.values["combine-logs"] !== true,
    });
  },
};
