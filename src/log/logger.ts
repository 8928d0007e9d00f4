/**
 * A logger that writes Vault's (hclog's) line format:
 *   2026-03-17T14:28:54.393+0900 [INFO]  agent: (runner) rendered "a" => "b": key=value
 * or, with -log-format=json, hclog's JSON objects ({"@level","@message","@module","@timestamp",…}).
 * Every message and value passes through the redactor, so a secret that reaches a log call anyway
 * comes out as [redacted].
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { type Clock, systemClock } from "../clock/clock.ts";
import { type Redactor, redactor as globalRedactor } from "./redact.ts";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "off";
export type LogFormat = "standard" | "json";

const LEVEL_RANK: Record<LogLevel, number> = { trace: 1, debug: 2, info: 3, warn: 4, error: 5, off: 6 };
const BRACKET: Record<Exclude<LogLevel, "off">, string> = {
  trace: "[TRACE]",
  debug: "[DEBUG]",
  info: "[INFO] ",
  warn: "[WARN] ",
  error: "[ERROR]",
};

/** Parses a level as Vault does (notice=info, warning=warn, err=error). */
export function parseLogLevel(value: string): LogLevel {
  const v = value.trim().toLowerCase();
  switch (v) {
    case "trace":
    case "debug":
    case "info":
    case "warn":
    case "error":
    case "off":
      return v;
    case "notice":
    case "":
      return "info";
    case "warning":
      return "warn";
    case "err":
      return "error";
    default:
      throw new Error(`unknown log level: ${value}`);
  }
}

export function parseLogFormat(value: string): LogFormat {
  const v = value.trim().toLowerCase();
  if (v === "" || v === "standard") return "standard";
  if (v === "json") return "json";
  throw new Error(`unknown log format: ${value}`);
}

/** Where formatted lines go. */
export interface LogSink {
  write(line: string): void;
}

export const stderrSink: LogSink = { write: (line) => process.stderr.write(line) };
export const stdoutSink: LogSink = { write: (line) => process.stdout.write(line) };

/** Collects lines in memory (tests). */
export class MemorySink implements LogSink {
  lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  text(): string {
    return this.lines.join("");
  }
}

export interface FileSinkOptions {
  rotateBytes?: number;
  rotateDurationMs?: number;
  rotateMaxFiles?: number;
  clock?: Clock;
}

/**
 * -log-file as Vault interprets it: a path ending in "/" means <dir>/agent.log; a name without
 * an extension gets ".log"; rotated files get "-<unix nanos>" before the extension.
 */
export class FileSink implements LogSink {
  readonly path: string;
  private bytes = 0;
  private openedAt: number;
  private clock: Clock;

  constructor(
    path: string,
    private opts: FileSinkOptions = {},
  ) {
    let p = path;
    if (p.endsWith("/")) p = join(p, "agent.log");
    if (extname(p) === "") p = `${p}.log`;
    this.path = p;
    this.clock = opts.clock ?? systemClock;
    this.openedAt = this.clock.now();
    mkdirSync(dirname(p), { recursive: true });
    try {
      this.bytes = statSync(p).size;
    } catch {
      this.bytes = 0;
    }
    appendFileSync(p, "", { mode: 0o600 });
  }

  write(line: string): void {
    this.maybeRotate(line.length);
    appendFileSync(this.path, line, { mode: 0o600 });
    this.bytes += Buffer.byteLength(line);
  }

  private maybeRotate(next: number): void {
    const { rotateBytes = 0, rotateDurationMs = 24 * 3600_000 } = this.opts;
    const bySize = rotateBytes > 0 && this.bytes + next > rotateBytes;
    const byTime = rotateDurationMs > 0 && this.clock.now() - this.openedAt >= rotateDurationMs;
    if (!bySize && !byTime) return;
    if (this.bytes === 0) {
      this.openedAt = this.clock.now();
      return;
    }
    const ext = extname(this.path);
    const base = this.path.slice(0, this.path.length - ext.length);
    renameSync(this.path, `${base}-${this.clock.now()}000000${ext}`);
    this.bytes = 0;
    this.openedAt = this.clock.now();
  }
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  sinks?: LogSink[];
  clock?: Clock;
  redactor?: Redactor;
  /** Time zone offset in minutes for timestamps (tests); default: the local zone. */
  utcOffsetMinutes?: number;
}

