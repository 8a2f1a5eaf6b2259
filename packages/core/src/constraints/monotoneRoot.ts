/**
 * A point `t` in [a, c] where the nonincreasing function `f` crosses zero, given f(a) > 0 ≥ f(c).
 * Illinois regula falsi: exact in one step where `f` is linear and fast on the piecewise-linear
 * functions that projections produce. Always returns a point on the feasible side (f(t) ≤ 0), within
 * `tol` of the crossing when it converged.
 */
export function nonincreasingRoot(
  f: (t: number) => number,
  a: number,
  fa: number,
  c: number,
  fc: number,
  tol: number,
): number {
  let wa = fa;
  let wc = fc;
  let last = 0;
  for (let iter = 0; iter < 200; iter++) {
    if (fc >= -tol) return c;
    let t = c - (wc * (c - a)) / (wc - wa);
    if (!(t > a && t < c)) t = (a + c) / 2;
    const ft = f(t);
    if (ft <= 0 && ft >= -tol) return t;
    if (ft > 0) {
      a = t;
      wa = ft;
      if (last === -1) wc /= 2;
      last = -1;
    } else {
      c = t;
      fc = ft;
      wc = ft;
      if (last === 1) wa /= 2;
      last = 1;
    }
    if (c - a <= 1e-15 * Math.max(1, Math.abs(c))) return c;
  }
  return c;
}
