/**
 * A configured token sink: optional response wrapping (sink wrap_ttl), optional DH encryption,
 * then the file write. createSink validates the stanza with Vault's texts and runs the file
 * sink's write check, as Vault does at startup.
 */
import { formatGoDuration } from "../../clock/duration.ts";
import type { SinkConfig } from "../../config/types.ts";
import { redactor } from "../../log/redact.ts";
import { wrapInfoJson } from "../wrap-info.ts";
import type { VaultApi } from "../types.ts";
import { DhEncryptor } from "./dh.ts";
import { FileSink, parseFileSinkConfig, SinkConfigError } from "./file.ts";

export interface TokenSink {
  /** For log lines: the file path. */
  readonly name: string;
  readonly wrapTTL: number;
  readonly dh?: DhEncryptor;
  readonly file: FileSink;
}

export interface CreateSinkOptions {
  /** aad_env_var is read from here (default: the process environment). */
  env?: Record<string, string | undefined>;
  /** Skip the write check (config validation without touching the disk). */
  skipWriteCheck?: boolean;
}

export function createSink(cfg: SinkConfig, opts: CreateSinkOptions = {}): TokenSink {
  if (!cfg.type) throw new SinkConfigError("sink type must be specified");
  if (cfg.type !== "file") throw new SinkConfigError(`Unknown sink type "${cfg.type}"`);
  let dh: DhEncryptor | undefined;
  if (cfg.dhType || cfg.dhPath) {
    if (cfg.dhType !== "curve25519") throw new SinkConfigError("invalid value for 'dh_type'");
    if (!cfg.dhPath) throw new SinkConfigError("'dh_path' must be specified when 'dh_type' is specified");
    const env = opts.env ?? process.env;
    const aad = cfg.aadEnvVar ? (env[cfg.aadEnvVar] ?? "") : cfg.aad;
    dh = new DhEncryptor({ dhPath: cfg.dhPath, aad, deriveKey: cfg.deriveKey });
  } else if (cfg.deriveKey || cfg.aad || cfg.aadEnvVar) {
    throw new SinkConfigError("'derive_key', 'aad' and 'aad_env_var' require 'dh_type'");
  }
  let file: FileSink;
  try {
    file = new FileSink(parseFileSinkConfig(cfg));
    if (!opts.skipWriteCheck) file.writeCheck();
  } catch (e) {
    throw new SinkConfigError(`error creating file sink: ${(e as Error).message}`);
  }
  return { name: file.path, wrapTTL: cfg.wrapTTL, dh, file };
}

/** Vault's sink write: wrap → encrypt → write. Throws with Vault's prefixes. */
export async function writeToSink(
  sink: TokenSink,
  token: string,
  deps: { api: VaultApi; namespace?: string; signal?: AbortSignal },
): Promise<void> {
  let contents = token;
  if (sink.wrapTTL > 0) {
    try {
      const resp = await deps.api.request({
        method: "PUT",
        path: "sys/wrapping/wrap",
        body: { token },
        token,
        wrapTTL: formatGoDuration(sink.wrapTTL),
        namespace: deps.namespace,
        signal: deps.signal,
      });
      if (!resp?.wrap_info?.token) throw new Error("response has no wrap info");
      redactor.register(resp.wrap_info.token);
      contents = wrapInfoJson(resp.wrap_info);
    } catch (e) {
      throw new Error(`error wrapping token, not writing out to sink: ${(e as Error).message}`);
    }
  }
  if (sink.dh) {
    try {
      contents = sink.dh.encrypt(contents);
    } catch (e) {
      throw new Error(`error encrypting token, not writing out to sink: ${(e as Error).message}`);
    }
  }
  sink.file.write(contents);
}
