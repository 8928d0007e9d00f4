/**
 * Go's time.Duration text form, in milliseconds (fractions allowed, so nanosecond inputs survive).
 * parseGoDuration accepts exactly what Go's time.ParseDuration accepts ("1h30m", "1.5s", "300ms",
 * "-2m", "0"); formatGoDuration prints what Go's Duration.String() prints ("5m0s", "1h0m0s", "1.5s").
 */

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

export class DurationError extends Error {}

/** Parses a Go duration string; returns milliseconds. Throws DurationError like Go's messages. */
export function parseGoDuration(input: string): number {
  const orig = input;
  let s = input;
  let neg = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") throw new DurationError(`time: invalid duration ${JSON.stringify(orig)}`);
  let totalNs = 0;
  while (s.length > 0) {
    const num = /^([0-9]*)(\.([0-9]*))?/.exec(s);
    if (!num || (num[1] === "" && (num[3] === undefined || num[3] === ""))) {
      throw new DurationError(`time: invalid duration ${JSON.stringify(orig)}`);
    }
    s = s.slice(num[0].length);
    const unit = /^[^0-9.]+/.exec(s);
    if (!unit) throw new DurationError(`time: missing unit in duration ${JSON.stringify(orig)}`);
    const u = unit[0];
    const mult = UNIT_NS[u];
    if (mult === undefined) {
      throw new DurationError(`time: unknown unit ${JSON.stringify(u)} in duration ${JSON.stringify(orig)}`);
    }
    s = s.slice(u.length);
    const value = Number(`${num[1] || "0"}.${num[3] || "0"}`);
    totalNs += value * mult;
  }
  if (totalNs > 9.223372036854776e18)
    throw new DurationError(`time: invalid duration ${JSON.stringify(orig)}`);
  return (neg ? -totalNs : totalNs) / 1e6;
}

/** Formats milliseconds the way Go's time.Duration.String() does. */
export function formatGoDuration(ms: number): string {
  return formatGoDurationNanos(BigInt(Math.round(ms * 1e6)));
}

/** Go's time.Duration.String() of a duration in nanoseconds ("1h0m0s", "1.5s", "300ms", "0s"). */
export function formatGoDurationNanos(d: bigint): string {
  const neg = d < 0n;
  let u = neg ? -d : d;
  if (u < 1_000_000_000n) {
    if (u === 0n) return "0s";
    // Under a second: the largest of ns, µs, ms that keeps an integer part.
    let prec: number;
    let unit: string;
    if (u < 1000n) {
      prec = 0;
      unit = "ns";
    } else if (u < 1_000_000n) {
      prec = 3;
      unit = "µs";
    } else {
      prec = 6;
      unit = "ms";
    }
    const [frac, whole] = fmtFrac(u, prec);
    return `${neg ? "-" : ""}${whole}${frac}${unit}`;
  }
  const [frac, secs] = fmtFrac(u, 9);
  u = secs;
  let out = `${u % 60n}${frac}s`;
  u /= 60n;
  if (u > 0n) {
    out = `${u % 60n}m${out}`;
    u /= 60n;
    if (u > 0n) out = `${u}h${out}`;
  }
  return (neg ? "-" : "") + out;
}

/** Go's fmtFrac: v's last `prec` digits as ".ddd" without trailing zeros (or ""), and the rest. */
function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let digits = "";
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) digits = digit.toString() + digits;
    v /= 10n;
  }
  return [print ? `.${digits}` : "", v];
}

/**
 * Vault's "duration or integer seconds" convention (parseutil.ParseDurationSecond): a number or a
 * numeric string means seconds; otherwise a Go duration. Returns milliseconds.
 */
export function parseDurationSecond(value: unknown): number {
  if (typeof value === "number") return value * 1000;
  if (typeof value === "bigint") return Number(value) * 1000;
  if (typeof value !== "string") throw new DurationError(`could not parse duration from ${typeof value}`);
  const s = value.trim();
  if (s === "") return 0;
  if (/^-?[0-9]+$/.test(s)) return Number(s) * 1000;
  return parseGoDuration(s);
}
