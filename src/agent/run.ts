/**
 * `vaultrun agent` after its config is loaded: build the real parts (Vault client, auth method and
 * handler, sinks, template compiler, file writer, child supervisor), print Vault's banner, write
 * the pid file, run the Agent and return its exit code.
 */
import { readFileSync } from "node:fs";
import { type Clock, holdProcessOpen, systemClock } from "../clock/clock.ts";
import { UserError } from "../common/errors.ts";
import type { AgentConfig } from "../config/types.ts";
import { AuthHandler } from "../auth/handler.ts";
import { createAuthMethod } from "../auth/methods/index.ts";
import { createSink, SinkServer } from "../auth/sink.ts";
import { runPlugin } from "../child/plugin.ts";
import { ChildSupervisor } from "../child/supervisor.ts";
import { loadConfig } from "../config/index.ts";
import { type Logger, parseLogLevel } from "../log/logger.ts";
import { runCommand } from "../render/command.ts";
import { writeFileAtomic } from "../render/file.ts";
import { writeToFile } from "../render/write-to-file.ts";
import { decodeGoBytes } from "../template/bytes.ts";
import { compile } from "../template/index.ts";
import { VaultClient } from "../vault/client.ts";
import type { TlsOptions } from "../vault/types.ts";
import { version } from "../version.ts";
import { Agent, type AgentParts, writePidFile } from "./agent.ts";
import type { ChildPort, TemplateCompiler } from "./ports.ts";

export interface RunAgentOptions {
  config: AgentConfig;
  logger: Logger;
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  configPaths: string[];
  banner: boolean;
  clock?: Clock;
}

const compiler: TemplateCompiler = {
  compile: (text, o) =>
    compile(text, {
      name: o.name,
      leftDelim: o.leftDelim,
      rightDelim: o.rightDelim,
      errorOnMissingKey: o.errorOnMissingKey,
      functionDenylist: o.functionDenylist,
      sandboxPath: o.sandboxPath,
    }),
};

