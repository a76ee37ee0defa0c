/**
 * The median of `values`: the middle one, or the mean of the two middle ones; null for none.
 * What a report calls "half were answered within…".
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The `p`th percentile by the nearest-rank method: the smallest value that at least `p`% of the
 * values do not exceed (of ten values, the 90th percentile is the ninth smallest); null for none.
 * Always a value that occurred, never an interpolation.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** `part` of `whole` as a fraction from 0 to 1; null when there is nothing to divide. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
