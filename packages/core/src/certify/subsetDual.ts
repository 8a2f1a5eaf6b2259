import type { SingleLayerForm } from '../lp/singleLayerForm.ts';
import { minimizeLbfgs } from './lbfgs.ts';

/**
 * A Lagrangian upper bound for `max_x Σ_j a_j relu(w_j·x + b_j)` over a box, tight where per-neuron
 * relaxations (triangle, α-CROWN, even the single-neuron convex hull) are not: the looseness of those
 * is between neurons that want the same pixels in opposite directions. Since `a·relu(z) = max_{s∈{0,1}}
 * s·a·z`, a group of positive-weight units is maximised exactly by trying every subset S of it as
 * "the active ones", each a linear function whose maximum over the box is closed-form. The input is
 * copied per group with multipliers λ_G for "copy = input", so any λ (and any α ∈ [0,1] for the
 * negative-weight units, any β ≥ 0 for the fixed phases) gives a sound bound:
 *
 *   max f ≤ Σ_G max_{S⊆G} max_{x∈box} (Σ_{j∈S} a_j z_j + λ_G·x) + max_{x∈box} (rest − Σ_G λ_G·x)
 *
 * where "rest" is linear: stable units, fixed-active units, −|a_j|·α_j·z_j for negative-weight units
 * (relu(z) ≥ α·z) and ±β_j·z_j for the fixed phases (z ≥ 0 or z ≤ 0 on that branch). With groups of
 * one unit this is the single-neuron hull; larger groups capture their units' conflicts exactly.
 * λ is optimised by L-BFGS on a smoothed surrogate (log-sum-exp over subsets, a quadratically
 * smoothed relu per input) while every evaluation also computes the exact bound; the least is kept.
 */
export interface SubsetProblem {
  form: SingleLayerForm;
  lo: Float64Array;
  hi: Float64Array;
  width: Float64Array;
  /** Pre-activation bounds over the box. */
  unitLo: Float64Array;
  unitHi: Float64Array;
  /** Positive-weight units that can be either phase (the ones grouped and branched on). */
  positive: Int32Array;
  /** `a_j·w_j` of each positive unit (row-major by position in `positive`) and `lo·a_j w_j`. */
  scaledRows: Float64Array;
  scaledLoDot: Float64Array;
  /** Negative-weight units that can be either phase (bounded through relu(z) ≥ α·z). */
  negative: Int32Array;
  /** The exactly linear part: stable units and the objective's constant. */
  linear: Float64Array;
  constant: number;
}

export function subsetProblem(form: SingleLayerForm, lo: Float64Array, hi: Float64Array): SubsetProblem {
  const { inputSize: n, A: rows, b: bias, c: weight } = form;
  const unitLo = new Float64Array(form.units);
  const unitHi = new Float64Array(form.units);
  const linear = Float64Array.from(form.linear);
  let constant = form.constant;
  const positive: number[] = [];
  const negative: number[] = [];
  for (let j = 0; j < form.units; j++) {
    let l = bias[j]!;
    let h = bias[j]!;
    for (let i = 0; i < n; i++) {
      const w = rows[j * n + i]!;
      l += w > 0 ? w * lo[i]! : w * hi[i]!;
      h += w > 0 ? w * hi[i]! : w * lo[i]!;
    }
    unitLo[j] = l;
    unitHi[j] = h;
    const a = weight[j]!;
    if (a === 0 || h <= 0) continue;
    if (l >= 0) {
      for (let i = 0; i < n; i++) linear[i]! += a * rows[j * n + i]!;
      constant += a * bias[j]!;
    } else if (a > 0) positive.push(j);
    else negative.push(j);
  }
  const scaledRows = new Float64Array(positive.length * n);
  const scaledLoDot = new Float64Array(positive.length);
  positive.forEach((j, p) => {
    let d = 0;
    for (let i = 0; i < n; i++) {
      const v = weight[j]! * rows[j * n + i]!;
      scaledRows[p * n + i] = v;
      d += v * lo[i]!;
    }
    scaledLoDot[p] = d;
  });
  return {
    form,
    lo,
    hi,
    width: Float64Array.from(hi, (h, i) => h - lo[i]!),
    unitLo,
    unitHi,
    positive: Int32Array.from(positive),
    scaledRows,
    scaledLoDot,
    negative: Int32Array.from(negative),
    linear,
    constant,
  };
}

