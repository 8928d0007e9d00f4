/** Key generation and private-key export in the forms Vault's PKI engine uses. */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { badRequest } from "../shared/router.ts";

export type KeyType = "rsa" | "ec" | "ed25519";

const EC_CURVES: Record<number, string> = { 224: "P-224", 256: "P-256", 384: "P-384", 521: "P-521" };
const RSA_BITS = [2048, 3072, 4096, 8192];

/** Validates key_type/key_bits (0 = the type's default) and returns the effective bits. */
export function checkKeyParams(keyType: string, bits: number): number {
  switch (keyType) {
    case "rsa": {
      const b = bits || 2048;
      if (!RSA_BITS.includes(b)) throw badRequest(`unsupported bit length for RSA key: ${b}`);
      return b;
    }
    case "ec": {
      const b = bits || 256;
      if (!EC_CURVES[b]) throw badRequest(`unsupported bit length for EC key: ${b}`);
      return b;
    }
    case "ed25519":
      return 0;
    default:
      throw badRequest(`unknown key type: ${keyType}`);
  }
}

export function generateKey(keyType: KeyType, bits: number): { privateKey: KeyObject; publicKey: KeyObject } {
  if (keyType === "rsa") return generateKeyPairSync("rsa", { modulusLength: bits || 2048 });
  if (keyType === "ec") return generateKeyPairSync("ec", { namedCurve: EC_CURVES[bits || 256] });
  return generateKeyPairSync("ed25519");
}

/**
 * PEM of a private key. Vault's default private_key_format ("der", rendered as PEM) is the
 * type-specific encoding — PKCS#1 for RSA, SEC 1 for EC; "pkcs8" asks for PKCS#8. Ed25519 only
 * has PKCS#8.
 */
export function exportPrivateKey(key: KeyObject, format: string): string {
  const kt = key.asymmetricKeyType;
  let pem: string;
  if (format === "pkcs8" || kt === "ed25519") pem = key.export({ type: "pkcs8", format: "pem" }) as string;
  else if (kt === "rsa") pem = key.export({ type: "pkcs1", format: "pem" }) as string;
  else pem = key.export({ type: "sec1", format: "pem" }) as string;
  return pem.trim();
}

export function keyTypeOf(key: KeyObject): KeyType {
  const kt = key.asymmetricKeyType;
  return kt === "rsa" ? "rsa" : kt === "ec" ? "ec" : "ed25519";
}
