/** Build metadata; scripts/build.ts replaces these through --define at compile time. */
declare const VAULTRUN_VERSION: string | undefined;
declare const VAULTRUN_COMMIT: string | undefined;

export const version = typeof VAULTRUN_VERSION === "string" ? VAULTRUN_VERSION : "0.1.0-dev";
export const commit = typeof VAULTRUN_COMMIT === "string" ? VAULTRUN_COMMIT : "";
/** The Vault version whose agent behaviour we follow (printed in the start banner). */
export const compatibleVaultVersion = "1.17";
export const userAgent = `vaultrun/${version}`;