/**
 * One node of the search: the phase of each positive unit (0 free, 1 active, −1 inactive), the free
 * units' grouping and the dual variables, flat for L-BFGS: `[λ_0 … λ_{G−1}, ρ (α = σ(ρ)), η (β =
 * η², one per positive unit; used where the phase is fixed)]`. Periodic and square maps keep α in
 * [0, 1] and β ≥ 0 without the flat tails (and stuck gradients) of a sigmoid or softplus.
 */
export interface SubsetNodeState {
  phase: Int8Array;
  /** Positions (into `problem.positive`) of each group's units. */
  groups: Int32Array[];
  theta: Float64Array;
}

export interface DualResult {
  /** The least exact bound seen (sound for any parameters). */
  bound: number;
  /** Parameters that gave it. */
  theta: Float64Array;
  /** The master problem's maximiser at those parameters: a candidate input. */
  x: Float64Array;
  /** Per positive unit, how strongly the smoothed solution wants it active (0..1, free units only). */
  activity: Float64Array;
  evaluations: number;
}

/** Per-input smoothing width relative to the subsets' temperature (0.5 converged best of 0.25–2). */
const pixelShare = 0.5;

export function initialTheta(problem: SubsetProblem, groupCount: number): Float64Array {
  const n = problem.form.inputSize;
  const theta = new Float64Array(groupCount * n + problem.negative.length + problem.positive.length);
  const rhoAt = groupCount * n;
  // α: CROWN's choice (1 where the unit is more often active than not over the box).
  problem.negative.forEach((j, k) => {
    theta[rhoAt + k] = problem.unitHi[j]! > -problem.unitLo[j]! ? 1.2 : -1.2;
  });
  theta.fill(0.1, rhoAt + problem.negative.length);
  return theta;
}

