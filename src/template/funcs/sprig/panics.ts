/**
 * Go runtime panics that Sprig functions run into, with the texts text/template reports
 * ("error calling X: <panic>").
 */

/**
 * Checks x[start:end] the way Go's runtime does (end against the length or capacity first, then
 * start against end) and throws Go's message. null stands for an omitted index.
 */
export function sliceBounds(start: bigint | null, end: bigint | null, len: bigint, what = "length"): void {
  const e = end ?? len;
  if (end !== null) {
    if (end < 0n) throw new Error(`runtime error: slice bounds out of range [:${end}]`);
    if (end > len) throw new Error(`runtime error: slice bounds out of range [:${end}] with ${what} ${len}`);
  }
  if (start !== null) {
    if (start < 0n) throw new Error(`runtime error: slice bounds out of range [${start}:]`);
    if (start > e) throw new Error(`runtime error: slice bounds out of range [${start}:${e}]`);
  }
}

/** x[i] out of range. */
export function indexOutOfRange(i: bigint | number, len: bigint | number): Error {
  return Number(i) < 0
    ? new Error(`runtime error: index out of range [${i}]`)
    : new Error(`runtime error: index out of range [${i}] with length ${len}`);
}
