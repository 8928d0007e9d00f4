/**
 * Sprig's date functions that survive in the hermetic map (date.go): toDate/mustToDate,
 * mustDateModify (and must_date_modify), unixEpoch, duration, durationRound and ago. Times read
 * the template host's clock (ctx.host.now()), never the system clock; time.Local is UTC.
 */
import { formatGoDurationNanos } from "../../../clock/duration.ts";
import type { FuncContext } from "../../api.ts";
import { type GoNil, GoTime, GoTyped } from "../../value.ts";
import { goTimeFormat } from "../gotime.ts";
import { type Fn, fn } from "./fn.ts";
import {
  addDuration,
  MAX_DURATION,
  MIN_DURATION,
  nanosOf,
  parseDuration,
  parseTime,
  roundDuration,
  subTimes,
  timeFromNanos,
} from "./gotime.ts";

const NS_PER_SEC = 1_000_000_000n;
const ZERO_TIME = -62135596800000;

/**
 * A time.Time made by Sprig's functions, with the common methods templates call on it
 * (.Year, .Unix, .Format …). It prints, compares and encodes like any GoTime.
 */
export class SprigTime extends GoTime {
  override readonly goMethods = [
    "Year",
    "YearDay",
    "Day",
    "Hour",
    "Minute",
    "Second",
    "Nanosecond",
    "Unix",
    "UnixMilli",
    "UnixNano",
    "Format",
    "String",
    "IsZero",
    "UTC",
  ] as const;

  static of(t: GoTime): SprigTime {
    return t instanceof SprigTime ? t : new SprigTime(t.ms, t.nanos, t.offsetMinutes, t.zone);
  }

  private wall(): Date {
    return new Date(this.ms + this.offsetMinutes * 60000);
  }

  private method(signature: string, body: () => unknown): { signature: string; fn: never } {
    return { signature, fn: body as never };
  }

  get Year() {
    return this.method("func() int", () => BigInt(this.wall().getUTCFullYear()));
  }
  get YearDay() {
    return this.method("func() int", () => {
      const d = this.wall();
      return BigInt(
        Math.round(
          (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) -
            Date.UTC(d.getUTCFullYear(), 0, 1)) /
            86400000,
        ) + 1,
      );
    });
  }
  get Day() {
    return this.method("func() int", () => BigInt(this.wall().getUTCDate()));
  }
  get Hour() {
    return this.method("func() int", () => BigInt(this.wall().getUTCHours()));
  }
  get Minute() {
    return this.method("func() int", () => BigInt(this.wall().getUTCMinutes()));
  }
  get Second() {
    return this.method("func() int", () => BigInt(this.wall().getUTCSeconds()));
  }
  get Nanosecond() {
    return this.method("func() int", () => BigInt((((this.ms % 1000) + 1000) % 1000) * 1e6 + this.nanos));
  }
  get Unix() {
    return this.method("func() int64", () => new GoTyped("int64", unixSeconds(this)));
  }
  get UnixMilli() {
    return this.method("func() int64", () => new GoTyped("int64", BigInt(this.ms)));
  }
  get UnixNano() {
    return this.method("func() int64", () => new GoTyped("int64", BigInt.asIntN(64, nanosOf(this))));
  }
  get Format() {
    return {
      signature: "func(string) string",
      fn: ((layout: string) => goTimeFormat(this, layout)) as never,
    };
  }
  get String() {
    return this.method("func() string", () => goTimeFormat(this, "2006-01-02 15:04:05.999999999 -0700 MST"));
  }
  get IsZero() {
    return this.method("func() bool", () => this.ms === ZERO_TIME && this.nanos === 0);
  }
  get UTC() {
    return this.method("func() time.Time", () => new SprigTime(this.ms, this.nanos, 0, "UTC"));
  }
}

