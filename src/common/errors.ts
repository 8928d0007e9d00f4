/**
 * Errors meant for the user. Anything thrown that is not a UserError is a bug: main.ts prints it
 * as an internal error (redacted) and exits 1 — never a raw stack trace with secret values.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** A message with a file position, printed as "file:line:col: message". */
export class PositionedError extends UserError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = "PositionedError";
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
