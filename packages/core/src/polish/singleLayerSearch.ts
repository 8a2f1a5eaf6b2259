import { clipToDomain, type LinearDomain } from '../lp/linearDomain.ts';
import type { LinearProgram, LpSolution } from '../lp/linearProgram.ts';
import { preActivations, type SingleLayerForm, singleLayerLps } from '../lp/singleLayerForm.ts';
import { solveLp } from '../lp/solveLp.ts';
import { toggleBounds } from './toggleBounds.ts';

/** Pairs of toggles are tried among this many best single ones, once no single toggle improves. */
const pairsAmong = 10;

export interface SingleLayerPoint {
  x: Float64Array;
  value: number;
  /** LPs solved. */
  lps: number;
}

/**
 * Local search for a one-ReLU-layer network over which positive-weight ReLUs count (see
 * singleLayerLps). From a point, the LP counting the ReLUs active there (a convex-concave step)
 * can only improve on it; when it no longer does, the search toggles one ReLU (then two), highest
 * dual bound on the toggled LP first (toggleBounds.ts), and starts over from the first toggle that
 * improves. On the Fashion-MNIST MLP one or two toggles join the better local maxima that the
 * activation-region search (and Adam from 128 starts) missed: the improving toggle ranked 1st or 2nd
 * of ~60 by the bound, 3rd to 37th by its cost at the point. Toggles whose bound does not beat the
 * current value are left out (their LP cannot; the objective could, rarely, where the LP's optimum
 * turns on ReLUs it did not count), so a search that is stuck ends early. Stops when no toggle
 * improves, or at the deadline. Undefined when an infeasible start leads to no feasible LP optimum.
 */
export async function singleLayerSearch(
  form: SingleLayerForm,
  domain: LinearDomain,
  evaluate: (x: Float64Array) => number,
  start: { x: Float64Array; feasible: boolean },
  timeLeft: () => number,
  signal: AbortSignal | undefined,
  maxLps = Number.POSITIVE_INFINITY,
): Promise<SingleLayerPoint | undefined> {
  const { c } = form;
  // An infeasible start (outside the linear rows) is only where the search begins, never its answer.
  let best = { x: start.x, value: start.feasible ? evaluate(start.x) : Number.NEGATIVE_INFINITY };
  let lps = 0;
  const tried = new Set<string>();
  const lpFor = singleLayerLps(form, domain);
  // The LPs behind the current point, kept for their duals (toggleBounds ranks the toggles with them).
  const solved = new Map<string, { lp: LinearProgram; solution: LpSolution }>();
  const solve = async (counted: Uint8Array) => {
    const key = Buffer.from(counted).toString('base64');
    if (tried.has(key) || timeLeft() <= 0 || lps >= maxLps || signal?.aborted) return undefined;
    tried.add(key);
    const lp = lpFor((j) => counted[j] === 1);
    const solution = await solveLp(lp, { timeLimitSeconds: timeLeft() / 1000, presolve: false });
    lps++;
    if (solution.status !== 'optimal') return undefined;
    const x = clipToDomain(solution.x.subarray(0, form.inputSize), domain);
    return { x, value: evaluate(x), key, lp, solution };
  };
  const keep = (record: { key: string; lp: LinearProgram; solution: LpSolution }) => {
    if (solved.size >= 2) solved.delete(solved.keys().next().value!);
    solved.set(record.key, record);
  };
  const improves = <T extends { value: number }>(next: T | undefined): next is T =>
    next !== undefined && next.value > best.value + 1e-9 * Math.max(1, Math.abs(best.value));

  search: while (timeLeft() > 0 && lps < maxLps && !signal?.aborted) {
    const z = preActivations(form, best.x);
    const counted = Uint8Array.from(z, (v, j) => (c[j]! > 0 && v > 0 ? 1 : 0));
    const step = await solve(counted);
    if (step) keep(step);
    if (improves(step)) {
      best = step;
      continue;
    }
    const toggles = candidateToggles(
      form,
      solved.get(Buffer.from(counted).toString('base64')),
      counted,
      z,
      best.value,
    );
    for (const units of toggles) {
      if (timeLeft() <= 0 || lps >= maxLps || signal?.aborted) break search;
      for (const j of units) counted[j] = 1 - counted[j]!;
      const next = await solve(counted);
      for (const j of units) counted[j] = 1 - counted[j]!;
      if (next) keep(next);
      if (improves(next)) {
        best = next;
        continue search;
      }
    }
    break;
  }
  return Number.isFinite(best.value) ? { ...best, lps } : undefined;
}

/** Units to toggle, most promising first (see singleLayerSearch). */
function candidateToggles(
  form: SingleLayerForm,
  here: { lp: LinearProgram; solution: LpSolution } | undefined,
  counted: Uint8Array,
  z: Float64Array,
  value: number,
): number[][] {
  const { c, units } = form;
  const positive: number[] = [];
  for (let j = 0; j < units; j++) if (c[j]! > 0) positive.push(j);
  const bound = here && toggleBounds(form, here.lp, here.solution, counted);
  if (!bound) {
    // No duals at hand: cheapest first, what the toggle costs at the current point.
    positive.sort((i, j) => c[i]! * Math.abs(z[i]!) - c[j]! * Math.abs(z[j]!));
    return positive.map((j) => [j]);
  }
  const singles = positive.map((j) => ({ units: [j], bound: bound([j]) })).sort((p, q) => q.bound - p.bound);
  const top = singles.slice(0, pairsAmong).map((s) => s.units[0]!);
  const pairs: { units: number[]; bound: number }[] = [];
  for (let p = 0; p < top.length; p++) {
    for (let q = p + 1; q < top.length; q++) {
      const units = [top[p]!, top[q]!];
      pairs.push({ units, bound: bound(units) });
    }
  }
  pairs.sort((p, q) => q.bound - p.bound);
  const promising = (s: { bound: number }) => s.bound > value;
  return [...singles.filter(promising), ...pairs.filter(promising)].map((s) => s.units);
}
