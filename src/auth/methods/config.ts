/**
 * Reading a method's `config` map with Vault's error texts, so that a bad config fails with the
 * message a Vault user would search for (`missing 'role' value`, …).
 */
import { parseDurationSecond } from "../../clock/duration.ts";

/** A method configuration error; the agent prefixes it with `Error creating <type> auth method: `. */
export class AuthConfigError extends Error {
  override name = "AuthConfigError";
}

export type MethodConfig = Record<string, unknown>;

/** A string value; `required` adds Vault's missing/empty errors. */
export function configString(config: MethodConfig, key: string, required: boolean): string {
  const v = config[key];
  if (v === undefined || v === null) {
    if (required) throw new AuthConfigError(`missing '${key}' value`);
    return "";
  }
  if (typeof v !== "string") throw new AuthConfigError(`could not convert '${key}' config value to string`);
  if (required && v === "") throw new AuthConfigError(`'${key}' value is empty`);
  return v;
}

/** A boolean as Go's strconv.ParseBool reads it (HCL may hand us "true" as a string). */
export function configBool(config: MethodConfig, key: string, def: boolean): boolean {
  const v = config[key];
  if (v === undefined || v === null) return def;
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    if (["1", "t", "T", "true", "TRUE", "True"].includes(v)) return true;
    if (["0", "f", "F", "false", "FALSE", "False"].includes(v)) return false;
  }
  if (typeof v === "number") return v !== 0;
  throw new AuthConfigError(`could not convert '${key}' config value to bool`);
}

/** A duration ("500ms", "1m" or integer seconds); 0 when absent. */
export function configDuration(config: MethodConfig, key: string): number {
  const v = config[key];
  if (v === undefined || v === null || v === "") return 0;
  try {
    return parseDurationSecond(v);
  } catch (e) {
    throw new AuthConfigError(`error parsing '${key}' value: ${(e as Error).message}`);
  }
}
