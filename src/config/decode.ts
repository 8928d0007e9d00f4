/**
 * One file's AST → a partial AgentConfig, with Vault Agent's types, defaults and per-file checks
 * (spec §2, §2.10). Every error carries the position of the offending node. Blocks Vault decodes
 * strictly (template, env_template, exec) reject unknown keys; elsewhere unknown keys are only
 * warnings, as Vault silently ignores them.
 */
import { DurationError, parseDurationSecond } from "../clock/duration.ts";
import type { Pos } from "./hcl/lexer.ts";
import type { Item, Node, ObjectNode } from "./hcl/parser.ts";
import type {
  AgentConfig,
  ApiProxyConfig,
  AuthMethodConfig,
  AutoAuthConfig,
  CacheConfig,
  ConfigWarning,
  DisableTarget,
  EnvTemplateStanza,
  ExecConfig,
  ListenerConfig,
  SinkConfig,
  SourcePos,
  TemplateConfigStanza,
  TemplateStanza,
  VaultConfig,
  WaitConfig,
} from "./types.ts";

export class DecodeError extends Error {
  constructor(
    readonly pos: Pos,
    readonly detail: string,
  ) {
    super(detail);
    this.name = "DecodeError";
  }
}

/** Which top-level settings a file set at all (merging needs "set" vs "default"). */
export interface FileConfig {
  config: AgentConfig;
  set: Set<string>;
}

export const SIGNALS = [
  "SIGABRT",
  "SIGALRM",
  "SIGBUS",
  "SIGCHLD",
  "SIGCONT",
  "SIGFPE",
  "SIGHUP",
  "SIGILL",
  "SIGINT",
  "SIGIO",
  "SIGIOT",
  "SIGKILL",
  "SIGPIPE",
  "SIGPROF",
  "SIGQUIT",
  "SIGSEGV",
  "SIGSTOP",
  "SIGSYS",
  "SIGTERM",
  "SIGTRAP",
  "SIGTSTP",
  "SIGTTIN",
  "SIGTTOU",
  "SIGURG",
  "SIGUSR1",
  "SIGUSR2",
  "SIGWINCH",
  "SIGXCPU",
  "SIGXFSZ",
];

/** Parses a signal name as Consul Template does (case-insensitive, SIG prefix required). */
export function parseSignal(value: string): string {
  const v = value.trim().toUpperCase();
  if (SIGNALS.includes(v)) return v;
  throw new Error(`invalid signal "${value}" - valid signals are [${SIGNALS.join(" ")}]`);
}

export function emptyConfig(): AgentConfig {
  return {
    vault: null,
    autoAuth: null,
    templateConfig: defaultTemplateConfig(),
    templates: [],
    envTemplates: [],
    exec: null,
    pidFile: "",
    exitAfterAuth: false,
    listeners: [],
    cache: null,
    apiProxy: null,
    telemetry: null,
    logLevel: "",
    logFormat: "",
    logFile: "",
    logRotateDuration: 0,
    logRotateBytes: 0,
    logRotateMaxFiles: 0,
    disableIdleConnections: [],
    disableKeepAlives: [],
    sources: [],
  };
}

export function defaultTemplateConfig(): TemplateConfigStanza {
  return {
    exitOnRetryFailure: false,
    staticSecretRenderInterval: 0,
    maxConnectionsPerHost: 10,
    leaseRenewalThreshold: 0.9,
    allowFunctions: [],
  };
}

/** Template functions vaultrun turns off by default because they act on the host. */
export const HOST_EFFECT_FUNCTIONS = ["writeToFile", "plugin"];

export function defaultVault(): VaultConfig {
  return {
    address: "",
    caCert: "",
    caPath: "",
    clientCert: "",
    clientKey: "",
    tlsSkipVerify: false,
    tlsServerName: "",
    namespace: "",
    retry: { numRetries: 12 },
  };
}

/** Canonical namespace: no leading "/", a trailing "/". */
export function canonicalNamespace(ns: string): string {
  const t = ns.trim().replace(/^\/+/, "");
  if (t === "") return "";
  return t.endsWith("/") ? t : `${t}/`;
}

// ---------------------------------------------------------------------------------------------

class Decoder {
  readonly set = new Set<string>();
  constructor(
    readonly file: string,
    readonly warnings: ConfigWarning[],
    /** The environment `aad_env_var` reads (the loader's, not necessarily process.env). */
    readonly env: Record<string, string | undefined>,
  ) {}

  sp(pos: Pos): SourcePos {
    return { file: this.file, line: pos.line, column: pos.column };
  }

  fail(pos: Pos, msg: string): never {
    throw new DecodeError(pos, msg);
  }

  warn(pos: Pos, msg: string): void {
    this.warnings.push({ pos: this.sp(pos), message: msg });
  }

  // --- value readers --------------------------------------------------------------------------

