/**
 * Errors raised by the Vault client. The message layout follows Vault's Go api package, because
 * users (and log scrapers) recognise it:
 *
 *   Error making API request.
 *
 *   Namespace: ns1/
 *   URL: GET https://vault:8200/v1/secret/data/x
 *   Code: 403. Errors:
 *
 *   * permission denied
 *
 * The URL never carries the query string (it may hold values such as a wrapping token), and the
 * server-provided parts pass through the redactor so a secret echoed back by a server cannot leak.
 */
import { redactor } from "../log/redact.ts";
import type { HttpMethod, VaultResponse } from "./types.ts";

export class VaultError extends Error {
  constructor(
    /** HTTP status; 0 when no response was received (network error, timeout). */
    readonly status: number,
    /** Vault's `errors` list (empty when the body had none or was not JSON). */
    readonly errors: string[],
    readonly method: HttpMethod | string,
    /** API path without /v1/ and without query string. */
    readonly path: string,
    message: string,
    /** The parsed body of an error response when it was a Vault envelope (e.g. KV v2 404 with metadata). */
    readonly response: VaultResponse | null = null,
    /** The raw body when it was not JSON (kept for callers; never put in the message unredacted). */
    readonly rawBody?: string,
  ) {
    // Only server-provided text is redacted (in formatApiError): paths are ours and not secret,
    // and redacting them would garble messages whenever a registered value is a common word.
    super(message);
    this.name = "VaultError";
  }
}

/** A failure below HTTP: connection refused, TLS handshake, timeout, abort. */
export class VaultNetworkError extends VaultError {
  constructor(
    method: HttpMethod | string,
    path: string,
    url: string,
    override readonly cause: unknown,
    /** True when the client's own timeout fired (as opposed to a caller abort or a socket error). */
    readonly timedOut = false,
  ) {
    const reason = timedOut
      ? "context deadline exceeded (Client.Timeout exceeded)"
      : redactor.redact(describeCause(cause));
    super(0, [], method, path, `${method} ${url}: ${reason}`);
    this.name = "VaultNetworkError";
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" && !cause.message.includes(code)
      ? `${cause.message} (${code})`
      : cause.message;
  }
  return String(cause);
}

/** Builds the api-package style message for an HTTP error response. */
export function formatApiError(opts: {
  method: string;
  url: string;
  namespace?: string;
  status: number;
  errors: string[] | null;
  raw?: string;
}): string {
  const lines = ["Error making API request.", ""];
  if (opts.namespace) lines.push(`Namespace: ${opts.namespace}`);
  lines.push(`URL: ${opts.method} ${opts.url}`);
  if (opts.errors === null) {
    lines.push(`Code: ${opts.status}. Raw Message:`, "", redactor.redact(opts.raw ?? ""));
  } else {
    lines.push(`Code: ${opts.status}. Errors:`, "");
    for (const e of opts.errors) lines.push(`* ${redactor.redact(e)}`);
  }
  return lines.join("\n");
}

/** Is this an error from the client with the given HTTP status? */
export function isVaultStatus(e: unknown, status: number): boolean {
  return e instanceof VaultError && e.status === status;
}
