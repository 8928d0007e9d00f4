/**
 * `vaultrun server -dev`: the in-memory dev server with `vault server -dev`'s flags and banner.
 * It binds 127.0.0.1 unless told otherwise and runs until SIGINT/SIGTERM.
 */
import { UserError } from "../common/errors.ts";
import { FlagSet } from "./flags.ts";
import type { Command } from "./registry.ts";

function flagSet(): FlagSet {
  return new FlagSet("server", "vaultrun server -dev [options]", "Starts an in-memory, Vault-API-compatible dev server. Everything is lost on exit.")
    .add({ name: "dev", kind: "bool", usage: "Run in dev mode (required: vaultrun has no production server)." })
    .add({ name: "dev-root-token-id", kind: "string", usage: "The root token (default: random). Env: VAULT_DEV_ROOT_TOKEN_ID." })
    .add({ name: "dev-listen-address", kind: "string", default: "127.0.0.1:8200", usage: "Address to listen on. Env: VAULT_DEV_LISTEN_ADDRESS." })
    .add({ name: "dev-tls", kind: "bool", usage: "Serve HTTPS with a generated CA." })
    .add({ name: "dev-tls-cert-dir", kind: "string", usage: "Where -dev-tls writes its CA and certificate (default: a temp dir)." })
    .add({ name: "log-level", kind: "string", default: "info", usage: "Log level." });
}

export const serverCommand: Command = {
  synopsis: "vaultrun server -dev",
  async run(args, ctx) {
    const parsed = flagSet().parse(args);
    if (parsed.values.dev !== true) throw new UserError("vaultrun only has a dev server: use `vaultrun server -dev`");
    const listen = parsed.set.has("dev-listen-address")
      ? String(parsed.values["dev-listen-address"])
      : (ctx.env.VAULT_DEV_LISTEN_ADDRESS ?? "127.0.0.1:8200");
    const m = /^(.*):(\d+)$/.exec(listen);
    if (!m) throw new UserError(`invalid -dev-listen-address ${JSON.stringify(listen)}: want host:port`);
    const host = m[1]!.replace(/^\[|\]$/g, "");
    const rootToken = String(parsed.values["dev-root-token-id"] || ctx.env.VAULT_DEV_ROOT_TOKEN_ID || "");
    const { startDevServer } = await import("../devserver/index.ts");
    let server: Awaited<ReturnType<typeof startDevServer>>;
    try {
      server = await startDevServer({
        host,
        port: Number(m[2]),
        rootToken,
        tls: parsed.values["dev-tls"] === true,
        tlsDir: String(parsed.values["dev-tls-cert-dir"] || "") || undefined,
        log: (msg) => ctx.stderr(`${msg}\n`),
      });
    } catch (e) {
      throw new UserError(`Error initializing listener of type tcp: listen tcp ${listen}: ${(e as Error).message}`);
    }
    const lines = [
      "==> Vault server configuration:",
      "",
      `             Api Address: ${server.address}`,
      "                     Cgo: disabled",
      `              Listener 1: tcp (addr: "${listen}", tls: "${server.caCertPath ? "enabled" : "disabled"}")`,
      "               Log Level: info",
      "                 Storage: inmem",
      "                 Version: vaultrun dev server (Vault API 1.17)",
      "",
      "==> Vault server started! Log data will stream in below:",
      "",
      "WARNING! dev mode is enabled! In this mode, Vault runs entirely in-memory",
      "and starts unsealed with a single unseal key. The root token is already",
      "authenticated to the CLI, so you can immediately begin using Vault.",
      "",
      "You may need to set the following environment variables:",
      "",
      `    $ export VAULT_ADDR='${server.address}'`,
      ...(server.caCertPath ? [`    $ export VAULT_CACERT='${server.caCertPath}'`] : []),
      "",
      "The root token is displayed below in case you want to",
      "seal/unseal the Vault or re-authenticate.",
      "",
      `Root Token: ${server.rootToken}`,
      "",
      "Development mode should NOT be used in production installations!",
      "",
    ];
    ctx.stdout(`${lines.join("\n")}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await server.stop();
    return 0;
  },
};
