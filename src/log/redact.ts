/**
 * The taint registry. Every value that came from Vault (secret data, tokens, secret IDs, rendered
 * env values) is registered here before it can reach a message; the logger and error formatting
 * replace any registered value with REDACTED. Short values (< MIN_LENGTH) are not registered:
 * replacing "1" or "ok" everywhere would make every log line unreadable without protecting
 * anything real.
 */

export const REDACTED = "[redacted]";
const MIN_LENGTH = 4;

export class Redactor {
  private values = new Set<string>();
  private pattern: RegExp | null = null;

  /** Marks a value (or every string inside an object/array) as secret. */
  register(value: unknown): void {
    const before = this.values.size;
    this.collect(value, 0);
    if (this.values.size !== before) this.pattern = null;
  }

  /** Number of registered values (for tests and metrics). */
  get size(): number {
    return this.values.size;
  }

  /** Replaces every registered secret in `text`. */
  redact(text: string): string {
    if (this.values.size === 0 || text.length < MIN_LENGTH) return text;
    if (!this.pattern) {
      const sorted = [...this.values].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(sorted.map(escapeRegExp).join("|"), "g");
    }
    return text.replace(this.pattern, REDACTED);
  }

  clear(): void {
    this.values.clear();
    this.pattern = null;
  }

  private collect(value: unknown, depth: number): void {
    if (depth > 32 || value === null || value === undefined) return;
    if (typeof value === "string") {
      if (value.length >= MIN_LENGTH) {
        this.values.add(value);
        // A value can also leak with its surrounding whitespace trimmed, or JSON-escaped.
        const trimmed = value.trim();
        if (trimmed.length >= MIN_LENGTH) this.values.add(trimmed);
        const escaped = JSON.stringify(value).slice(1, -1);
        if (escaped !== value) this.values.add(escaped);
      }
      return;
    }
    if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return;
    if (Array.isArray(value)) {
      for (const v of value) this.collect(v, depth + 1);
      return;
    }
    if (typeof value === "object") {
      const text = (value as { text?: unknown }).text;
      if (typeof text === "string" && Object.keys(value).length === 1) return; // JsonNumber: not secret text
      for (const v of Object.values(value as Record<string, unknown>)) this.collect(v, depth + 1);
    }
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The process-wide redactor used by the logger and by error formatting. */
export const redactor = new Redactor();