/** Evaluator of one node's bound: smoothed (τ > 0) value and gradient, and the exact bound. */
export function dualEvaluator(problem: SubsetProblem, node: SubsetNodeState) {
  const { form, lo, width, positive, scaledRows, scaledLoDot, negative } = problem;
  const n = form.inputSize;
  const { phase, groups } = node;
  const G = groups.length;
  const rhoAt = G * n;
  const etaAt = rhoAt + negative.length;
  const q = new Float64Array(n);
  const xMaster = new Float64Array(n);
  const M = new Float64Array(n);
  const zeros = new Float64Array(n);
  const activity = new Float64Array(positive.length);
  const scratch = new Float64Array(n);
  let pixelTau = 0;
  const fixed: number[] = [];
  for (let p = 0; p < positive.length; p++) if (phase[p] !== 0) fixed.push(p);
  const { A: rows, b: bias, c: weight } = form;
  let best = { bound: Number.POSITIVE_INFINITY, theta: new Float64Array(0), x: new Float64Array(0) };

  const unitOffset = Float64Array.from(positive, (j, p) => scaledLoDot[p]! + weight[j]! * bias[j]!);

  /** Smoothed value at `theta` (gradient into `grad`), with τ = 0 for the exact bound alone. */
  const evaluate = (theta: Float64Array, grad: Float64Array | undefined, tau: number): number => {
    grad?.fill(0);
    pixelTau = tau * pixelShare;
    // Master: linear parts, α terms, β terms, minus every λ.
    q.set(problem.linear);
    let constant = problem.constant;
    for (let k = 0; k < negative.length; k++) {
      const j = negative[k]!;
      const c = -weight[j]! * alphaOf(theta[rhoAt + k]!);
      for (let i = 0; i < n; i++) q[i]! -= c * rows[j * n + i]!;
      constant -= c * bias[j]!;
    }
    for (const p of fixed) {
      const j = positive[p]!;
      const beta = theta[etaAt + p]! ** 2 * phase[p]!;
      const a = phase[p]! > 0 ? weight[j]! : 0;
      for (let i = 0; i < n; i++) q[i]! += (a + beta) * rows[j * n + i]!;
      constant += (a + beta) * bias[j]!;
    }
    for (let g = 0; g < G; g++) {
      const off = g * n;
      for (let i = 0; i < n; i++) q[i]! -= theta[off + i]!;
    }
    let exact = constant;
    let smooth = constant;
    for (let i = 0; i < n; i++) {
      const v = q[i]!;
      const w = width[i]!;
      exact += lo[i]! * v + (v > 0 ? w * v : 0);
      if (tau > 0) {
        smooth += lo[i]! * v + w * smoothRelu(v, pixelTau);
        xMaster[i] = lo[i]! + w * smoothReluSlope(v, 1 / (2 * pixelTau), pixelTau);
      } else xMaster[i] = v > 0 ? problem.hi[i]! : lo[i]!;
    }
    if (grad) {
      for (let g = 0; g < G; g++) {
        const off = g * n;
        for (let i = 0; i < n; i++) grad[off + i] = -xMaster[i]!;
      }
      for (let k = 0; k < negative.length; k++) {
        const j = negative[k]!;
        let z = bias[j]!;
        for (let i = 0; i < n; i++) z += rows[j * n + i]! * xMaster[i]!;
        grad[rhoAt + k] = weight[j]! * z * alphaSlope(theta[rhoAt + k]!);
      }
      for (const p of fixed) {
        const j = positive[p]!;
        let z = bias[j]!;
        for (let i = 0; i < n; i++) z += rows[j * n + i]! * xMaster[i]!;
        grad[etaAt + p] = phase[p]! * z * 2 * theta[etaAt + p]!;
      }
    }
    // Groups: every subset by a Gray-code walk.
    for (let g = 0; g < G; g++) {
      const walk: GroupWalk = {
        n,
        M,
        zeros,
        theta,
        off: g * n,
        lo,
        width,
        rows: scaledRows,
        units: groups[g]!,
        unitOffset,
      };
      const values = walkSubsets(walk, pixelTau, tau, grad, activity, scratch);
      exact += values.top;
      smooth += values.smooth;
    }
    if (exact < best.bound)
      best = { bound: exact, theta: Float64Array.from(theta), x: Float64Array.from(xMaster) };
    return tau > 0 ? smooth : exact;
  };

  return {
    evaluate,
    get best() {
      return best;
    },
    activity,
  };
}

export interface DualSchedule {
  /** Smoothing temperatures relative to the bound's scale, each run for `iterations` L-BFGS steps. */
  temperatures: number[];
  iterations: number;
  deadline?: number;
  /** Stops once the exact bound is below this (the node is closed anyway). */
  stopBelow?: number;
  /** What the temperatures are relative to (default: the starting bound's magnitude). */
  scale?: number;
}

/** Optimises a node's dual from `node.theta` and returns the least exact bound found. */
export function optimizeDual(
  problem: SubsetProblem,
  node: SubsetNodeState,
  schedule: DualSchedule,
): DualResult {
  const evaluator = dualEvaluator(problem, node);
  const theta = Float64Array.from(node.theta);
  const start = evaluator.evaluate(theta, undefined, 0);
  const scale = schedule.scale ?? Math.max(1, Math.abs(start));
  let evaluations = 1;
  for (const relative of schedule.temperatures) {
    const tau = relative * scale;
    const result = minimizeLbfgs((t, grad) => evaluator.evaluate(t, grad, tau), theta, {
      iterations: schedule.iterations,
      ...(schedule.deadline !== undefined ? { deadline: schedule.deadline } : {}),
    });
    evaluations += result.evaluations;
    if (schedule.stopBelow !== undefined && evaluator.best.bound < schedule.stopBelow) break;
    if (schedule.deadline !== undefined && performance.now() > schedule.deadline) break;
  }
  // Activity at the best parameters, from one smoothed evaluation there.
  const best = evaluator.best;
  evaluator.activity.fill(0);
  evaluator.evaluate(
    Float64Array.from(best.theta),
    undefined,
    (schedule.temperatures.at(-1) ?? 1e-4) * scale,
  );
  return {
    bound: best.bound,
    theta: best.theta,
    x: best.x,
    activity: Float64Array.from(evaluator.activity),
    evaluations,
  };
}

