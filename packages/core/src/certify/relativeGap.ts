/** (upper − value) / |upper|, the certificate's gap; infinite while no feasible value is known. */
export function relativeGap(upper: number, value: number): number {
  if (!Number.isFinite(value)) return Number.POSITIVE_INFINITY;
  return Math.max(0, upper - value) / Math.max(Math.abs(upper), 1e-12);
}
