/** Password hashing and constant-time comparison for credentials the auth methods store. */
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

export interface StoredPassword {
  salt: Buffer;
  hash: Buffer;
}

// Low-cost scrypt: the dev server is in memory, but a memory dump should still not hold
// plaintext passwords, and logins must stay fast in tests.
const SCRYPT = { N: 1024, r: 8, p: 1 };

export function hashPassword(password: string): StoredPassword {
  const salt = randomBytes(16);
  return { salt, hash: scryptSync(password, salt, 32, SCRYPT) };
}

export function checkPassword(password: string, stored: StoredPassword): boolean {
  const h = scryptSync(password, stored.salt, 32, SCRYPT);
  return timingSafeEqual(h, stored.hash);
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