  literal(node: Node, what: string): string | number | boolean {
    if (node.type !== "literal")
      this.fail(node.pos, `${what}: expected a value, got ${node.type === "list" ? "a list" : "an object"}`);
    return node.value;
  }

  str(node: Node, what: string): string {
    const v = this.literal(node, what);
    if (typeof v === "string") return v;
    return String(v); // hcl's weak decoding turns numbers/bools into strings
  }

  bool(node: Node, what: string): boolean {
    const v = this.literal(node, what);
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return v !== 0;
    const b = {
      "1": true,
      t: true,
      T: true,
      TRUE: true,
      true: true,
      True: true,
      "0": false,
      f: false,
      F: false,
      FALSE: false,
      false: false,
      False: false,
    }[v.trim()];
    if (b === undefined) this.fail(node.pos, `${what}: cannot parse ${JSON.stringify(v)} as a boolean`);
    return b!;
  }

  int(node: Node, what: string): number {
    const v = this.literal(node, what);
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (typeof v === "string" && /^[-+]?[0-9]+$/.test(v.trim())) return Number(v.trim());
    return this.fail(node.pos, `${what}: cannot parse ${JSON.stringify(v)} as an integer`);
  }

  float(node: Node, what: string): number {
    const v = this.literal(node, what);
    const n = typeof v === "number" ? v : Number(v);
    if (typeof v === "boolean" || !Number.isFinite(n))
      this.fail(node.pos, `${what}: cannot parse ${JSON.stringify(v)} as a number`);
    return n;
  }

  duration(node: Node, what: string): number {
    const v = this.literal(node, what);
    try {
      return parseDurationSecond(v);
    } catch (e) {
      return this.fail(node.pos, `${what}: ${e instanceof DurationError ? e.message : String(e)}`);
    }
  }

  /** File modes: HCL octal literals are already numbers; strings are octal ("0600"). */
  mode(node: Node, what: string): number {
    const v = this.literal(node, what);
    if (typeof v === "number") return v;
    if (typeof v === "string" && /^[0-7]{1,4}$/.test(v.trim())) return Number.parseInt(v.trim(), 8);
    return this.fail(node.pos, `${what}: cannot parse ${JSON.stringify(v)} as a file mode`);
  }

  strList(node: Node, what: string): string[] {
    if (node.type === "list") return node.items.map((n) => this.str(n, what));
    return [this.str(node, what)];
  }

  /** Commands: a list, or a string split on commas (Consul Template's quirk). */
  command(node: Node, what: string): string[] {
    if (node.type === "list") return node.items.map((n) => this.str(n, what));
    const s = this.str(node, what);
    return s === ""
      ? []
      : s
          .split(",")
          .map((x) => x.trim())
          .filter((x) => x !== "");
  }

  /** A generic value (method/sink config maps, telemetry, raw listener settings). */
  plain(node: Node): unknown {
    if (node.type === "literal") return node.value;
    if (node.type === "list") {
      // A list of objects from HCL blocks or JSON: flatten single-object lists as hcl's decode does for maps.
      return node.items.map((n) => this.plain(n));
    }
    const out: Record<string, unknown> = {};
    for (const it of node.items) {
      let target = out;
      for (const k of it.keys.slice(0, -1)) {
        target[k.value] ??= {};
        target = target[k.value] as Record<string, unknown>;
      }
      const v = this.plain(it.value);
      target[it.keys[it.keys.length - 1]!.value] = v;
    }
    return out;
  }

  /** A `config` map: `config = { … }`, `config { … }`, or JSON `[{…}]`. */
  map(node: Node, what: string): Record<string, unknown> {
    if (node.type === "object") return this.plain(node) as Record<string, unknown>;
    if (node.type === "list" && node.items.every((n) => n.type === "object")) {
      return Object.assign({}, ...node.items.map((n) => this.plain(n) as Record<string, unknown>));
    }
    return this.fail(node.pos, `${what}: expected a map`);
  }

  // --- structure helpers ----------------------------------------------------------------------

  /** Items named `name` as blocks: each with its extra labels and body. */
  blocks(items: Item[], name: string): { labels: string[]; body: ObjectNode; pos: Pos }[] {
    const out: { labels: string[]; body: ObjectNode; pos: Pos }[] = [];
    for (const it of items) {
      if (it.keys[0]!.value !== name) continue;
      const labels = it.keys.slice(1).map((k) => k.value);
      if (it.value.type === "object") out.push({ labels, body: it.value, pos: it.pos });
      else if (it.value.type === "list") {
        for (const n of it.value.items) {
          if (n.type !== "object") this.fail(n.pos, `${name}: expected a block (object)`);
          out.push({ labels, body: n, pos: n.pos });
        }
      } else this.fail(it.value.pos, `${name}: expected a block, got a value`);
    }
    return out;
  }

