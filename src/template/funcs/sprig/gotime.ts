/**
 * Go's time package pieces Sprig's date functions need: time.Parse (layouts, range checks and
 * ParseError texts as in Go 1.19), ParseDuration, Duration.Round, and Time
 * arithmetic on GoTime (ms since the epoch plus sub-millisecond nanoseconds).
 *
 * time.Local is taken to be UTC: vaultrun evaluates Sprig's dates in UTC (as Consul Template's
 * own `timestamp` does), so a parsed time without a zone is UTC. Duration.String is
 * src/clock/duration.ts's formatGoDurationNanos; Time.Format is ../gotime.ts.
 */
import { GoTime } from "../../value.ts";
import { DAY_NAMES, MONTH_NAMES } from "../gotime.ts";

const NS_PER_MS = 1_000_000n;
const NS_PER_SEC = 1_000_000_000n;
export const MAX_DURATION = 2n ** 63n - 1n;
export const MIN_DURATION = -(2n ** 63n);

// --- quoting as the time package does it (non-ASCII and control bytes as \x escapes) -------------

const HEX = "0123456789abcdef";

export function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const b of Buffer.from(ch)) out += `\\x${HEX[b >> 4]}${HEX[b & 15]}`;
    } else {
      if (ch === '"' || ch === "\\") out += "\\";
      out += ch;
    }
  }
  return `${out}"`;
}

// --- civil dates --------------------------------------------------------------------------------

/** Days from 1970-01-01 to the given proleptic Gregorian date (month 1–12; day may overflow). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

function daysIn(month: number, year: number): number {
  if (month === 2 && isLeap(year)) return 29;
  return DAYS_BEFORE[month]! - DAYS_BEFORE[month - 1]!;
}

/** A GoTime for an instant given in nanoseconds since the epoch. */
export function timeFromNanos(ns: bigint, offsetMinutes: number, zone: string): GoTime {
  const ms = ns / NS_PER_MS - (ns % NS_PER_MS < 0n ? 1n : 0n);
  const sub = ns - ms * NS_PER_MS;
  return new GoTime(Number(ms), Number(sub), offsetMinutes, zone);
}

export function nanosOf(t: GoTime): bigint {
  return BigInt(t.ms) * NS_PER_MS + BigInt(t.nanos);
}

/** time.Date in a fixed zone (offset in seconds east of UTC). */
function date(
  year: number,
  month: number,
  day: number,
  hour: number,
  min: number,
  sec: number,
  nsec: number,
  offsetSec: number,
  zone: string,
): GoTime {
  const days = daysFromCivil(year, month, day);
  const secs = BigInt(days) * 86400n + BigInt(hour * 3600 + min * 60 + sec - offsetSec);
  return timeFromNanos(secs * NS_PER_SEC + BigInt(nsec), offsetSec / 60, zone);
}

/** The zone name Go prints for a fixed zone without a name: "+hhmm". */
function offsetName(offsetSec: number): string {
  const m = Math.trunc(offsetSec / 60);
  const a = Math.abs(m);
  return `${m < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}${String(a % 60).padStart(2, "0")}`;
}

// --- time.Parse ---------------------------------------------------------------------------------------

const enum Std {
  None,
  LongMonth,
  Month,
  NumMonth,
  ZeroMonth,
  LongWeekDay,
  WeekDay,
  Day,
  UnderDay,
  ZeroDay,
  UnderYearDay,
  ZeroYearDay,
  Hour,
  Hour12,
  ZeroHour12,
  Minute,
  ZeroMinute,
  Second,
  ZeroSecond,
  LongYear,
  Year,
  PM,
  pm,
  TZ,
  ISO8601TZ,
  ISO8601SecondsTZ,
  ISO8601ShortTZ,
  ISO8601ColonTZ,
  ISO8601ColonSecondsTZ,
  NumTZ,
  NumSecondsTz,
  NumShortTZ,
  NumColonTZ,
  NumColonSecondsTZ,
  FracSecond0,
  FracSecond9,
}

interface Chunk {
  prefix: string;
  std: Std;
  /** Digits of a fractional-second element. */
  digits: number;
  suffix: string;
}

