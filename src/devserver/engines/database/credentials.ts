/** Usernames and passwords shaped like the ones Vault's database engine generates. */
import { randomInt } from "node:crypto";

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const ALNUM = LOWER + UPPER + DIGITS;

function pick(chars: string): string {
  return chars[randomInt(chars.length)];
}

function shuffle(chars: string[]): string[] {
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars;
}

/**
 * Vault's default password policy: 20 characters of [A-Za-z0-9-] with at least one lowercase
 * letter, uppercase letter, digit and dash.
 */
export function generatePassword(): string {
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), "-"];
  while (chars.length < 20) chars.push(pick(`${ALNUM}-`));
  return shuffle(chars).join("");
}

export function randomAlnum(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += pick(ALNUM);
  return s;
}

const truncate = (s: string, n: number) => s.slice(0, n);

/** Vault's default username template: v-<display name>-<role>-<20 random>-<unix time>. */
export function generateUsername(displayName: string, roleName: string, nowMs: number): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "-");
  return `v-${truncate(clean(displayName || "token"), 8)}-${truncate(clean(roleName), 8)}-${randomAlnum(20)}-${Math.floor(nowMs / 1000)}`;
}
