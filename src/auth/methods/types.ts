import type { VaultApi } from "../../dependency/types.ts";

/** What a method asks the handler to send: a login PUT, or (token_file) a lookup-self with a token. */
export interface LoginRequest {
  path: string;
  body: Record<string, unknown>;
  /** token_file: authenticate by looking up this token instead of logging in. */
  lookupToken?: string;
  /** cert: the login must go over this (mutual-TLS) client. */
  api?: VaultApi;
}

export interface AuthMethod {
  readonly type: string;
  authenticate(): Promise<LoginRequest>;
}

export class AuthConfigError extends Error {}

/** Reads a string config value with Vault's error texts. */
export function configString(config: Record<string, unknown>, key: string, required: boolean): string {
  const v = config[key];
  if (v === undefined || v === null) {
    if (required) throw new AuthConfigError(`missing '${key}' value`);
    return "";
  }
  if (typeof v !== "string") throw new AuthConfigError(`could not convert '${key}' config value to string`);
  if (required && v === "") throw new AuthConfigError(`'${key}' value is empty`);
  return v;
}

export function configBool(config: Record<string, unknown>, key: string, def: boolean): boolean {
  const v = config[key];
  if (v === undefined) return def;
  if (typeof v === "boolean") return v;
  if (typeof v === "string") return ["1", "t", "T", "true", "TRUE", "True"].includes(v);
  return Boolean(v);
}