const isDigitAt = (s: string, i: number) => i < s.length && s[i]! >= "0" && s[i]! <= "9";
const startsWithLower = (s: string) => s.length > 0 && s[0]! >= "a" && s[0]! <= "z";

const STD0X = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year];

/** Go's nextStdChunk: the text before the first layout element, the element, and the rest. */
function nextStdChunk(layout: string): Chunk {
  const at = (i: number, std: Std, len: number, digits = 0): Chunk => ({
    prefix: layout.slice(0, i),
    std,
    digits,
    suffix: layout.slice(i + len),
  });
  for (let i = 0; i < layout.length; i++) {
    const rest = layout.slice(i);
    switch (layout[i]) {
      case "J":
        if (rest.startsWith("Jan")) {
          if (rest.startsWith("January")) return at(i, Std.LongMonth, 7);
          if (!startsWithLower(rest.slice(3))) return at(i, Std.Month, 3);
        }
        break;
      case "M":
        if (rest.length >= 3) {
          if (rest.startsWith("Mon")) {
            if (rest.startsWith("Monday")) return at(i, Std.LongWeekDay, 6);
            if (!startsWithLower(rest.slice(3))) return at(i, Std.WeekDay, 3);
          }
          if (rest.startsWith("MST")) return at(i, Std.TZ, 3);
        }
        break;
      case "0":
        if (rest.length >= 2 && rest[1]! >= "1" && rest[1]! <= "6")
          return at(i, STD0X[rest.charCodeAt(1) - 49]!, 2);
        if (rest.startsWith("002")) return at(i, Std.ZeroYearDay, 3);
        break;
      case "1":
        if (rest.startsWith("15")) return at(i, Std.Hour, 2);
        return at(i, Std.NumMonth, 1);
      case "2":
        if (rest.startsWith("2006")) return at(i, Std.LongYear, 4);
        return at(i, Std.Day, 1);
      case "_":
        if (rest.length >= 2 && rest[1] === "2") {
          if (rest.startsWith("_2006"))
            return {
              prefix: layout.slice(0, i + 1),
              std: Std.LongYear,
              digits: 0,
              suffix: layout.slice(i + 5),
            };
          return at(i, Std.UnderDay, 2);
        }
        if (rest.startsWith("__2")) return at(i, Std.UnderYearDay, 3);
        break;
      case "3":
        return at(i, Std.Hour12, 1);
      case "4":
        return at(i, Std.Minute, 1);
      case "5":
        return at(i, Std.Second, 1);
      case "P":
        if (rest.startsWith("PM")) return at(i, Std.PM, 2);
        break;
      case "p":
        if (rest.startsWith("pm")) return at(i, Std.pm, 2);
        break;
      case "-":
        if (rest.startsWith("-070000")) return at(i, Std.NumSecondsTz, 7);
        if (rest.startsWith("-07:00:00")) return at(i, Std.NumColonSecondsTZ, 9);
        if (rest.startsWith("-0700")) return at(i, Std.NumTZ, 5);
        if (rest.startsWith("-07:00")) return at(i, Std.NumColonTZ, 6);
        if (rest.startsWith("-07")) return at(i, Std.NumShortTZ, 3);
        break;
      case "Z":
        if (rest.startsWith("Z070000")) return at(i, Std.ISO8601SecondsTZ, 7);
        if (rest.startsWith("Z07:00:00")) return at(i, Std.ISO8601ColonSecondsTZ, 9);
        if (rest.startsWith("Z0700")) return at(i, Std.ISO8601TZ, 5);
        if (rest.startsWith("Z07:00")) return at(i, Std.ISO8601ColonTZ, 6);
        if (rest.startsWith("Z07")) return at(i, Std.ISO8601ShortTZ, 3);
        break;
      case ".":
      case ",":
        if (rest.length >= 2 && (rest[1] === "0" || rest[1] === "9")) {
          const c = rest[1]!;
          let j = 1;
          while (j < rest.length && rest[j] === c) j++;
          if (!isDigitAt(rest, j)) return at(i, c === "0" ? Std.FracSecond0 : Std.FracSecond9, j, j - 1);
        }
        break;
    }
  }
  return { prefix: layout, std: Std.None, digits: 0, suffix: "" };
}

