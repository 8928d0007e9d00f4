/**
 * `vaultrun server -dev`: the in-memory dev server with `vault server -dev`'s flags and banner
 * (scripts grep "Root Token:" and the export lines). It binds 127.0.0.1 unless told otherwise and
 * runs until SIGINT/SIGTERM, then exits 0.
 */
import { randomBytes } from "node:crypto";
import { UserError } from "../common/errors.ts";
import { Logger, parseLogLevel } from "../log/logger.ts";
import { FlagSet } from "./flags.ts";
import type { Command, CommandContext } from "./registry.ts";

function flagSet(): FlagSet {
  return new FlagSet(
    "server",
    "vaultrun server -dev [options]",
    "Starts an in-memory, Vault-API-compatible dev server. Everything is lost on exit.",
  )
    .add({
      name: "dev",
      kind: "bool",
      usage: "Run in dev mode (required: vaultrun has no production server).",
    })
    .add({
      name: "dev-root-token-id",
      kind: "string",
      usage: "The root token (default: random). Env: VAULT_DEV_ROOT_TOKEN_ID.",
    })
    .add({
      name: "dev-listen-address",
      kind: "string",
      default: "127.0.0.1:8200",
      usage: "Address to listen on. Env: VAULT_DEV_LISTEN_ADDRESS.",
    })
    .add({ name: "dev-tls", kind: "bool", usage: "Serve HTTPS with a generated CA and certificate." })
    .add({
      name: "dev-tls-cert-dir",
      kind: "string",
      usage:
        "Where -dev-tls writes vault-ca.pem, vault-cert.pem and vault-key.pem (default: a new temp dir).",
    })
    .add({
      name: "log-level",
      kind: "string",
      default: "info",
      usage: "trace, debug, info, warn or error. Env: VAULT_LOG_LEVEL.",
    })
    .add({ name: "dev-kv-v1", kind: "bool", usage: "Mount secret/ as kv version 1 instead of version 2." })
    .add({
      name: "dev-no-store-token",
      kind: "bool",
      usage: "Accepted for compatibility: vaultrun never writes a token helper file.",
    });
}

/** "127.0.0.1:8200", "[::1]:8200", ":8200" → host and port. */
export function parseListenAddress(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen.trim());
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535)
    throw new UserError(`invalid -dev-listen-address ${JSON.stringify(listen)}: want host:port`);
  return { host: m[1] ?? (m[2] || "127.0.0.1"), port };
}

export function devBanner(o: {
  address: string;
  listen: string;
  logLevel: string;
  caCertPath?: string;
  rootToken: string;
  unsealKey: string;
}): string {
  const tls = o.caCertPath ? "enabled" : "disabled";
  return [
    "==> Vault server configuration:",
    "",
    "Administrative Namespace: ",
    `             Api Address: ${o.address}`,
    "                     Cgo: disabled",
    `              Listener 1: tcp (addr: "${o.listen}", max_request_size: "33554432", tls: "${tls}")`,
    `               Log Level: ${o.logLevel}`,
    "           Recovery Mode: false",
    "                 Storage: inmem",
    "                 Version: vaultrun dev server (Vault API v1.17.0)",
    "",
    "==> Vault server started! Log data will stream in below:",
    "",
    "",
    "WARNING! dev mode is enabled! In this mode, Vault runs entirely in-memory",
    "and starts unsealed with a single unseal key. The root token is already",
    "authenticated to the CLI, so you can immediately begin using Vault.",
    "",
    "You may need to set the following environment variables:",
    "",
    `    $ export VAULT_ADDR='${o.address}'`,
    ...(o.caCertPath ? [`    $ export VAULT_CACERT='${o.caCertPath}'`] : []),
    "",
    "The unseal key and root token are displayed below in case you want to",
    "seal/unseal the Vault or re-authenticate.",
    "",
    `Unseal Key: ${o.unsealKey}`,
    `Root Token: ${o.rootToken}`,
    "",
    "Development mode should NOT be used in production installations!",
    "",
    "",
  ].join("\n");
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(sig);
    };
    const onInt = on("SIGINT");
    const onTerm = on("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
  });
}

async function run(args: string[], ctx: CommandContext): Promise<number> {
  const parsed = flagSet().parse(args);
  if (parsed.values.dev !== true) {
    throw new UserError(
      "vaultrun only has a dev server: use `vaultrun server -dev` (everything is kept in memory)",
    );
  }
  if (parsed.args.length > 0) throw new UserError(`unexpected arguments: ${parsed.args.join(" ")}`);
  const listen = parsed.set.has("dev-listen-address")
    ? String(parsed.values["dev-listen-address"])
    : ctx.env.VAULT_DEV_LISTEN_ADDRESS || "127.0.0.1:8200";
  const { host, port } = parseListenAddress(listen);
  const levelText = parsed.set.has("log-level")
    ? String(parsed.values["log-level"])
    : ctx.env.VAULT_LOG_LEVEL || "info";
  let level: ReturnType<typeof parseLogLevel>;
  try {
    level = parseLogLevel(levelText);
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  const rootToken = String(parsed.values["dev-root-token-id"] || ctx.env.VAULT_DEV_ROOT_TOKEN_ID || "");
  const tlsDir = String(parsed.values["dev-tls-cert-dir"] || "") || undefined;
  const logger = Logger.create({ level, sinks: [{ write: (line) => ctx.stderr(line) }] });
  const { startDevServer } = await import("../devserver/index.ts");
  let server: Awaited<ReturnType<typeof startDevServer>>;
  try {
    server = await startDevServer({
      host,
      port,
      rootToken,
      tls: parsed.values["dev-tls"] === true || tlsDir !== undefined ? { dir: tlsDir } : false,
      logger,
      kvV1: parsed.values["dev-kv-v1"] === true,
    });
  } catch (e) {
    throw new UserError(
      `Error initializing listener of type tcp: listen tcp ${listen}: ${(e as Error).message}`,
    );
  }
  const signalled = untilSignal();
  ctx.stdout(
    devBanner({
      address: server.address,
      listen,
      logLevel: level,
      caCertPath: server.caCertPath,
      rootToken: server.rootToken,
      unsealKey: randomBytes(32).toString("base64"),
    }),
  );
  const sig = await signalled;
  logger.named("core").info(`${sig === "SIGINT" ? "interrupt" : "terminated"} received, shutting down`);
  await server.stop();
  return 0;
}

export const serverCommand: Command = {
  synopsis: "vaultrun server -dev",
  run,
};
