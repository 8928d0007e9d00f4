/**
 * Go's time.Format layouts (the reference time "Mon Jan 2 15:04:05 MST 2006") for `timestamp`,
 * which Consul Template evaluates in UTC, and RFC 3339 parsing into GoTime for Vault's
 * wrap_info.creation_time.
 */
import { GoTime } from "../value.ts";

/** Go's long month and weekday names; the short forms are their first three letters. */
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
export const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const pad = (n: number, w = 2, c = "0") => String(n).padStart(w, c);
const isLower = (c: string | undefined) => c !== undefined && c >= "a" && c <= "z";

interface Parts {
  year: number;
  month: number; // 0-based
  day: number;
  yday: number;
  wday: number;
  hour: number;
  min: number;
  sec: number;
  nanos: number;
  offsetMinutes: number;
  zone: string;
}

function parts(ms: number, extraNanos: number, offsetMinutes: number, zone: string): Parts {
  const d = new Date(ms + offsetMinutes * 60000);
  const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1);
  const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    yday: Math.round((dayStart - jan1) / 86400000) + 1,
    wday: d.getUTCDay(),
    hour: d.getUTCHours(),
    min: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    nanos: (((ms % 1000) + 1000) % 1000) * 1e6 + extraNanos,
    offsetMinutes,
    zone,
  };
}

function zoneOffset(p: Parts, z: boolean, colon: boolean, withSeconds: boolean, hoursOnly: boolean): string {
  if (z && p.offsetMinutes === 0) return "Z";
  const off = Math.abs(p.offsetMinutes);
  const sign = p.offsetMinutes < 0 ? "-" : "+";
  const hh = pad(Math.floor(off / 60));
  const mm = pad(off % 60);
  if (hoursOnly) return sign + hh;
  const sep = colon ? ":" : "";
  return sign + hh + sep + mm + (withSeconds ? `${sep}00` : "");
}

/** One layout token at `i`: its length and how to print it, or null for literal text. */
function token(layout: string, i: number): [number, (p: Parts) => string] | null {
  const s = layout.slice(i);
  const c = s[0];
  switch (c) {
    case "J":
      if (s.startsWith("January")) return [7, (p) => MONTH_NAMES[p.month]!];
      // Go: "Jan" followed by a lower-case letter is text ("Janet"), not the month.
      if (s.startsWith("Jan") && !isLower(s[3])) return [3, (p) => MONTH_NAMES[p.month]!.slice(0, 3)];
      break;
    case "M":
      if (s.startsWith("Monday")) return [6, (p) => DAY_NAMES[p.wday]!];
      if (s.startsWith("Mon") && !isLower(s[3])) return [3, (p) => DAY_NAMES[p.wday]!.slice(0, 3)];
      if (s.startsWith("MST")) return [3, (p) => p.zone || zoneOffset(p, false, false, false, false)];
      break;
    case "0":
      if (s.startsWith("002")) return [3, (p) => pad(p.yday, 3)];
      if (s[1] && s[1] >= "1" && s[1] <= "6") {
        const k = s[1];
        return [
          2,
          (p) =>
            k === "1"
              ? pad(p.month + 1)
              : k === "2"
                ? pad(p.day)
                : k === "3"
                  ? pad(p.hour % 12 || 12)
                  : k === "4"
                    ? pad(p.min)
                    : k === "5"
                      ? pad(p.sec)
                      : pad(p.year % 100),
        ];
      }
      break;
    case "1":
      if (s.startsWith("15")) return [2, (p) => pad(p.hour)];
      return [1, (p) => String(p.month + 1)];
    case "2":
      if (s.startsWith("2006")) return [4, (p) => (p.year < 1000 ? pad(p.year, 4) : String(p.year))];
      return [1, (p) => String(p.day)];
    case "_":
      if (s.startsWith("_2")) {
        // "_2006" is a literal underscore followed by the year.
        if (s.startsWith("_2006")) return null;
        return [2, (p) => pad(p.day, 2, " ")];
      }
      if (s.startsWith("__2")) return [3, (p) => pad(p.yday, 3, " ")];
      break;
    case "3":
      return [1, (p) => String(p.hour % 12 || 12)];
    case "4":
      return [1, (p) => String(p.min)];
    case "5":
      return [1, (p) => String(p.sec)];
    case "P":
      if (s.startsWith("PM")) return [2, (p) => (p.hour >= 12 ? "PM" : "AM")];
      break;
    case "p":
      if (s.startsWith("pm")) return [2, (p) => (p.hour >= 12 ? "pm" : "am")];
      break;
    case "-":
    case "Z": {
      const z = c === "Z";
      const rest = s.slice(1);
      if (rest.startsWith("070000")) return [7, (p) => zoneOffset(p, z, false, true, false)];
      if (rest.startsWith("07:00:00")) return [9, (p) => zoneOffset(p, z, true, true, false)];
      if (rest.startsWith("0700")) return [5, (p) => zoneOffset(p, z, false, false, false)];
      if (rest.startsWith("07:00")) return [6, (p) => zoneOffset(p, z, true, false, false)];
      if (rest.startsWith("07")) return [3, (p) => zoneOffset(p, z, false, false, true)];
      break;
    }
    case ".":
    case ",": {
      const m = /^[.,](0+|9+)/.exec(s);
      if (m && !/[0-9]/.test(s[m[0].length] ?? "")) {
        const n = m[1]!.length;
        const trim = m[1]![0] === "9";
        return [
          m[0].length,
          (p) => {
            let digits = pad(p.nanos, 9).slice(0, Math.min(n, 9));
            if (trim) {
              digits = digits.replace(/0+$/, "");
              return digits === "" ? "" : c + digits;
            }
            return c + digits;
          },
        ];
      }
      break;
    }
  }
  return null;
}

/** time.Time.Format for a GoTime or an instant in ms (UTC). */
export function goTimeFormat(t: number | GoTime, layout: string): string {
  const p = typeof t === "number" ? parts(t, 0, 0, "UTC") : parts(t.ms, t.nanos, t.offsetMinutes, t.zone);
  let out = "";
  let i = 0;
  while (i < layout.length) {
    const tok = token(layout, i);
    if (tok) {
      out += tok[1](p);
      i += tok[0];
    } else {
      out += layout[i];
      i++;
    }
  }
  return out;
}

/** Parses RFC 3339 (with optional fraction) into a GoTime; null when it does not parse. */
export function parseRfc3339(s: string): GoTime | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(
    s,
  );
  if (!m) return null;
  const frac = (m[7] ?? "").padEnd(9, "0");
  const nanos = Number(frac);
  const local = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  let offset = 0;
  let zone = "UTC";
  if (m[8] !== "Z" && m[8] !== "z") {
    const sign = m[8]![0] === "-" ? -1 : 1;
    offset = sign * (Number(m[8]!.slice(1, 3)) * 60 + Number(m[8]!.slice(4, 6)));
    // Go names a parsed fixed zone by its offset ("-0500") unless it is the local zone.
    zone = offset === 0 ? "UTC" : `${sign < 0 ? "-" : "+"}${m[8]!.slice(1, 3)}${m[8]!.slice(4, 6)}`;
  }
  const ms = local - offset * 60000 + Math.floor(nanos / 1e6);
  return new GoTime(ms, nanos % 1e6, offset, zone);
}