class Bad extends Error {}

const cutspace = (s: string) => s.replace(/^ +/, "");

/** Go's skip: the value after the layout's literal text, and whether it matched. */
function skip(value: string, prefix: string): [string, boolean] {
  while (prefix.length > 0) {
    if (prefix[0] === " ") {
      if (value.length > 0 && value[0] !== " ") return [value, false];
      prefix = cutspace(prefix);
      value = cutspace(value);
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return [value, false];
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return [value, true];
}

/** The time package's atoi: optional sign, then digits only. */
function atoi(s: string): number {
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (!/^[0-9]*$/.test(s) || s.length > 18) throw new Bad();
  const x = s === "" ? 0 : Number(s);
  return neg ? -x : x;
}

function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigitAt(s, 0)) throw new Bad();
  if (!isDigitAt(s, 1)) {
    if (fixed) throw new Bad();
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + s.charCodeAt(1) - 48, s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + s.charCodeAt(i) - 48;
  if (i === 0 || (fixed && i !== 3)) throw new Bad();
  return [n, s.slice(i)];
}

const SHORT_DAYS = DAY_NAMES.map((d) => d.slice(0, 3));
const SHORT_MONTHS = MONTH_NAMES.map((m) => m.slice(0, 3));

/** ASCII case-insensitive match of equal-length strings, as the time package's match. */
function matchFold(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) {
    let c1 = a.charCodeAt(i);
    let c2 = b.charCodeAt(i);
    if (c1 !== c2) {
      c1 |= 0x20;
      c2 |= 0x20;
      if (c1 !== c2 || c1 < 0x61 || c1 > 0x7a) return false;
    }
  }
  return true;
}

function lookup(tab: string[], val: string): [number, string] {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i]!;
    if (val.length >= v.length && matchFold(val.slice(0, v.length), v)) return [i, val.slice(v.length)];
  }
  throw new Bad();
}

const commaOrPeriod = (c: string | undefined) => c === "." || c === ",";

function parseNanoseconds(value: string, nbytes: number): [number, string] {
  if (!commaOrPeriod(value[0])) throw new Bad();
  if (nbytes > 10) {
    value = value.slice(0, 10);
    nbytes = 10;
  }
  let ns = atoi(value.slice(1, nbytes));
  if (ns < 0) return [0, "fractional second"];
  for (let i = 0; i < 10 - nbytes; i++) ns *= 10;
  return [ns, ""];
}

/** Leading decimal digits as Go's leadingInt; null on overflow. */
function leadingInt(s: string): [bigint, string] | null {
  let i = 0;
  let x = 0n;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    if (x > 2n ** 63n / 10n) return null;
    x = x * 10n + BigInt(c - 48);
    if (x > 2n ** 63n) return null;
  }
  return [x, s.slice(i)];
}

function parseSignedOffset(value: string): number {
  const sign = value[0];
  if (sign !== "-" && sign !== "+") return 0;
  const r = leadingInt(value.slice(1));
  if (r === null || r[1] === value.slice(1)) return 0;
  if (r[0] > 23n) return 0;
  return value.length - r[1].length;
}

function parseTimeZone(value: string): number | null {
  if (value.length < 3) return null;
  if (value.startsWith("ChST") || value.startsWith("MeST")) return 4;
  if (value.startsWith("GMT")) return value.length === 3 ? 3 : 3 + parseSignedOffset(value.slice(3));
  if (value[0] === "+" || value[0] === "-") {
    const n = parseSignedOffset(value);
    return n > 0 ? n : null;
  }
  let nUpper = 0;
  for (; nUpper < 6; nUpper++) {
    if (nUpper >= value.length) break;
    const c = value[nUpper]!;
    if (c < "A" || c > "Z") break;
  }
  switch (nUpper) {
    case 5:
      return value[4] === "T" ? 5 : null;
    case 4:
      return value[3] === "T" || value.startsWith("WITA") ? 4 : null;
    case 3:
      return 3;
  }
  return null;
}