  /** The keys of a block body, checked against `allowed`; strict blocks fail, others warn. */
  fields(
    body: ObjectNode,
    block: string,
    allowed: readonly string[],
    strict: boolean,
    prefix = "",
  ): Map<string, Item> {
    const out = new Map<string, Item>();
    const invalid: Item[] = [];
    for (const it of body.items) {
      const key = it.keys[0]!.value;
      if (!allowed.includes(key)) {
        invalid.push(it);
        continue;
      }
      const prev = out.get(key);
      if (prev && prev.value.type !== "object" && it.value.type !== "object") {
        // Vault tolerates this (the last value wins) but it is almost always a mistake.
        this.warn(
          it.pos,
          `duplicate key "${key}" in ${block}: the last value wins (line ${prev.pos.line} is ignored)`,
        );
      }
      out.set(key, it); // hcl: the last one wins for single keys
    }
    if (invalid.length) {
      if (strict) {
        this.fail(
          invalid[0]!.pos,
          `${prefix}'' has invalid keys: ${invalid.map((i) => i.keys[0]!.value).join(", ")}`,
        );
      }
      for (const it of invalid)
        this.warn(it.pos, `unknown key "${it.keys[0]!.value}" in ${block} is ignored`);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------

const TOP_LEVEL = [
  "vault",
  "auto_auth",
  "template_config",
  "template",
  "env_template",
  "exec",
  "pid_file",
  "exit_after_auth",
  "listener",
  "cache",
  "api_proxy",
  "telemetry",
  "log_level",
  "log_format",
  "log_file",
  "log_rotate_duration",
  "log_rotate_bytes",
  "log_rotate_max_files",
  "disable_idle_connections",
  "disable_keep_alives",
  "cluster_name",
  "disable_mlock",
  "plugin_directory",
];

const DISABLE_VALUES: DisableTarget[] = ["auto-auth", "caching", "proxying", "templating"];

export function decodeFile(
  file: string,
  root: ObjectNode,
  warnings: ConfigWarning[],
  env: Record<string, string | undefined> = process.env,
): FileConfig {
  const d = new Decoder(file, warnings, env);
  const c = emptyConfig();
  c.sources = [file];
  const top = d.fields(root, "the top level", TOP_LEVEL, false);
  // Repeated single keys: hcl keeps the last; blocks are handled below from all items.
  const scalar = (key: string) => top.get(key);

  const pid = scalar("pid_file");
  if (pid) {
    c.pidFile = d.str(pid.value, "pid_file");
    d.set.add("pid_file");
  }
  const eaa = scalar("exit_after_auth");
  if (eaa) c.exitAfterAuth = d.bool(eaa.value, "exit_after_auth");
  for (const [key, field] of [
    ["log_level", "logLevel"],
    ["log_format", "logFormat"],
    ["log_file", "logFile"],
  ] as const) {
    const it = scalar(key);
    if (it) {
      c[field] = d.str(it.value, key);
      d.set.add(key);
    }
  }
  const lrd = scalar("log_rotate_duration");
  if (lrd) {
    c.logRotateDuration = d.duration(lrd.value, "log_rotate_duration");
    d.set.add("log_rotate_duration");
  }
  for (const [key, field] of [
    ["log_rotate_bytes", "logRotateBytes"],
    ["log_rotate_max_files", "logRotateMaxFiles"],
  ] as const) {
    const it = scalar(key);
    if (it) {
      c[field] = d.int(it.value, key);
      d.set.add(key);
    }
  }
  const mlock = scalar("disable_mlock");
  if (mlock && !d.bool(mlock.value, "disable_mlock"))
    d.warn(mlock.pos, "disable_mlock = false has no effect in vaultrun");
  for (const [key, field] of [
    ["disable_idle_connections", "disableIdleConnections"],
    ["disable_keep_alives", "disableKeepAlives"],
  ] as const) {
    const it = scalar(key);
    if (!it) continue;
    for (const v of d.strList(it.value, key)) {
      if (v === "") continue;
      if (!DISABLE_VALUES.includes(v as DisableTarget)) d.fail(it.value.pos, `unknown ${key} value: ${v}`);
      c[field].push(v as DisableTarget);
    }
  }

  const one = (name: string, label: string) => {
    const bs = d.blocks(root.items, name);
    if (bs.length > 1) d.fail(bs[1]!.pos, label);
    return bs[0];
  };

  const vault = one("vault", `error parsing 'vault':one and only one "vault" block is required`);
  if (vault) {
    c.vault = decodeVault(d, vault.body, vault.pos);
    d.set.add("vault");
  }
  const aa = one("auto_auth", `error parsing 'auto_auth': at most one "auto_auth" block is allowed`);
  if (aa) {
    c.autoAuth = decodeAutoAuth(d, aa.body, aa.pos);
    d.set.add("auto_auth");
  }
  const tc = one(
    "template_config",
    `error parsing 'template_config': at most one "template_config" block is allowed`,
  );
  if (tc) {
    c.templateConfig = decodeTemplateConfig(d, tc.body, tc.pos);
    d.set.add("template_config");
  }
  for (const b of d.blocks(root.items, "template")) c.templates.push(decodeTemplate(d, b.body, b.pos));
  for (const b of envTemplateBlocks(d, root))
    c.envTemplates.push(decodeEnvTemplate(d, b.name, b.body, b.pos));
  const ex = one("exec", `error parsing 'exec': at most one "exec" block is allowed`);
  if (ex) {
    c.exec = decodeExec(d, ex.body, ex.pos);
    d.set.add("exec");
  }
  for (const [i, b] of d.blocks(root.items, "listener").entries())
    c.listeners.push(decodeListener(d, i, b.labels, b.body, b.pos));
  const cache = one("cache", `error parsing 'cache':one and only one "cache" block is required`);
  if (cache) {
    c.cache = decodeCache(d, cache.body, cache.pos);
    d.set.add("cache");
  }
  const ap = one("api_proxy", `error parsing 'api_proxy':one and only one "api_proxy" block is required`);
  if (ap) {
    c.apiProxy = decodeApiProxy(d, ap.body, ap.pos, "api_proxy");
    d.set.add("api_proxy");
  }
  // Vault copies cache.use_auto_auth_token into a synthesized api_proxy when none exists.
  if (c.cache && !c.apiProxy && (c.cache.useAutoAuthToken || c.cache.forceAutoAuthToken)) {
    c.apiProxy = {
      useAutoAuthToken: c.cache.useAutoAuthToken,
      forceAutoAuthToken: c.cache.forceAutoAuthToken,
      enforceConsistency: "",
      whenInconsistent: "",
      pos: c.cache.pos,
    };
  }
  const tel = one("telemetry", `error parsing 'telemetry': at most one "telemetry" block is allowed`);
  if (tel) {
    c.telemetry = d.plain(tel.body) as Record<string, unknown>;
    d.set.add("telemetry");
  }
  return { config: c, set: d.set };
}

function decodeVault(d: Decoder, body: ObjectNode, pos: Pos): VaultConfig {
  const f = d.fields(
    body,
    "vault",
    [
      "address",
      "ca_cert",
      "ca_path",
      "client_cert",
      "client_key",
      "tls_skip_verify",
      "tls_server_name",
      "namespace",
      "retry",
    ],
    false,
  );
  const v = defaultVault();
  v.pos = d.sp(pos);
  const s = (k: string) => (f.get(k) ? d.str(f.get(k)!.value, `vault.${k}`) : "");
  v.address = s("address");
  v.caCert = s("ca_cert");
  v.caPath = s("ca_path");
  v.clientCert = s("client_cert");
  v.clientKey = s("client_key");
  v.tlsServerName = s("tls_server_name");
  v.namespace = canonicalNamespace(s("namespace"));
  if (f.get("tls_skip_verify"))
    v.tlsSkipVerify = d.bool(f.get("tls_skip_verify")!.value, "vault.tls_skip_verify");
  const retries = d.blocks(body.items, "retry");
  if (retries.length > 1)
    d.fail(
      retries[1]!.pos,
      `error parsing 'vault':error parsing 'retry': one and only one "retry" block is required`,
    );
  if (retries[0]) {
    const rf = d.fields(retries[0].body, "retry", ["num_retries"], false);
    const n = rf.get("num_retries") ? d.int(rf.get("num_retries")!.value, "retry.num_retries") : 0;
    v.retry.numRetries = n === 0 ? 12 : n === -1 ? 0 : n;
  }
  return v;
}

function decodeAutoAuth(d: Decoder, body: ObjectNode, pos: Pos): AutoAuthConfig {
  d.fields(body, "auto_auth", ["method", "sink", "sinks", "enable_reauth_on_new_credentials"], false);
  const methods = d.blocks(body.items, "method");
  if (methods.length !== 1) {
    d.fail(
      methods[1]?.pos ?? pos,
      `error parsing 'auto_auth': error parsing 'method': one and only one "method" block is required`,
    );
  }
  const m = methods[0]!;
  const mf = d.fields(
    m.body,
    "method",
    [
      "type",
      "mount_path",
      "namespace",
      "wrap_ttl",
      "min_backoff",
      "max_backoff",
      "exit_on_err",
      "config",
      "max_retries",
    ],
    false,
  );
  const type = (
    m.labels[0] ?? (mf.get("type") ? d.str(mf.get("type")!.value, "method.type") : "")
  ).toLowerCase();
  if (!type)
    d.fail(m.pos, `error parsing 'auto_auth': error parsing 'method': method type must be specified`);
  const method: AuthMethodConfig = {
    type,
    mountPath: (mf.get("mount_path")
      ? d.str(mf.get("mount_path")!.value, "mount_path")
      : `auth/${type}`
    ).replace(/\/+$/, ""),
    namespace: canonicalNamespace(mf.get("namespace") ? d.str(mf.get("namespace")!.value, "namespace") : ""),
    wrapTTL: mf.get("wrap_ttl") ? d.duration(mf.get("wrap_ttl")!.value, "wrap_ttl") : 0,
    minBackoff: mf.get("min_backoff") ? d.duration(mf.get("min_backoff")!.value, "min_backoff") : 0,
    maxBackoff: mf.get("max_backoff") ? d.duration(mf.get("max_backoff")!.value, "max_backoff") : 0,
    exitOnErr: mf.get("exit_on_err") ? d.bool(mf.get("exit_on_err")!.value, "exit_on_err") : false,
    config: mf.get("config") ? d.map(mf.get("config")!.value, "method.config") : {},
    pos: d.sp(m.pos),
  };
  const sinkBlocks = [...d.blocks(body.items, "sink")];
  for (const s of d.blocks(body.items, "sinks")) sinkBlocks.push(...d.blocks(s.body.items, "sink"));
  const sinks = sinkBlocks.map((s) => decodeSink(d, s.labels, s.body, s.pos));
  if (method.wrapTTL > 0) {
    if (sinks.length !== 1) {
      d.fail(
        m.pos,
        `error parsing 'auto_auth': error parsing auto_auth: wrapping enabled on auth method and 0 or many sinks defined`,
      );
    }
    if (sinks[0]!.wrapTTL > 0) {
      d.fail(
        m.pos,
        `error parsing 'auto_auth': error parsing auto_auth: wrapping enabled both on auth method and sink`,
      );
    }
  }
  const reauth = body.items.find((i) => i.keys[0]!.value === "enable_reauth_on_new_credentials");
  return {
    method,
    sinks,
    enableReauthOnNewCredentials: reauth ? d.bool(reauth.value, "enable_reauth_on_new_credentials") : false,
    pos: d.sp(pos),
  };
}

function decodeSink(d: Decoder, labels: string[], body: ObjectNode, pos: Pos): SinkConfig {
  const f = d.fields(
    body,
    "sink",
    ["type", "wrap_ttl", "dh_type", "dh_path", "aad", "aad_env_var", "derive_key", "config"],
    false,
  );
  const type = (labels[0] ?? (f.get("type") ? d.str(f.get("type")!.value, "sink.type") : "")).toLowerCase();
  const prefix = `error parsing 'auto_auth': error parsing 'sink' stanzas: `;
  if (!type) d.fail(pos, `${prefix}sink type must be specified`);
  const s = (k: string) => (f.get(k) ? d.str(f.get(k)!.value, `sink.${k}`) : "");
  const sink: SinkConfig = {
    type,
    wrapTTL: f.get("wrap_ttl") ? d.duration(f.get("wrap_ttl")!.value, "sink.wrap_ttl") : 0,
    dhType: s("dh_type"),
    dhPath: s("dh_path"),
    aad: s("aad"),
    aadEnvVar: s("aad_env_var"),
    deriveKey: f.get("derive_key") ? d.bool(f.get("derive_key")!.value, "sink.derive_key") : false,
    config: f.get("config") ? d.map(f.get("config")!.value, "sink.config") : {},
    pos: d.sp(pos),
  };
  if (sink.aadEnvVar) sink.aad = d.env[sink.aadEnvVar] ?? sink.aad;
  const p = `${prefix}sink.${type} `;
  if (sink.dhType !== "" && sink.dhType !== "curve25519") d.fail(pos, `${p}invalid value for 'dh_type'`);
  if (sink.aad !== "" && sink.dhType === "")
    d.fail(pos, `${p}specifying AAD data without 'dh_type' does not make sense`);
  if (sink.deriveKey && sink.dhType === "")
    d.fail(pos, `${p}specifying 'derive_key' data without 'dh_type' does not make sense`);
  if ((sink.dhType === "") !== (sink.dhPath === ""))
    d.fail(pos, `${p}'dh_type' and 'dh_path' must be specified together`);
  return sink;
}

function decodeTemplateConfig(d: Decoder, body: ObjectNode, pos: Pos): TemplateConfigStanza {
  const f = d.fields(
    body,
    "template_config",
    [
      "exit_on_retry_failure",
      "static_secret_render_interval",
      "max_connections_per_host",
      "lease_renewal_threshold",
      "allow_functions",
    ],
    false,
  );
  const t = defaultTemplateConfig();
  t.pos = d.sp(pos);
  if (f.get("exit_on_retry_failure"))
    t.exitOnRetryFailure = d.bool(f.get("exit_on_retry_failure")!.value, "exit_on_retry_failure");
  if (f.get("static_secret_render_interval")) {
    t.staticSecretRenderInterval = d.duration(
      f.get("static_secret_render_interval")!.value,
      "static_secret_render_interval",
    );
  }
  if (f.get("max_connections_per_host"))
    t.maxConnectionsPerHost = d.int(f.get("max_connections_per_host")!.value, "max_connections_per_host");
  if (f.get("lease_renewal_threshold")) {
    const v = d.float(f.get("lease_renewal_threshold")!.value, "lease_renewal_threshold");
    if (!(v > 0 && v <= 1))
      d.fail(f.get("lease_renewal_threshold")!.value.pos, "lease_renewal_threshold must be in (0, 1]");
    t.leaseRenewalThreshold = v;
  }
  const allow = f.get("allow_functions");
  if (allow) {
    t.allowFunctions = d.strList(allow.value, "allow_functions");
    for (const name of t.allowFunctions) {
      if (!HOST_EFFECT_FUNCTIONS.includes(name))
        d.fail(
          allow.value.pos,
          `template_config.allow_functions: ${JSON.stringify(name)} is not a function vaultrun turns off (${HOST_EFFECT_FUNCTIONS.join(", ")})`,
        );
    }
  }
  return t;
}

const TEMPLATE_KEYS = [
  "source",
  "contents",
  "destination",
  "create_dest_dirs",
  "perms",
  "backup",
  "user",
  "uid",
  "group",
  "gid",
  "command",
  "command_timeout",
  "exec",
  "error_on_missing_key",
  "error_fatal",
  "left_delimiter",
  "right_delimiter",
  "sandbox_path",
  "function_denylist",
  "function_blacklist",
  "wait",
] as const;

function decodeWait(d: Decoder, node: Node): WaitConfig {
  if (node.type === "literal") {
    // wait = "min:max" or "min"
    const s = d.str(node, "wait");
    const parts = s.split(":");
    if (parts.length > 2 || parts[0] === "") d.fail(node.pos, "wait: invalid format");
    const min = d.duration({ ...node, value: parts[0]! }, "wait");
    const max = parts[1] !== undefined ? d.duration({ ...node, value: parts[1] }, "wait") : min * 4;
    return checkWait(d, node.pos, min, max);
  }
  const body = node.type === "object" ? node : (node.items[node.items.length - 1] as ObjectNode);
  const f = d.fields(body, "wait", ["min", "max", "enabled"], true, "error parsing 'template': ");
  const min = f.get("min") ? d.duration(f.get("min")!.value, "wait.min") : 0;
  const max = f.get("max") ? d.duration(f.get("max")!.value, "wait.max") : min * 4;
  return checkWait(d, node.pos, min, max);
}

function checkWait(d: Decoder, pos: Pos, min: number, max: number): WaitConfig {
  if (min < 0 || max < 0) d.fail(pos, "wait: cannot be negative");
  if (max < min) d.fail(pos, "wait: min must be less than max");
  return { min, max, enabled: min > 0 || max > 0 };
}

function decodeTemplate(d: Decoder, body: ObjectNode, pos: Pos): TemplateStanza {
  const f = d.fields(body, "template", TEMPLATE_KEYS, true, "error parsing 'template': ");
  const s = (k: string) => (f.get(k) ? d.str(f.get(k)!.value, `template.${k}`) : "");
  const b = (k: string, def: boolean) => (f.get(k) ? d.bool(f.get(k)!.value, `template.${k}`) : def);
  const t: TemplateStanza = {
    source: s("source"),
    contents: s("contents"),
    destination: s("destination"),
    createDestDirs: b("create_dest_dirs", true),
    perms: f.get("perms") ? d.mode(f.get("perms")!.value, "template.perms") : 0,
    backup: b("backup", false),
    user: s("user"),
    uid: f.get("uid") ? d.int(f.get("uid")!.value, "template.uid") : null,
    group: s("group"),
    gid: f.get("gid") ? d.int(f.get("gid")!.value, "template.gid") : null,
    command: f.get("command") ? d.command(f.get("command")!.value, "template.command") : [],
    commandTimeout: f.get("command_timeout")
      ? d.duration(f.get("command_timeout")!.value, "template.command_timeout")
      : 30_000,
    exec: null,
    errorOnMissingKey: b("error_on_missing_key", false),
    errorFatal: b("error_fatal", true),
    leftDelimiter: s("left_delimiter") || "{{",
    rightDelimiter: s("right_delimiter") || "}}",
    sandboxPath: s("sandbox_path"),
    functionDenylist: [
      ...(f.get("function_denylist")
        ? d.strList(f.get("function_denylist")!.value, "function_denylist")
        : []),
      ...(f.get("function_blacklist")
        ? d.strList(f.get("function_blacklist")!.value, "function_blacklist")
        : []),
    ],
    wait: null,
    pos: d.sp(pos),
  };
  const waits = body.items.filter((i) => i.keys[0]!.value === "wait");
  if (waits.length) t.wait = decodeWait(d, waits[waits.length - 1]!.value); // the last wins
  const execs = d.blocks(body.items, "exec");
  if (execs.length) {
    const e = execs[execs.length - 1]!;
    const ef = d.fields(
      e.body,
      "template.exec",
      ["command", "timeout", "enabled", "env", "kill_signal", "kill_timeout", "reload_signal", "splay"],
      true,
      "error parsing 'template': ",
    );
    t.exec = {
      command: ef.get("command") ? d.command(ef.get("command")!.value, "exec.command") : [],
      timeout: ef.get("timeout") ? d.duration(ef.get("timeout")!.value, "exec.timeout") : t.commandTimeout,
    };
  }
  return t;
}

function envTemplateBlocks(d: Decoder, root: ObjectNode): { name: string; body: ObjectNode; pos: Pos }[] {
  const out: { name: string; body: ObjectNode; pos: Pos }[] = [];
  for (const it of root.items) {
    if (it.keys[0]!.value !== "env_template") continue;
    const labels = it.keys.slice(1).map((k) => k.value);
    if (labels.length === 1 && it.value.type === "object") {
      out.push({ name: labels[0]!, body: it.value, pos: it.pos });
      continue;
    }
    // JSON: "env_template": {"NAME": {…}} (or a list of such objects)
    const objs = it.value.type === "list" ? it.value.items : [it.value];
    for (const o of objs) {
      if (
        labels.length === 0 &&
        o.type === "object" &&
        o.items.length > 0 &&
        o.items.every((x) => x.value.type === "object" && !isTemplateKey(x))
      ) {
        for (const x of o.items)
          out.push({ name: x.keys[0]!.value, body: x.value as ObjectNode, pos: x.pos });
        continue;
      }
      d.fail(
        it.pos,
        `error parsing 'env_template': expected one and only one environment variable name, got ${labels.length}`,
      );
    }
  }
  return out;
}

function isTemplateKey(it: Item): boolean {
  return (TEMPLATE_KEYS as readonly string[]).includes(it.keys[0]!.value);
}

function decodeEnvTemplate(d: Decoder, name: string, body: ObjectNode, pos: Pos): EnvTemplateStanza {
  // Decoded like a template (so forbidden keys decode and are reported by validation, as Vault does).
  const t = decodeTemplate(d, body, pos);
  const present = new Set(body.items.map((i) => i.keys[0]!.value));
  return {
    name: name.replace(/^"|"$/g, ""),
    source: t.source,
    contents: t.contents,
    errorOnMissingKey: t.errorOnMissingKey,
    errorFatal: t.errorFatal,
    leftDelimiter: t.leftDelimiter,
    rightDelimiter: t.rightDelimiter,
    functionDenylist: t.functionDenylist,
    presentKeys: [...present],
    pos: d.sp(pos),
  };
}

function decodeExec(d: Decoder, body: ObjectNode, pos: Pos): ExecConfig {
  const f = d.fields(
    body,
    "exec",
    [
      "command",
      "restart_on_secret_changes",
      "restart_stop_signal",
      "child_process_stdout",
      "child_process_stderr",
      "restart_debounce",
      "kill_timeout",
      "reload_signal",
      "env",
    ],
    true,
    "error parsing 'exec': ",
  );
  const s = (k: string) => (f.get(k) ? d.str(f.get(k)!.value, `exec.${k}`) : "");
  const sig = (k: string, def: string) => {
    const it = f.get(k);
    if (!it) return def;
    const v = d.str(it.value, `exec.${k}`);
    try {
      return parseSignal(v);
    } catch (e) {
      return d.fail(it.value.pos, `error parsing 'exec': ${(e as Error).message}`);
    }
  };
  const e: ExecConfig = {
    command: f.get("command") ? d.command(f.get("command")!.value, "exec.command") : [],
    restartOnSecretChanges: (s("restart_on_secret_changes") ||
      "always") as ExecConfig["restartOnSecretChanges"],
    restartStopSignal: sig("restart_stop_signal", "SIGTERM"),
    childProcessStdout: s("child_process_stdout"),
    childProcessStderr: s("child_process_stderr"),
    restartDebounce: f.get("restart_debounce")
      ? d.duration(f.get("restart_debounce")!.value, "exec.restart_debounce")
      : 2000,
    killTimeout: f.get("kill_timeout")
      ? d.duration(f.get("kill_timeout")!.value, "exec.kill_timeout")
      : 30_000,
    reloadSignal: f.get("reload_signal") ? sig("reload_signal", "") : "",
    env: { pristine: false, allowlist: [], denylist: [] },
    pos: d.sp(pos),
  };
  const envBlocks = d.blocks(body.items, "env");
  if (envBlocks.length) {
    const ef = d.fields(
      envBlocks[envBlocks.length - 1]!.body,
      "exec.env",
      ["pristine", "allowlist", "denylist"],
      true,
      "error parsing 'exec': ",
    );
    if (ef.get("pristine")) e.env.pristine = d.bool(ef.get("pristine")!.value, "exec.env.pristine");
    if (ef.get("allowlist")) e.env.allowlist = d.strList(ef.get("allowlist")!.value, "exec.env.allowlist");
    if (ef.get("denylist")) e.env.denylist = d.strList(ef.get("denylist")!.value, "exec.env.denylist");
  }
  return e;
}

/** Listeners are parsed and checked as Vault does (serving them is not implemented yet). */
function decodeListener(
  d: Decoder,
  index: number,
  labels: string[],
  body: ObjectNode,
  pos: Pos,
): ListenerConfig {
  const raw = d.plain(body) as Record<string, unknown>;
  const prefix = `error parsing 'listener': listeners.${index}: `;
  let type: string;
  if (raw.type !== undefined) type = String(raw.type);
  else if (labels.length === 1) type = labels[0]!;
  else return d.fail(pos, `${prefix}listener type must be specified`);
  type = type.toLowerCase();
  if (type !== "tcp" && type !== "unix") d.fail(pos, `${prefix}unsupported listener type "${type}"`);
  const role = raw.role === undefined ? "default" : String(raw.role).toLowerCase();
  if (role !== "default" && role !== "metrics_only") {
    d.fail(pos, `${prefix}unsupported listener role "${role}": must be "default" or "metrics_only"`);
  }
  const td = raw.tls_disable;
  return {
    type,
    address: raw.address === undefined ? (type === "tcp" ? "127.0.0.1:8200" : "") : String(raw.address),
    tlsDisable:
      td === true ||
      td === 1 ||
      (typeof td === "string" && ["1", "t", "T", "true", "TRUE", "True"].includes(td)),
    role,
    raw,
    pos: d.sp(pos),
  };
}

function autoAuthTokenSetting(
  d: Decoder,
  item: Item | undefined,
  block: string,
): { use: boolean; force: boolean } {
  if (!item) return { use: false, force: false };
  const v = d.literal(item.value, `${block}.use_auto_auth_token`);
  if (typeof v === "boolean") return { use: v, force: false };
  const s = String(v).toLowerCase();
  if (s === "force") return { use: true, force: true };
  if (s === "true") return { use: true, force: false };
  if (s === "false") return { use: false, force: false };
  return d.fail(
    item.value.pos,
    `error parsing '${block}':value of 'use_auto_auth_token' can be either true/false/force, "${v}" is an invalid option`,
  );
}

function decodeCache(d: Decoder, body: ObjectNode, pos: Pos): CacheConfig {
  const f = d.fields(
    body,
    "cache",
    [
      "use_auto_auth_token",
      "persist",
      "enforce_consistency",
      "when_inconsistent",
      "force_auto_auth_token",
      "cache_static_secrets",
      "disable_caching_dynamic_secrets",
      "static_secret_token_capability_refresh_interval",
    ],
    false,
  );
  const tok = autoAuthTokenSetting(d, f.get("use_auto_auth_token"), "cache");
  const persists = d.blocks(body.items, "persist");
  if (persists.length > 1)
    d.fail(
      persists[1]!.pos,
      `error parsing 'cache':error parsing persist: only one "persist" block is required`,
    );
  let persist: CacheConfig["persist"] = null;
  if (persists[0]) {
    const raw = d.plain(persists[0].body) as Record<string, unknown>;
    const type = persists[0].labels[0] ?? String(raw.type ?? "");
    if (!type)
      d.fail(persists[0].pos, `error parsing 'cache':error parsing persist: persist type must be specified`);
    persist = { type: type.toLowerCase(), raw };
  }
  return {
    useAutoAuthToken: tok.use,
    forceAutoAuthToken: tok.force,
    persist,
    raw: d.plain(body) as Record<string, unknown>,
    pos: d.sp(pos),
  };
}

function decodeApiProxy(d: Decoder, body: ObjectNode, pos: Pos, block: string): ApiProxyConfig {
  const f = d.fields(body, block, ["use_auto_auth_token", "enforce_consistency", "when_inconsistent"], false);
  const tok = autoAuthTokenSetting(d, f.get("use_auto_auth_token"), block);
  return {
    useAutoAuthToken: tok.use,
    forceAutoAuthToken: tok.force,
    enforceConsistency: f.get("enforce_consistency")
      ? d.str(f.get("enforce_consistency")!.value, "enforce_consistency")
      : "",
    whenInconsistent: f.get("when_inconsistent")
      ? d.str(f.get("when_inconsistent")!.value, "when_inconsistent")
      : "",
    raw: d.plain(body) as Record<string, unknown>,
    pos: d.sp(pos),
  };
}