/** time.Time.Unix: whole seconds, rounded down. */
function unixSeconds(t: GoTime): bigint {
  const ns = nanosOf(t);
  return ns / NS_PER_SEC - (ns % NS_PER_SEC < 0n ? 1n : 0n);
}

const zeroTime = () => new SprigTime(ZERO_TIME, 0, 0, "UTC");

function nowNanos(ctx: FuncContext): bigint {
  return BigInt(Math.trunc(ctx.host.now())) * 1_000_000n;
}

/** time.Unix(sec, 0) */
function fromUnix(sec: bigint): GoTime {
  return timeFromNanos(sec * NS_PER_SEC, 0, "UTC");
}

/** What ago/durationRound take as a time: time.Time, or Unix seconds as int64 / int. */
function agoTime(ctx: FuncContext, v: unknown): bigint {
  if (v instanceof GoTime) return nanosOf(v);
  if (v instanceof GoTyped && v.type === "int64") return nanosOf(fromUnix(BigInt(v.value as bigint)));
  if (typeof v === "bigint") return nanosOf(fromUnix(v));
  return nowNanos(ctx);
}

function durationRound(ctx: FuncContext, v: unknown): string {
  let d = 0n;
  if (typeof v === "string") {
    try {
      d = parseDuration(v);
    } catch {
      d = 0n;
    }
  } else if (v instanceof GoTyped && v.type === "int64") d = BigInt(v.value as bigint);
  else if (v instanceof GoTime) d = subTimes(nowNanos(ctx), nanosOf(v));
  let u = BigInt.asUintN(64, d);
  if (d < 0n) u = BigInt.asUintN(64, -u);
  const hour = 3600n * NS_PER_SEC;
  const units: [bigint, string][] = [
    [hour * 24n * 365n, "y"],
    [hour * 24n * 30n, "mo"],
    [hour * 24n, "d"],
    [hour, "h"],
    [60n * NS_PER_SEC, "m"],
    [NS_PER_SEC, "s"],
  ];
  for (const [size, name] of units) if (u > size) return `${u / size}${name}`;
  return "0s";
}

/** strconv.ParseInt(s, 10, 64) as Sprig's duration uses it: errors give 0, overflow clamps. */
function parseSeconds(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) return 0n;
  const n = BigInt(s);
  return n > MAX_DURATION ? MAX_DURATION : n < MIN_DURATION ? MIN_DURATION : n;
}

function duration(v: unknown): string {
  let n = 0n;
  if (typeof v === "string") n = parseSeconds(v);
  else if (v instanceof GoTyped && v.type === "int64") n = BigInt(v.value as bigint);
  return formatGoDurationNanos(BigInt.asIntN(64, n * NS_PER_SEC));
}

function dateModify(spec: string, t: GoTime | GoNil): SprigTime {
  const d = parseDuration(spec);
  return SprigTime.of(addDuration(t as GoTime, d));
}

export function dateFuncs(ctx: FuncContext): Record<string, Fn> {
  return {
    toDate: fn("func(string, string) time.Time", (layout: string, s: string) => {
      try {
        return SprigTime.of(parseTime(layout, s));
      } catch {
        return zeroTime();
      }
    }),
    mustToDate: fn("func(string, string) (time.Time, error)", (layout: string, s: string) =>
      SprigTime.of(parseTime(layout, s)),
    ),
    mustDateModify: fn("func(string, time.Time) (time.Time, error)", dateModify),
    must_date_modify: fn("func(string, time.Time) (time.Time, error)", dateModify),
    unixEpoch: fn("func(time.Time) string", (t: GoTime) => unixSeconds(t).toString()),
    duration: fn("func(interface {}) string", duration),
    durationRound: fn("func(interface {}) string", (v: unknown) => durationRound(ctx, v)),
    ago: fn("func(interface {}) string", (v: unknown) =>
      formatGoDurationNanos(roundDuration(subTimes(nowNanos(ctx), agoTime(ctx, v)), NS_PER_SEC)),
    ),
  };
}
