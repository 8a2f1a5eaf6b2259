/**
 * An LP optimum holds to the solver's feasibility tolerances (HiGHS: 1e-7, relative to the row's
 * scale), so a bound taken from one is padded by 1e-6 relative to its size before it is used as a
 * proven bound.
 */
export function padLp(value: number): number {
  if (!Number.isFinite(value)) return value;
  return value + 1e-6 * (1 + Math.abs(value));
}
