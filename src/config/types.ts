/**
 * The typed, defaulted agent configuration — the contract between src/config (which produces it)
 * and everything downstream (auth, vault client, watch, template, render, child, agent).
 * Durations are milliseconds. File modes are numbers (0o640). `pos` fields carry the source
 * position of the stanza for run-time error messages ("agent.hcl:12:3").
 *
 * Field names follow Vault's HCL keys in camelCase. Adding fields is fine; renaming breaks the
 * modules that consume this.
 */

export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export interface RetryConfig {
  /** After Vault's mapping: absent/0 → 12, −1 → 0, n → n. */
  numRetries: number;
}

export interface VaultConfig {
  address: string; // default https://127.0.0.1:8200 (after -address / VAULT_ADDR overrides)
  caCert: string;
  caPath: string;
  clientCert: string;
  clientKey: string;
  tlsSkipVerify: boolean;
  tlsServerName: string;
  namespace: string; // canonical: no leading "/", trailing "/" ("" when unset)
  retry: RetryConfig;
  /** Extra request headers from `-header key=value` (the agent's own client). */
  headers?: Record<string, string>;
  pos?: SourcePos;
}

export interface AuthMethodConfig {
  type: string; // lower-cased
  mountPath: string; // default auth/<type>, no trailing "/"
  namespace: string; // canonical
  wrapTTL: number; // ms, 0 = off
  minBackoff: number; // ms; 0 = unset (1s at run time; also the template retry base when set)
  maxBackoff: number; // ms; 0 = unset (5m at run time; also the template retry cap when set)
  exitOnErr: boolean;
  /** Method-specific settings, values as decoded (strings, numbers, booleans). */
  config: Record<string, unknown>;
  pos?: SourcePos;
}

export interface SinkConfig {
  type: string; // "file"
  wrapTTL: number; // ms
  dhType: string;
  dhPath: string;
  aad: string;
  aadEnvVar: string;
  deriveKey: boolean;
  config: Record<string, unknown>; // path, mode (number), uid, gid
  pos?: SourcePos;
}

export interface AutoAuthConfig {
  method: AuthMethodConfig;
  sinks: SinkConfig[];
  enableReauthOnNewCredentials: boolean;
  pos?: SourcePos;
}

export interface TemplateConfigStanza {
  exitOnRetryFailure: boolean;
  staticSecretRenderInterval: number; // ms; 0 in the file → 5m at run time
  maxConnectionsPerHost: number; // default 10
  leaseRenewalThreshold: number; // default 0.9
  /**
   * vaultrun extension: template functions with side effects on the host (`writeToFile`,
   * `plugin`) are off unless named here. Vault Agent has them on.
   */
  allowFunctions: string[];
  pos?: SourcePos;
}

export interface WaitConfig {
  min: number; // ms
  max: number; // ms (4×min when only min given)
  enabled: boolean;
}

export interface TemplateExecConfig {
  command: string[];
  timeout: number; // ms, default 30s (or command_timeout)
}

export interface TemplateStanza {
  source: string;
  contents: string;
  destination: string;
  createDestDirs: boolean; // default true
  perms: number; // 0 = inherit existing file mode, else 0644 at write time
  backup: boolean; // default false (Vault's effective default)
  user: string;
  uid: number | null;
  group: string;
  gid: number | null;
  command: string[]; // deprecated `command` (string split on commas) — see exec
  commandTimeout: number; // ms, default 30s
  exec: TemplateExecConfig | null;
  errorOnMissingKey: boolean;
  errorFatal: boolean; // default true
  leftDelimiter: string; // default "{{"
  rightDelimiter: string; // default "}}"
  sandboxPath: string;
  functionDenylist: string[];
  wait: WaitConfig | null;
  pos?: SourcePos;
}

export interface EnvTemplateStanza {
  name: string;
  source: string;
  contents: string;
  errorOnMissingKey: boolean;
  errorFatal: boolean;
  leftDelimiter: string;
  rightDelimiter: string;
  functionDenylist: string[];
  /** Keys the stanza set (validation rejects the file-template-only ones, as Vault does). */
  presentKeys?: string[];
  pos?: SourcePos;
}

/** Inherited-environment controls for the exec child (vaultrun extension). */
export interface ExecEnvConfig {
  pristine: boolean; // start from an empty environment
  allowlist: string[]; // glob patterns of agent env vars to pass through (empty = all)
  denylist: string[]; // glob patterns to drop
}

export interface ExecConfig {
  command: string[];
  restartOnSecretChanges: "always" | "never";
  restartStopSignal: string; // canonical upper-case name with SIG prefix, e.g. "SIGTERM"
  childProcessStdout: string;
  childProcessStderr: string;
  // --- vaultrun extensions (defaults keep Vault's behaviour) ---
  /** Debounce for restarts, ms. Vault: fixed 2s, also before the first start; ours: only restarts. */
  restartDebounce: number;
  killTimeout: number; // ms, default 30s
  reloadSignal: string; // "" = restart instead of signalling
  env: ExecEnvConfig;
  pos?: SourcePos;
}

export interface ListenerConfig {
  type: string; // tcp | unix
  address: string;
  tlsDisable: boolean;
  role: string;
  raw: Record<string, unknown>;
  pos?: SourcePos;
}

export interface CacheConfig {
  useAutoAuthToken: boolean;
  forceAutoAuthToken: boolean;
  persist: { type: string; raw: Record<string, unknown> } | null;
  raw: Record<string, unknown>;
  pos?: SourcePos;
}

export interface ApiProxyConfig {
  useAutoAuthToken: boolean;
  forceAutoAuthToken: boolean;
  enforceConsistency: string;
  whenInconsistent: string;
  /** The block's keys as written (absent for the api_proxy Vault synthesizes from `cache`). */
  raw?: Record<string, unknown>;
  pos?: SourcePos;
}

export type DisableTarget = "auto-auth" | "caching" | "proxying" | "templating";

export interface AgentConfig {
  vault: VaultConfig | null;
  autoAuth: AutoAuthConfig | null;
  templateConfig: TemplateConfigStanza; // always present (defaults when the block is absent)
  templates: TemplateStanza[];
  envTemplates: EnvTemplateStanza[];
  exec: ExecConfig | null;
  pidFile: string;
  exitAfterAuth: boolean;
  listeners: ListenerConfig[];
  cache: CacheConfig | null;
  apiProxy: ApiProxyConfig | null;
  telemetry: Record<string, unknown> | null;
  logLevel: string;
  logFormat: string;
  logFile: string;
  logRotateDuration: number; // ms
  logRotateBytes: number;
  logRotateMaxFiles: number;
  disableIdleConnections: DisableTarget[];
  disableKeepAlives: DisableTarget[];
  /** The files the config was loaded from, in merge order. */
  sources: string[];
}

/** A non-fatal finding of `config validate` (unknown key, deprecated form, Vault-incompatible extension). */
export interface ConfigWarning {
  pos: SourcePos;
  message: string;
}
