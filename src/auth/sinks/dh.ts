/**
 * Diffie-Hellman encrypted sinks (`dh_type = "curve25519"`), compatible with Vault's dhutil: the
 * consumer publishes `{"curve25519_public_key": "<base64>"}` at dh_path; we generate one X25519
 * key pair per sink, derive the shared secret, optionally run it through HKDF-SHA256 (derive_key;
 * salt = the smaller public key bytewise, info = the other), and seal the payload with AES-256-GCM
 * (random 12-byte nonce, aad as additional data). Output, byte fields in standard base64:
 *   {"curve25519_public_key": <ours>, "nonce": <nonce>, "encrypted_payload": <ciphertext||tag>}
 * The consumer's key is read once and then trusted (Vault's trust on first use).
 */
import {
  createCipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { readFileSync } from "node:fs";

export interface DhOptions {
  dhPath: string;
  aad: string;
  deriveKey: boolean;
}

export interface DhEnvelope {
  curve25519_public_key: string;
  nonce: string;
  encrypted_payload: string;
}

export function x25519PublicKey(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "X25519", x: raw.toString("base64url") }, format: "jwk" });
}

export function rawPublicKey(key: KeyObject): Buffer {
  const x = key.export({ format: "jwk" }).x;
  if (!x) throw new Error("not an X25519 key");
  return Buffer.from(x, "base64url");
}

/** The AES key both sides agree on (Vault's DeriveSharedKey when deriveKey, else the raw secret). */
export function sharedKey(secret: Buffer, ourPublic: Buffer, theirPublic: Buffer, derive: boolean): Buffer {
  if (!derive) return secret;
  const cmp = Buffer.compare(ourPublic, theirPublic);
  if (cmp === 0) throw new Error("same public key supplied for both participants");
  const [salt, info] = cmp < 0 ? [ourPublic, theirPublic] : [theirPublic, ourPublic];
  return Buffer.from(hkdfSync("sha256", secret, salt, info, 32));
}

export class DhEncryptor {
  private readonly privateKey: KeyObject;
  private readonly publicRaw: Buffer;
  private theirPublic?: Buffer;

  constructor(private readonly opts: DhOptions) {
    const pair = generateKeyPairSync("x25519");
    this.privateKey = pair.privateKey;
    this.publicRaw = rawPublicKey(pair.publicKey);
  }

  /** Our public key (base64), for tests and diagnostics. */
  get publicKey(): string {
    return this.publicRaw.toString("base64");
  }

  encrypt(plaintext: string): string {
    if (plaintext === "") throw new Error("empty plaintext provided");
    const theirs = this.remoteKey();
    const secret = diffieHellman({ privateKey: this.privateKey, publicKey: x25519PublicKey(theirs) });
    const key = sharedKey(secret, this.publicRaw, theirs, this.opts.deriveKey);
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, nonce);
    if (this.opts.aad) cipher.setAAD(Buffer.from(this.opts.aad));
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    const out: DhEnvelope = {
      curve25519_public_key: this.publicKey,
      nonce: nonce.toString("base64"),
      encrypted_payload: sealed.toString("base64"),
    };
    return JSON.stringify(out);
  }

  private remoteKey(): Buffer {
    if (this.theirPublic) return this.theirPublic;
    let text: string;
    try {
      text = readFileSync(this.opts.dhPath, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") {
        throw new Error("no dh parameters file found, and no cached pub key");
      }
      throw new Error(`error reading dh parameters file: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error("error parsing dh parameters file: not JSON");
    }
    const b64 = (parsed as { curve25519_public_key?: unknown } | null)?.curve25519_public_key;
    const raw = typeof b64 === "string" ? Buffer.from(b64, "base64") : Buffer.alloc(0);
    if (raw.length !== 32) throw new Error(`invalid public key length: ${raw.length}`);
    this.theirPublic = raw;
    return raw;
  }
}
