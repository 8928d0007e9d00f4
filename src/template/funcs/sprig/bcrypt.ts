/**
 * bcrypt as golang.org/x/crypto/bcrypt computes it ("$2a$", the key's trailing NUL included,
 * 23 of the 24 encrypted bytes encoded), on a Blowfish implementation whose initial P-array and
 * S-boxes are the hexadecimal digits of π, computed once on first use.
 */
import { randomBytes } from "node:crypto";

const WORDS = 18 + 4 * 256;

let initial: Uint32Array | undefined;

/** arctan(1/x) × 2^bits, by its Taylor series in fixed point. */
function arctanInv(x: bigint, bits: bigint): bigint {
  const x2 = x * x;
  let term = (1n << bits) / x;
  let sum = term;
  for (let k = 1n; term !== 0n; k++) {
    term /= x2;
    const t = term / (2n * k + 1n);
    sum += k % 2n === 1n ? -t : t;
  }
  return sum;
}

/** The first 1042 32-bit words of π's fraction (Blowfish's P-array then S-boxes). */
function piWords(): Uint32Array {
  if (initial) return initial;
  const bits = BigInt(WORDS * 32 + 64);
  // Machin: π = 16·arctan(1/5) − 4·arctan(1/239)
  const pi = 16n * arctanInv(5n, bits) - 4n * arctanInv(239n, bits);
  const frac = pi - (3n << bits);
  const words = new Uint32Array(WORDS);
  const shifted = frac >> 64n;
  for (let i = 0; i < WORDS; i++) words[i] = Number((shifted >> BigInt((WORDS - 1 - i) * 32)) & 0xffffffffn);
  initial = words;
  return words;
}

class Blowfish {
  readonly p: Uint32Array;
  readonly s: Uint32Array;

  constructor() {
    const w = piWords();
    this.p = w.slice(0, 18);
    this.s = w.slice(18);
  }

  private f(x: number): number {
    const s = this.s;
    return (
      ((((s[x >>> 24]! + s[256 + ((x >>> 16) & 0xff)]!) >>> 0) ^ s[512 + ((x >>> 8) & 0xff)]!) +
        s[768 + (x & 0xff)]!) >>>
      0
    );
  }

  encrypt(l: number, r: number): [number, number] {
    const p = this.p;
    let xl = (l ^ p[0]!) >>> 0;
    let xr = r;
    for (let i = 1; i <= 16; i += 2) {
      xr = (xr ^ this.f(xl) ^ p[i]!) >>> 0;
      xl = (xl ^ this.f(xr) ^ p[i + 1]!) >>> 0;
    }
    xr = (xr ^ p[17]!) >>> 0;
    return [xr, xl];
  }

  private static word(data: Uint8Array, j: { i: number }): number {
    let w = 0;
    for (let k = 0; k < 4; k++) {
      w = ((w << 8) | data[j.i]!) >>> 0;
      j.i = (j.i + 1) % data.length;
    }
    return w;
  }

  /** Blowfish's key schedule; with a salt, bcrypt's expandKeyWithSalt. */
  expand(key: Uint8Array, salt: Uint8Array | null): void {
    const kj = { i: 0 };
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i]! ^ Blowfish.word(key, kj)) >>> 0;
    const sj = { i: 0 };
    let l = 0;
    let r = 0;
    const next = (): void => {
      if (salt) {
        l = (l ^ Blowfish.word(salt, sj)) >>> 0;
        r = (r ^ Blowfish.word(salt, sj)) >>> 0;
      }
      [l, r] = this.encrypt(l, r);
    };
    for (let i = 0; i < 18; i += 2) {
      next();
      this.p[i] = l;
      this.p[i + 1] = r;
    }
    for (let i = 0; i < 1024; i += 2) {
      next();
      this.s[i] = l;
      this.s[i + 1] = r;
    }
  }
}

const ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** bcrypt's base64: its own alphabet, no padding. */
function b64(bytes: Uint8Array): string {
  let out = "";
  for (const c of Buffer.from(bytes).toString("base64").replace(/=+$/, "")) out += ALPHABET[STD.indexOf(c)];
  return out;
}

const MAGIC = Buffer.from("OrpheanBeholderScryDoubt");

/** The bcrypt hash of password with the given cost and 16-byte salt. */
export function bcryptHash(password: Uint8Array, cost: number, salt: Uint8Array): string {
  const key = new Uint8Array(password.length + 1);
  key.set(password);
  const bf = new Blowfish();
  bf.expand(key, salt);
  for (let i = 0; i < 2 ** cost; i++) {
    bf.expand(key, null);
    bf.expand(salt, null);
  }
  const data = new DataView(new Uint8Array(MAGIC).buffer);
  for (let off = 0; off < 24; off += 8) {
    let l = data.getUint32(off);
    let r = data.getUint32(off + 4);
    for (let j = 0; j < 64; j++) [l, r] = bf.encrypt(l, r);
    data.setUint32(off, l);
    data.setUint32(off + 4, r);
  }
  const hash = new Uint8Array(data.buffer).subarray(0, 23);
  return `$2a$${String(cost).padStart(2, "0")}$${b64(salt)}${b64(hash)}`;
}

/** bcrypt.GenerateFromPassword(password, DefaultCost) with a random salt. */
export function bcryptGenerate(password: Uint8Array): string {
  return bcryptHash(password, 10, new Uint8Array(randomBytes(16)));
}