/** Builds the agent from its config (everything but the process-level banner and wait). */
export function createAgent(
  opts: RunAgentOptions,
): { agent: Agent; removePid: () => void } | { noAutoAuth: true } {
  const { config, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const log = logger.named("agent");
  if (config.listeners.length || config.cache || config.apiProxy) {
    throw new UserError(
      "the listener, cache and api_proxy stanzas are not supported by vaultrun yet (use `vault proxy` for an API proxy); remove them to run this config",
    );
  }
  const v = config.vault!;
  const disabled = (what: "auto-auth" | "templating") => config.disableKeepAlives.includes(what);
  let api: VaultClient;
  let templateApi: VaultClient;
  try {
    const tls = {
      caCert: v.caCert || undefined,
      caPath: v.caPath || undefined,
      clientCert: v.clientCert || undefined,
      clientKey: v.clientKey || undefined,
      skipVerify: v.tlsSkipVerify,
      serverName: v.tlsServerName || undefined,
    };
    api = new VaultClient(
      {
        address: v.address,
        namespace: v.namespace,
        tls,
        maxRetries: v.retry.numRetries,
        disableKeepAlives: disabled("auto-auth"),
        userAgent: `vaultrun/${version} (Vault Agent compatible)`,
        // -header applies to the agent's own requests (auth, sinks), not to templating — as in Vault.
        headers: v.headers,
      },
      { clock, logger: logger.named("client") },
    );
    templateApi = new VaultClient(
      {
        address: v.address,
        namespace: v.namespace,
        tls,
        maxRetries: 2,
        maxConnectionsPerHost: config.templateConfig.maxConnectionsPerHost,
        disableKeepAlives: disabled("templating"),
        userAgent: `vaultrun/${version} (Vault Agent Templating compatible)`,
      },
      { clock, logger: logger.named("template.client") },
    );
  } catch (e) {
    throw new UserError(`Error fetching client: ${(e as Error).message}`);
  }

  if (!config.autoAuth) {
    log.info("No auto_auth block found in config, the automatic authentication feature will not be started");
    return { noAutoAuth: true };
  }
  const aa = config.autoAuth;
  return buildAgent(opts, clock, api, templateApi, aa);
}

function banner(opts: RunAgentOptions): void {
  const v = opts.config.vault!;
  opts.out(
    [
      "==> Vault Agent started! Log data will stream in below:",
      "",
      "==> Vault Agent configuration:",
      "",
      `           Api Address 1: ${v.address}`,
      "                     Cgo: disabled",
      `               Log Level: ${opts.logger.level}`,
      `                 Version: vaultrun v${version}`,
      "",
      "",
    ].join("\n"),
  );
}

function buildAgent(
  opts: RunAgentOptions,
  clock: Clock,
  api: VaultClient,
  templateApi: VaultClient,
  aa: NonNullable<AgentConfig["autoAuth"]>,
): { agent: Agent; removePid: () => void } {
  const { config, logger, env } = opts;
  const v = config.vault!;
  let method: ReturnType<typeof createAuthMethod>;
  try {
    const m = aa.method;
    const tlsClient = (tls: TlsOptions) =>
      new VaultClient(
        {
          address: v.address,
          namespace: v.namespace,
          tls: {
            caCert: v.caCert || undefined,
            skipVerify: v.tlsSkipVerify,
            serverName: v.tlsServerName || undefined,
            ...tls,
          },
          maxRetries: 0,
        },
        { clock },
      );
    method = createAuthMethod(m, { api, tlsClient, env, clock, logger });
  } catch (e) {
    throw new UserError(`Error creating ${aa.method.type} auth method: ${(e as Error).message}`);
  }
  let sinks: ReturnType<typeof createSink>[];
  try {
    sinks = aa.sinks.map((c) => createSink(c, { env }));
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  const removePid = writePidFile(config.pidFile);
  let child: (ChildPort & ChildSupervisor) | undefined;
  if (config.exec && config.envTemplates.length > 0 && !config.exitAfterAuth) {
    const sup = new ChildSupervisor({
      exec: config.exec,
      clock,
      logger: logger.named("agent"),
      baseEnv: { ...env },
    });
    child = sup as ChildPort & ChildSupervisor;
  }
  const parts: AgentParts = {
    api: templateApi,
    auth: new AuthHandler({ method, config: aa.method, api, clock, logger }),
    sinks: new SinkServer(sinks, { api, clock, logger, namespace: v.namespace || undefined }),
    child,
    compiler,
    writer: { write: (dest, contents, o) => writeFileAtomic(dest, contents, o) },
    commands: {
      run: (command, timeout) =>
        runCommand(command, timeout, clock, {
          ...env,
          VAULT_ADDR: v.address,
          ...(v.tlsSkipVerify ? { VAULT_SKIP_VERIFY: "true" } : {}),
          ...(v.caCert ? { VAULT_CACERT: v.caCert } : {}),
          ...(v.caPath ? { VAULT_CAPATH: v.caPath } : {}),
          ...(v.clientCert ? { VAULT_CLIENT_CERT: v.clientCert } : {}),
          ...(v.clientKey ? { VAULT_CLIENT_KEY: v.clientKey } : {}),
          ...(v.tlsServerName ? { VAULT_TLS_SERVER_NAME: v.tlsServerName } : {}),
        }),
    },
    host: {
      env: (name) => env[name],
      environ: () =>
        Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
      readFile: (path) => decodeGoBytes(readFileSync(path)),
      now: () => clock.now(),
      // Off unless allowed (template_config.allow_functions): they act on the host.
      ...(config.templateConfig.allowFunctions.includes("writeToFile") ? { writeToFile } : {}),
      ...(config.templateConfig.allowFunctions.includes("plugin")
        ? { plugin: (name: string, args: string[]) => runPlugin(name, args, { env }) }
        : {}),
    },
    retry: {
      attempts: v.retry.numRetries,
      baseMs: aa.method.minBackoff || 250,
      capMs: aa.method.maxBackoff || 60_000,
    },
    namespace: v.namespace || undefined,
  };
  try {
    return {
      agent: new Agent({ config, logger, parts, clock, reload: () => reloadConfig(opts) }),
      removePid,
    };
  } catch (e) {
    removePid();
    throw new UserError(`template server failed to create: ${(e as Error).message}`);
  }
}

/**
 * SIGHUP as Vault handles it: re-read and re-validate every -config path; on success apply the
 * file's log_level (a -log-level flag is not re-applied, as in Vault); on failure keep running
 * with the current config and say why.
 */
function reloadConfig(opts: RunAgentOptions): void {
  const log = opts.logger.named("agent");
  log.info("config reload triggered");
  try {
    const { config } = loadConfig(opts.configPaths, { env: opts.env });
    const level = parseLogLevel(config.logLevel || "info");
    opts.logger.setLevel(level);
    log.info("config reloaded", "log_level", level);
  } catch (e) {
    log.error("config reload failed, keeping the running configuration", "error", (e as Error).message);
  }
}

export async function runAgent(opts: RunAgentOptions): Promise<number> {
  if (opts.banner) banner(opts);
  const built = createAgent(opts);
  if ("noAutoAuth" in built) return 0;
  const { agent, removePid } = built;
  const release = holdProcessOpen();
  agent.start();
  const code = await agent.exited;
  release();
  removePid();
  return code;
}
