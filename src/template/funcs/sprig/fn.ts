/** A registered Sprig function: its Go signature and a JS body typed by what the executor passes. */
import type { GoFunc } from "../../value.ts";

export type Fn = GoFunc;

// biome-ignore lint/suspicious/noExplicitAny: parameter types are checked by the executor against the signature.
export function fn(signature: string, body: (...args: any[]) => unknown): GoFunc {
  return { signature, fn: body as never };
}