/** One group's data for the subset walks: `M` is scratch, λ_G is `theta[off, off + n)`. */
interface GroupWalk {
  n: number;
  M: Float64Array;
  /** n zeros. */
  zeros: Float64Array;
  theta: Float64Array;
  off: number;
  lo: Float64Array;
  width: Float64Array;
  rows: Float64Array;
  units: Int32Array;
  /** `lo·a_j w_j + a_j b_j` per positive unit: a subset's constant part. */
  unitOffset: Float64Array;
}

/** Below this weight (relative to the best subset so far) a subset adds nothing to the gradient. */
const negligibleWeight = 1e-13;

/**
 * Every subset of a group's units, by a Gray-code walk (one row added or removed per step) with
 * `M = λ_G + Σ_{j∈S} a_j w_j`, each subset worth `lo·M + width·relu(M) + Σ a_j b_j`: returns the
 * largest (the group's exact bound) and, when τ > 0, the log-sum-exp over subsets (at temperature τ)
 * of their smoothed values (`smoothRelu` per input), adding its gradient to λ_G's (with `grad`) and
 * each unit's share of the weight to `activity`. The softmax is accumulated online against the
 * running peak (rescaled when it rises), so one walk serves values and gradient, and a subset whose
 * weight is negligible (most at low τ) skips its gradient pass. This is the bound's hot path: the
 * inner loops are branch-free (relu(v) = (v + |v|) / 2, `smoothingExcess` through |v|).
 */
function walkSubsets(
  walk: GroupWalk,
  pixelTau: number,
  tau: number,
  grad: Float64Array | undefined,
  activity: Float64Array,
  acc: Float64Array,
): { top: number; smooth: number } {
  const { n, M, zeros, theta, off, lo, width, rows, units, unitOffset } = walk;
  const smooth = tau > 0;
  const h = pixelTau;
  const excessScale = smooth ? 1 / (16 * h) : 0;
  const slopeScale = smooth ? 1 / (2 * h) : 0;
  const state: SubsetSoftmax = {
    n,
    M,
    width,
    h,
    slopeScale,
    tau,
    grad: grad ? acc : undefined,
    share: new Float64Array(units.length),
    peak: Number.NEGATIVE_INFINITY,
    total: 0,
    top: Number.NEGATIVE_INFINITY,
  };
  if (grad) acc.fill(0);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    M[i] = theta[off + i]!;
    offset += lo[i]! * M[i]!;
  }
  // Step 0 adds a zero row: the empty subset, through the same loops as the others.
  let mask = 0;
  const count = 1 << units.length;
  for (let k = 0; k < count; k++) {
    let source = zeros;
    let row = 0;
    let sign = 1;
    if (k > 0) {
      const bit = 31 - Math.clz32(k & -k);
      const p = units[bit]!;
      sign = mask & (1 << bit) ? -1 : 1;
      mask ^= 1 << bit;
      source = rows;
      row = p * n;
      offset += sign * unitOffset[p]!;
    }
    let linear = 0;
    let absolute = 0;
    let excess = 0;
    if (smooth) {
      for (let i = 0; i < n; i++) {
        const v = M[i]! + sign * source[row + i]!;
        M[i] = v;
        const w = width[i]!;
        const magnitude = Math.abs(v);
        linear += w * v;
        absolute += w * magnitude;
        // smoothingExcess(magnitude, h), inlined: as a call the walk ran 1.5 times slower.
        const u = h - magnitude;
        const e = u + Math.abs(u);
        excess += w * e * e;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = M[i]! + sign * source[row + i]!;
        M[i] = v;
        const w = width[i]!;
        linear += w * v;
        absolute += w * Math.abs(v);
      }
    }
    const convex = 0.5 * (linear + absolute);
    addSubset(state, mask, offset + convex, offset + convex + excess * excessScale);
  }
  const { top, total, share, peak } = state;
  if (!smooth) return { top, smooth: top };
  if (grad) for (let i = 0; i < n; i++) grad[off + i]! += acc[i]! / total + lo[i]!;
  for (let b = 0; b < share.length; b++) activity[units[b]!]! += share[b]! / total;
  return { top, smooth: peak + tau * Math.log(total) };
}