/** time.ParseInLocation(layout, value, Local) with Local = UTC. Throws Error with Go's text. */
export function parseTime(layout: string, value: string): GoTime {
  const alayout = layout;
  const avalue = value;
  const fail = (layoutElem: string, valueElem: string, message = ""): never => {
    if (message !== "") throw new Error(`parsing time ${timeQuote(avalue)}${message}`);
    throw new Error(
      `parsing time ${timeQuote(avalue)} as ${timeQuote(alayout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`,
    );
  };
  let rangeErr = "";
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let utc = false;
  let zoneOffset: number | null = null;
  let zoneName = "";

  for (;;) {
    const { prefix, std, digits, suffix } = nextStdChunk(layout);
    const stdstr = layout.slice(prefix.length, layout.length - suffix.length);
    let matched: boolean;
    [value, matched] = skip(value, prefix);
    if (!matched) fail(prefix, value);
    if (std === Std.None) {
      if (value.length !== 0) fail("", value, `: extra text: ${timeQuote(value)}`);
      break;
    }
    layout = suffix;
    try {
      switch (std) {
        case Std.Year: {
          if (value.length < 2) throw new Bad();
          const p = value.slice(0, 2);
          value = value.slice(2);
          year = atoi(p);
          year += year >= 69 ? 1900 : 2000;
          break;
        }
        case Std.LongYear: {
          if (value.length < 4 || !isDigitAt(value, 0)) throw new Bad();
          const p = value.slice(0, 4);
          value = value.slice(4);
          year = atoi(p);
          break;
        }
        case Std.Month:
          [month, value] = lookup(SHORT_MONTHS, value);
          month++;
          break;
        case Std.LongMonth:
          [month, value] = lookup(MONTH_NAMES, value);
          month++;
          break;
        case Std.NumMonth:
        case Std.ZeroMonth:
          [month, value] = getnum(value, std === Std.ZeroMonth);
          if (month <= 0 || month > 12) rangeErr = "month";
          break;
        case Std.WeekDay:
          [, value] = lookup(SHORT_DAYS, value);
          break;
        case Std.LongWeekDay:
          [, value] = lookup(DAY_NAMES, value);
          break;
        case Std.Day:
        case Std.UnderDay:
        case Std.ZeroDay:
          if (std === Std.UnderDay && value[0] === " ") value = value.slice(1);
          [day, value] = getnum(value, std === Std.ZeroDay);
          break;
        case Std.UnderYearDay:
        case Std.ZeroYearDay:
          for (let i = 0; i < 2; i++)
            if (std === Std.UnderYearDay && value[0] === " ") value = value.slice(1);
          [yday, value] = getnum3(value, std === Std.ZeroYearDay);
          break;
        case Std.Hour:
          [hour, value] = getnum(value, false);
          if (hour < 0 || hour >= 24) rangeErr = "hour";
          break;
        case Std.Hour12:
        case Std.ZeroHour12:
          [hour, value] = getnum(value, std === Std.ZeroHour12);
          if (hour < 0 || hour > 12) rangeErr = "hour";
          break;
        case Std.Minute:
        case Std.ZeroMinute:
          [min, value] = getnum(value, std === Std.ZeroMinute);
          if (min < 0 || min >= 60) rangeErr = "minute";
          break;
        case Std.Second:
        case Std.ZeroSecond: {
          [sec, value] = getnum(value, std === Std.ZeroSecond);
          if (sec < 0 || sec >= 60) {
            rangeErr = "second";
            break;
          }
          // A fraction in the value but not in the layout is still read.
          if (value.length >= 2 && commaOrPeriod(value[0]) && isDigitAt(value, 1)) {
            const next = nextStdChunk(layout).std;
            if (next === Std.FracSecond0 || next === Std.FracSecond9) break;
            let n = 2;
            while (n < value.length && isDigitAt(value, n)) n++;
            const frac = value;
            value = value.slice(n);
            [nsec, rangeErr] = parseNanoseconds(frac, n);
          }
          break;
        }
        case Std.PM:
        case Std.pm: {
          if (value.length < 2) throw new Bad();
          const p = value.slice(0, 2);
          value = value.slice(2);
          const [pmText, amText] = std === Std.PM ? ["PM", "AM"] : ["pm", "am"];
          if (p === pmText) pmSet = true;
          else if (p === amText) amSet = true;
          else throw new Bad();
          break;
        }
        case Std.ISO8601TZ:
        case Std.ISO8601ColonTZ:
        case Std.ISO8601SecondsTZ:
        case Std.ISO8601ShortTZ:
        case Std.ISO8601ColonSecondsTZ:
        case Std.NumTZ:
        case Std.NumShortTZ:
        case Std.NumColonTZ:
        case Std.NumSecondsTz:
        case Std.NumColonSecondsTZ: {
          if (
            (std === Std.ISO8601TZ || std === Std.ISO8601ShortTZ || std === Std.ISO8601ColonTZ) &&
            value[0] === "Z"
          ) {
            value = value.slice(1);
            utc = true;
            break;
          }
          let sign: string;
          let hh: string;
          let mm: string;
          let ss = "00";
          if (std === Std.ISO8601ColonTZ || std === Std.NumColonTZ) {
            if (value.length < 6 || value[3] !== ":") throw new Bad();
            [sign, hh, mm, value] = [value[0]!, value.slice(1, 3), value.slice(4, 6), value.slice(6)];
          } else if (std === Std.NumShortTZ || std === Std.ISO8601ShortTZ) {
            if (value.length < 3) throw new Bad();
            [sign, hh, mm, value] = [value[0]!, value.slice(1, 3), "00", value.slice(3)];
          } else if (std === Std.ISO8601ColonSecondsTZ || std === Std.NumColonSecondsTZ) {
            if (value.length < 9 || value[3] !== ":" || value[6] !== ":") throw new Bad();
            [sign, hh, mm, ss, value] = [
              value[0]!,
              value.slice(1, 3),
              value.slice(4, 6),
              value.slice(7, 9),
              value.slice(9),
            ];
          } else if (std === Std.ISO8601SecondsTZ || std === Std.NumSecondsTz) {
            if (value.length < 7) throw new Bad();
            [sign, hh, mm, ss, value] = [
              value[0]!,
              value.slice(1, 3),
              value.slice(3, 5),
              value.slice(5, 7),
              value.slice(7),
            ];
          } else {
            if (value.length < 5) throw new Bad();
            [sign, hh, mm, value] = [value[0]!, value.slice(1, 3), value.slice(3, 5), value.slice(5)];
          }
          const [hr] = getnum(hh, true);
          const [m] = getnum(mm, true);
          const [s] = getnum(ss, true);
          zoneOffset = (hr * 60 + m) * 60 + s;
          if (sign === "-") zoneOffset = -zoneOffset;
          else if (sign !== "+") throw new Bad();
          break;
        }
        case Std.TZ: {
          if (value.startsWith("UTC")) {
            utc = true;
            value = value.slice(3);
            break;
          }
          const n = parseTimeZone(value);
          if (n === null) throw new Bad();
          zoneName = value.slice(0, n);
          value = value.slice(n);
          break;
        }
        case Std.FracSecond0: {
          const ndigit = 1 + digits;
          if (value.length < ndigit) throw new Bad();
          const frac = value;
          value = value.slice(ndigit);
          [nsec, rangeErr] = parseNanoseconds(frac, ndigit);
          break;
        }
        case Std.FracSecond9: {
          if (value.length < 2 || !commaOrPeriod(value[0]) || !isDigitAt(value, 1)) break;
          let i = 0;
          while (i < 9 && i + 1 < value.length && isDigitAt(value, i + 1)) i++;
          const frac = value;
          value = value.slice(1 + i);
          [nsec, rangeErr] = parseNanoseconds(frac, 1 + i);
          break;
        }
      }
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      // Go reports what is left of the value at the point of failure (some elements consume
      // their bytes before they find them bad).
      if (rangeErr !== "") fail(stdstr, value, `: ${rangeErr} out of range`);
      fail(stdstr, value);
    }
    if (rangeErr !== "") fail(stdstr, value, `: ${rangeErr} out of range`);
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) fail("", value, ": day-of-year out of range");
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (DAYS_BEFORE[m]! < yday) m++;
      d = yday - DAYS_BEFORE[m - 1]!;
    }
    if (month >= 0 && month !== m) fail("", value, ": day-of-year does not match month");
    month = m;
    if (day >= 0 && day !== d) fail("", value, ": day-of-year does not match day");
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) fail("", value, ": day out of range");

  if (utc) return date(year, month, day, hour, min, sec, nsec, 0, "UTC");
  if (zoneOffset !== null) {
    // The local zone (UTC) is used when the offset is its offset; otherwise a fixed zone.
    if (zoneOffset === 0 && (zoneName === "" || zoneName === "UTC")) {
      return date(year, month, day, hour, min, sec, nsec, 0, "UTC");
    }
    return date(year, month, day, hour, min, sec, nsec, zoneOffset, zoneName || offsetName(zoneOffset));
  }
  if (zoneName !== "") {
    // An unknown zone name keeps the clock reading as UTC and only labels it (GMT+3 included).
    const t = date(year, month, day, hour, min, sec, nsec, 0, zoneName);
    const offset = zoneName.length > 3 && zoneName.startsWith("GMT") ? atoi(zoneName.slice(3)) * 60 : 0;
    return new GoTime(t.ms, t.nanos, offset, zoneName);
  }
  return date(year, month, day, hour, min, sec, nsec, 0, "UTC");
}

