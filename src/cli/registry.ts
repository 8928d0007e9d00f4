/**
 * The command table. Each command module is imported lazily so that `vaultrun version` does not
 * pay for loading the agent, the template engine or the dev server.
 */
export interface CommandContext {
  /** Environment (process.env by default; tests pass their own). */
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface Command {
  synopsis: string;
  run(args: string[], ctx: CommandContext): Promise<number>;
}

type Loader = () => Promise<Command>;

export const commands: Record<string, Loader> = {
  agent: async () => (await import("./agent.ts")).agentCommand,
  server: async () => (await import("./server.ts")).serverCommand,
  "config validate": async () => (await import("./config.ts")).configValidateCommand,
  "config print": async () => (await import("./config.ts")).configPrintCommand,
  kv: async () => (await import("./kv.ts")).kvCommand,
  read: async () => (await import("./read-write.ts")).readCommand,
  write: async () => (await import("./read-write.ts")).writeCommand,
  version: async () => (await import("./version.ts")).versionCommand,
};

/** One-line descriptions for the top-level help (kept here so help needs no module loads). */
export const summaries: Record<string, string> = {
  agent: "Start a Vault Agent (auto-auth, sinks, templates, env_template + exec)",
  server: "Start an in-memory Vault-compatible dev server (server -dev)",
  "config validate": "Check agent config files and report problems with file:line:col",
  "config print": "Print the loaded, defaulted agent config as JSON",
  kv: "Read and write KV secrets (put, get, delete, list, metadata)",
  read: "Read data from Vault at a path",
  write: "Write data to Vault at a path",
  version: "Print the vaultrun version",
};