/** The running maximum and online softmax of one walk, updated by `addSubset` once per subset. */
interface SubsetSoftmax {
  n: number;
  M: Float64Array;
  width: Float64Array;
  h: number;
  slopeScale: number;
  tau: number;
  /** The gradient accumulator, when the gradient is wanted. */
  grad: Float64Array | undefined;
  share: Float64Array;
  peak: number;
  total: number;
  top: number;
}

function addSubset(s: SubsetSoftmax, mask: number, exactValue: number, value: number): void {
  if (exactValue > s.top) s.top = exactValue;
  if (!(s.tau > 0)) return;
  const { n, M, width, h, slopeScale, tau, grad, share } = s;
  if (value > s.peak) {
    const rescale = Math.exp((s.peak - value) / tau);
    s.total *= rescale;
    for (let b = 0; b < share.length; b++) share[b]! *= rescale;
    if (grad) for (let i = 0; i < n; i++) grad[i]! *= rescale;
    s.peak = value;
  }
  const weight = Math.exp((value - s.peak) / tau);
  if (weight < negligibleWeight) return;
  s.total += weight;
  for (let b = 0; b < share.length; b++) if (mask & (1 << b)) share[b]! += weight;
  if (grad) {
    for (let i = 0; i < n; i++) grad[i]! += weight * width[i]! * smoothReluSlope(M[i]!, slopeScale, h);
  }
}

/**
 * relu smoothed over `|v| < h` by a quadratic (`(v + h)² / 4h`): continuous slope for L-BFGS, no
 * transcendental functions in the hot loop, and never below relu. Written as `relu(v) +
 * smoothingExcess(|v|, h) / 16h`, the branch-free form the subset walk sums (its signs are
 * unpredictable: a branch per input made a node's bound twice as slow); the master's inputs use it too,
 * so both smooth the same function.
 */
function smoothRelu(v: number, h: number): number {
  const magnitude = Math.abs(v);
  return 0.5 * (v + magnitude) + smoothingExcess(magnitude, h) / (16 * h);
}

/** `(2·relu(h − |v|))²` from `|v|`: 16h times what the smoothing adds to relu. */
function smoothingExcess(magnitude: number, h: number): number {
  const u = h - magnitude;
  const e = u + Math.abs(u);
  return e * e;
}

/** The slope of `smoothRelu`: clamp((v + h) / 2h, 0, 1) = (|y| − |y − 1| + 1) / 2; `inverse` is 1 / 2h. */
function smoothReluSlope(v: number, inverse: number, h: number): number {
  const y = (v + h) * inverse;
  return 0.5 * (Math.abs(y) - Math.abs(y - 1) + 1);
}

/** α = (1 + sin ρ) / 2 ∈ [0, 1]. */
function alphaOf(rho: number): number {
  return (1 + Math.sin(rho)) / 2;
}

function alphaSlope(rho: number): number {
  return Math.cos(rho) / 2;
}
