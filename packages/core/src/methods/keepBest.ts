/**
 * Successive halving of the starts in one step: after `after` steps, only the `starts` best go on.
 * Which local maximum a start reaches is mostly settled early: on the Keras Fashion-MNIST CNN's 128
 * × 80 runs (10 classes × 3 seeds), the start that ended best ranked at most 39th of 128 after 3 steps
 * in 27 of 30 (optimize/timeBudget.ts has the cuts and what they keep), so the steps saved on the
 * others buy more starts. The survivors' steps are those they would have taken without the cut: starts
 * do not interact, so a run with the cut ends with the value the same run without it would have reached
 * whenever its best start survives.
 */
export interface KeepBest {
  /** Steps every start takes. */
  after: number;
  /** Starts that take the remaining steps. */
  starts: number;
}

/**
 * The rows of the `count` highest values (ties: the lower row first), in row order. NaN ranks last.
 */
export function bestRows(values: ArrayLike<number>, count: number): number[] {
  const rows = Array.from({ length: values.length }, (_, i) => i);
  const key = (i: number) => (Number.isNaN(values[i]!) ? Number.NEGATIVE_INFINITY : values[i]!);
  rows.sort((a, b) => key(b) - key(a) || a - b);
  return rows.slice(0, Math.max(0, Math.min(count, rows.length))).sort((a, b) => a - b);
}