// --- durations ---------------------------------------------------------------------------------------

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: NS_PER_SEC,
  m: 60n * NS_PER_SEC,
  h: 3600n * NS_PER_SEC,
};

/** time.ParseDuration; throws Error with Go's message. */
export function parseDuration(orig: string): bigint {
  const invalid = () => new Error(`time: invalid duration ${timeQuote(orig)}`);
  let s = orig;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid();
  let d = 0n;
  while (s !== "") {
    let f = 0n;
    let scale = 1;
    if (!(s[0] === "." || (s[0]! >= "0" && s[0]! <= "9"))) throw invalid();
    const pl = s.length;
    const li = leadingInt(s);
    if (li === null) throw invalid();
    let v = li[0];
    s = li[1];
    const pre = pl !== s.length;
    let post = false;
    if (s !== "" && s[0] === ".") {
      s = s.slice(1);
      const before = s.length;
      let i = 0;
      let overflow = false;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 48 || c > 57) break;
        if (overflow) continue;
        if (f > (2n ** 63n - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(c - 48);
        if (y > 2n ** 63n) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s = s.slice(i);
      post = before !== s.length;
    }
    if (!pre && !post) throw invalid();
    let i = 0;
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (c === "." || (c >= "0" && c <= "9")) break;
    }
    if (i === 0) throw new Error(`time: missing unit in duration ${timeQuote(orig)}`);
    const u = s.slice(0, i);
    s = s.slice(i);
    const unit = UNITS[u];
    if (unit === undefined)
      throw new Error(`time: unknown unit ${timeQuote(u)} in duration ${timeQuote(orig)}`);
    if (v > 2n ** 63n / unit) throw invalid();
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > 2n ** 63n) throw invalid();
    }
    d += v;
    if (d > 2n ** 63n) throw invalid();
  }
  if (neg) return BigInt.asIntN(64, -d);
  if (d > MAX_DURATION) throw invalid();
  return d;
}

/** Duration.Round */
export function roundDuration(d: bigint, m: bigint): bigint {
  if (m <= 0n) return d;
  let r = d % m;
  const lessThanHalf = (x: bigint, y: bigint) => BigInt.asUintN(64, x + x) < BigInt.asUintN(64, y);
  if (d < 0n) {
    r = -r;
    if (lessThanHalf(r, m)) return d + r;
    const d1 = d - m + r;
    return d1 < d && d1 >= MIN_DURATION ? d1 : MIN_DURATION;
  }
  if (lessThanHalf(r, m)) return d - r;
  const d1 = d + m - r;
  return d1 > d && d1 <= MAX_DURATION ? d1 : MAX_DURATION;
}

/** t.Sub(u), saturating as Go does. */
export function subTimes(t: bigint, u: bigint): bigint {
  const d = t - u;
  return d > MAX_DURATION ? MAX_DURATION : d < MIN_DURATION ? MIN_DURATION : d;
}

/** t.Add(d) */
export function addDuration(t: GoTime, d: bigint): GoTime {
  return timeFromNanos(nanosOf(t) + d, t.offsetMinutes, t.zone);
}