interface LoggerCore {
  level: LogLevel;
  format: LogFormat;
  sinks: LogSink[];
  clock: Clock;
  redactor: Redactor;
  utcOffsetMinutes?: number;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** hclog's timestamp: 2006-01-02T15:04:05.000Z0700 in local time. */
export function formatTimestamp(ms: number, offsetMinutes?: number): string {
  const off = offsetMinutes ?? -new Date(ms).getTimezoneOffset();
  const d = new Date(ms + off * 60_000);
  const base =
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  if (off === 0) return `${base}Z`;
  const sign = off < 0 ? "-" : "+";
  const a = Math.abs(off);
  return `${base}${sign}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
}

function valueText(v: unknown): string {
  if (v instanceof Error) return v.message;
  if (typeof v === "string") return v;
  if (v === undefined) return "<nil>";
  if (typeof v === "object" && v !== null) {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

/** hclog quotes values that contain spaces or special characters. */
function quoteIfNeeded(s: string): string {
  if (s === "" || /[\s"=]/.test(s) || /[^\x20-\x7e]/.test(s)) return JSON.stringify(s);
  return s;
}

export class Logger {
  private constructor(
    private core: LoggerCore,
    readonly name: string,
    private fields: unknown[],
  ) {}

  static create(opts: LoggerOptions = {}): Logger {
    return new Logger(
      {
        level: opts.level ?? "info",
        format: opts.format ?? "standard",
        sinks: opts.sinks ?? [stderrSink],
        clock: opts.clock ?? systemClock,
        redactor: opts.redactor ?? globalRedactor,
        utcOffsetMinutes: opts.utcOffsetMinutes,
      },
      "",
      [],
    );
  }

  /** A logger for a sub-component: names are joined with "." as hclog does. */
  named(name: string): Logger {
    return new Logger(this.core, this.name ? `${this.name}.${name}` : name, this.fields);
  }

  /** A logger that adds these key/value pairs to every line. */
  with(...kv: unknown[]): Logger {
    return new Logger(this.core, this.name, [...this.fields, ...kv]);
  }

  setLevel(level: LogLevel): void {
    this.core.level = level;
  }

  get level(): LogLevel {
    return this.core.level;
  }

  enabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= LEVEL_RANK[this.core.level];
  }

  trace(msg: string, ...kv: unknown[]): void {
    this.log("trace", msg, kv);
  }
  debug(msg: string, ...kv: unknown[]): void {
    this.log("debug", msg, kv);
  }
  info(msg: string, ...kv: unknown[]): void {
    this.log("info", msg, kv);
  }
  warn(msg: string, ...kv: unknown[]): void {
    this.log("warn", msg, kv);
  }
  error(msg: string, ...kv: unknown[]): void {
    this.log("error", msg, kv);
  }

  log(level: Exclude<LogLevel, "off">, msg: string, kv: unknown[] = []): void {
    if (!this.enabled(level)) return;
    const all = this.fields.length ? [...this.fields, ...kv] : kv;
    const r = this.core.redactor;
    const ts = formatTimestamp(this.core.clock.now(), this.core.utcOffsetMinutes);
    let line: string;
    if (this.core.format === "json") {
      const obj: Record<string, unknown> = { "@level": level, "@message": r.redact(msg) };
      if (this.name) obj["@module"] = this.name;
      obj["@timestamp"] =
        `${ts.slice(0, 23)}${ts.endsWith("Z") ? "Z" : `${ts.slice(23, 26)}:${ts.slice(26)}`}`;
      for (let i = 0; i < all.length; i += 2) {
        const key = String(all[i]);
        const val = all[i + 1];
        obj[key] =
          typeof val === "number" || typeof val === "boolean"
            ? val
            : r.redact(valueText(val === undefined ? "<nil>" : val));
      }
      line = `${JSON.stringify(obj)}\n`;
    } else {
      let out = `${ts} ${BRACKET[level]} `;
      if (this.name) out += `${this.name}: `;
      out += r.redact(msg);
      if (all.length > 0) {
        out += ":";
        for (let i = 0; i < all.length; i += 2) {
          const key = String(all[i]);
          const val = i + 1 < all.length ? all[i + 1] : "EXTRA_VALUE_AT_END";
          out += ` ${key}=${quoteIfNeeded(r.redact(valueText(val)))}`;
        }
      }
      line = `${out}\n`;
    }
    for (const s of this.core.sinks) {
      try {
        s.write(line);
      } catch {
        // A broken log destination must never take the agent down.
      }
    }
  }
}

/** A logger that drops everything (library default). */
export const nullLogger = Logger.create({ level: "off", sinks: [] });
