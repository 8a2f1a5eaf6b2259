import type { ConcaveCase } from '../lp/networkMilp.ts';
import type { NodeBounds } from '../network/intervalBounds.ts';
import type { LayerGraph } from '../network/layerGraph.ts';
import {
  addSlopeLine,
  inputSlopeOp,
  type SlopeLine,
  slopeGradient,
  slopeLine,
  slopeLineAt,
  slopeRow,
} from './inputSlopes.ts';
import { backward, boxMaximum, defaultSlopes, forwardRelaxed, type Slopes } from './linearRelaxation.ts';
import type { CertifyRegion } from './region.ts';

/**
 * One bound to compute: the maximum of a concave objective case over the region, within node bounds
 * (which may carry fixed ReLU phases from branching, listed in `splitSign`).
 */
export interface BoundProblem {
  graph: LayerGraph;
  bounds: NodeBounds;
  region: CertifyRegion;
  objective: ConcaveCase;
  /** Per op: +1/−1 for ReLU units whose phase is fixed, 0 elsewhere. */
  splitSign?: (Int8Array | undefined)[];
  /** Per-input slopes for first-layer units (default true; false: the triangle line only). */
  inputSlopes?: boolean;
}

/**
 * The free parameters of the bound; every value in range gives a sound bound, so they are optimised
 * by projected Adam to make it tight (α-CROWN, β-CROWN). α: lower-line slopes; β ≥ 0: multipliers of
 * fixed phases; θ: mixture over the options of each min (a point of the simplex); μ ≥ 0: multipliers
 * of the linear input constraints (two per row: upper side, lower side).
 */
export interface BoundParameters {
  alpha: Slopes;
  beta: (Float64Array | undefined)[];
  theta: Float64Array[];
  mu: Float64Array;
  /** Per-input slopes ρ of the open units of the first ReLU layer (by unit; see inputSlopes.ts). */
  rho: (Float64Array | undefined)[];
}

export interface BoundEvaluation {
  bound: number;
  /** The input vertex where the relaxation attains the bound (a candidate for the true maximum). */
  x: Float64Array;
  /** The objective row's coefficient on every op's output (branching scores). */
  post: (Float64Array | undefined)[];
}

export function initialParameters(problem: BoundProblem, theta?: Float64Array[]): BoundParameters {
  const { graph, bounds } = problem;
  return {
    alpha: defaultSlopes(graph, bounds),
    beta: graph.ops.map((_, p) =>
      problem.splitSign?.[p] ? new Float64Array(problem.splitSign[p]!.length) : undefined,
    ),
    theta:
      theta ??
      problem.objective.mins.map((m) => new Float64Array(m.options.length).fill(1 / m.options.length)),
    mu: new Float64Array(2 * problem.region.rows.length),
    rho: initialSlopes(problem),
  };
}

/** ρ = u/(u − l) everywhere: the triangle line, where the optimisation starts. */
export function initialSlopes(problem: BoundProblem): (Float64Array | undefined)[] {
  const p = problem.inputSlopes === false ? undefined : inputSlopeOp(problem.graph);
  if (p === undefined) return [];
  const op = problem.graph.ops[0]!;
  if (op.kind !== 'affine') return [];
  const l = problem.bounds.lo[p]!;
  const u = problem.bounds.hi[p]!;
  return Array.from(l, (lj, j) => {
    if (!(lj < 0 && u[j]! > 0)) return undefined;
    return new Float64Array(slopeRow(op, j).weights.length).fill(u[j]! / (u[j]! - lj));
  });
}

export function cloneParameters(p: BoundParameters): BoundParameters {
  return {
    alpha: p.alpha.map((a) => a?.slice()),
    beta: p.beta.map((b) => b?.slice()),
    theta: p.theta.map((t) => t.slice()),
    mu: p.mu.slice(),
    rho: p.rho.map((r) => r?.slice()),
  };
}

/** Copies `source` into `target` of the same shapes, without allocating. */
function copyParameters(target: BoundParameters, source: BoundParameters): void {
  source.alpha.forEach((a, p) => {
    if (a) target.alpha[p]!.set(a);
  });
  source.beta.forEach((b, p) => {
    if (b) target.beta[p]!.set(b);
  });
  source.theta.forEach((t, k) => {
    target.theta[k]!.set(t);
  });
  target.mu.set(source.mu);
  source.rho.forEach((r, j) => {
    if (r) target.rho[j]!.set(r);
  });
}

interface Gradient {
  alpha: (Float64Array | undefined)[];
  beta: (Float64Array | undefined)[];
  theta: Float64Array[];
  mu: Float64Array;
  rho: (Float64Array | undefined)[];
}

function zeroGradient(p: BoundParameters): Gradient {
  return {
    alpha: p.alpha.map((a) => (a ? new Float64Array(a.length) : undefined)),
    beta: p.beta.map((b) => (b ? new Float64Array(b.length) : undefined)),
    theta: p.theta.map((t) => new Float64Array(t.length)),
    mu: new Float64Array(p.mu.length),
    rho: p.rho.map((r) => (r ? new Float64Array(r.length) : undefined)),
  };
}

/** The bound for fixed parameters; with `gradient`, also its subgradient in every parameter. */
export function evaluateBound(
  problem: BoundProblem,
  params: BoundParameters,
  gradient = false,
  /** Reused as the gradient's storage (same shapes as `params`). */
  scratch?: Gradient,
): BoundEvaluation & { gradient?: Gradient } {
  const { graph, bounds, region, objective } = problem;
  const K = graph.ops.length;
  const row = Float64Array.from(objective.base);
  objective.mins.forEach((m, k) => {
    m.options.forEach((d, j) => {
      const t = m.weight * params.theta[k]![j]!;
      if (t !== 0) for (let i = 0; i < row.length; i++) row[i]! += t * d[i]!;
    });
  });
  const splits = problem.splitSign ? { sign: problem.splitSign, beta: params.beta } : undefined;
  const slopeOp = params.rho.length > 0 ? inputSlopeOp(graph) : undefined;
  const mask = new Uint8Array(slopeOp === undefined ? 0 : bounds.lo[slopeOp]!.length);
  if (slopeOp !== undefined) {
    const l = bounds.lo[slopeOp]!;
    const u = bounds.hi[slopeOp]!;
    params.rho.forEach((r, j) => {
      if (r && l[j]! < 0 && u[j]! > 0 && !problem.splitSign?.[slopeOp]?.[j]) mask[j] = 1;
    });
  }
  const bypass = slopeOp !== undefined ? { op: slopeOp, mask } : undefined;
  const { A, c, post, roundoff } = backward(graph, bounds, K, row, new Float64Array(1), params.alpha, {
    record: true,
    ...(splits ? { splits } : {}),
    ...(bypass ? { bypass } : {}),
  });
  // First-layer units on their upper line: bounded by their per-input-slope line instead.
  const lines: (SlopeLine | undefined)[] = [];
  if (slopeOp !== undefined) {
    const op = graph.ops[0] as Extract<LayerGraph['ops'][number], { kind: 'affine' }>;
    const v = post![slopeOp]!;
    mask.forEach((on, j) => {
      if (!on || !(v[j]! > 0)) return;
      const rowJ = slopeRow(op, j);
      const line = slopeLine(rowJ, params.rho[j]!, region.lo, region.hi);
      lines[j] = line;
      c[0]! += addSlopeLine(A, rowJ, params.rho[j]!, v[j]!, line);
    });
  }
  region.rows.forEach((r, k) => {
    const up = params.mu[2 * k]!;
    const down = params.mu[2 * k + 1]!;
    const net = down - up;
    if (net !== 0) for (let i = 0; i < A.length; i++) A[i]! += net * r.coefficients[i]!;
    if (up !== 0) c[0]! += up * r.upper;
    if (down !== 0) c[0]! -= down * r.lower;
  });
  const { values, argmax } = boxMaximum(A, c, region.lo, region.hi, roundoff);
  const result = { bound: values[0]!, x: argmax, post: post! };
  if (!gradient) return result;

  const firstOp = graph.ops[0]!;
  const relaxed = forwardRelaxed(
    graph,
    bounds,
    argmax,
    params.alpha,
    post!,
    slopeOp !== undefined && firstOp.kind === 'affine'
      ? {
          op: slopeOp,
          mask,
          value: (j) => slopeLineAt(slopeRow(firstOp, j), params.rho[j]!, lines[j]!, argmax),
        }
      : undefined,
  );
  const g = scratch ?? zeroGradient(params);
  graph.ops.forEach((op, p) => {
    const ga = g.alpha[p];
    if (ga && (op.kind === 'relu' || op.kind === 'leakyRelu')) {
      const l = bounds.lo[p]!;
      const u = bounds.hi[p]!;
      const coefficient = post![p]!;
      const z = relaxed.pre[p]!;
      for (let j = 0; j < ga.length; j++) {
        ga[j] = l[j]! < 0 && u[j]! > 0 && coefficient[j]! <= 0 ? coefficient[j]! * z[j]! : 0;
      }
    }
    const gb = g.beta[p];
    const sign = problem.splitSign?.[p];
    if (gb && sign) {
      const z = relaxed.pre[p]!;
      for (let j = 0; j < gb.length; j++) gb[j] = sign[j]! * z[j]!;
    }
  });
  objective.mins.forEach((m, k) => {
    m.options.forEach((d, j) => {
      g.theta[k]![j] = m.weight * dot(d, relaxed.output);
    });
  });
  params.rho.forEach((r, j) => {
    const gr = g.rho[j];
    if (!r || !gr) return;
    const line = lines[j];
    if (line && firstOp.kind === 'affine') {
      slopeGradient(slopeRow(firstOp, j), r, post![slopeOp!]![j]!, line, argmax, region.lo, region.hi, gr);
    } else gr.fill(0);
  });
  region.rows.forEach((r, k) => {
    const ax = dot(r.coefficients, argmax);
    g.mu[2 * k] = Number.isFinite(r.upper) ? r.upper - ax : 0;
    g.mu[2 * k + 1] = Number.isFinite(r.lower) ? ax - r.lower : 0;
  });
  return { ...result, gradient: g };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export interface OptimizeBoundOptions {
  iterations: number;
  /** Stop as soon as the bound is at most this (the node can be pruned). */
  stopBelow?: number;
  /** performance.now() time to stop at. */
  deadline?: number;
  learningRate?: number;
}

/**
 * Projected Adam on the bound's parameters (minimising the bound). Every iterate is a valid bound, so
 * the smallest one seen is returned with the parameters that gave it (warm start for children).
 */
export function optimizeBound(
  problem: BoundProblem,
  start: BoundParameters,
  options: OptimizeBoundOptions,
): BoundEvaluation & { params: BoundParameters; iterations: number } {
  const params = cloneParameters(start);
  const scratch = zeroGradient(params);
  const first = evaluateBound(problem, params, true, scratch);
  const bestParams = cloneParameters(params);
  let best = { bound: first.bound, x: first.x, post: first.post, params: bestParams };
  if (options.stopBelow !== undefined && first.bound <= options.stopBelow) return { ...best, iterations: 0 };
  const lr = options.learningRate ?? 0.1;
  const scale = parameterScales(problem, first.post);
  const adam = new AdamState(params);
  let current = first;
  let iterations = 0;
  for (let t = 1; t <= options.iterations; t++) {
    if (options.deadline !== undefined && performance.now() > options.deadline) break;
    const rate = lr * 0.97 ** t;
    adam.step(params, current.gradient!, rate, scale, problem);
    current = evaluateBound(problem, params, true, scratch);
    iterations = t;
    if (current.bound < best.bound) {
      copyParameters(bestParams, params);
      best = { bound: current.bound, x: current.x, post: current.post, params: bestParams };
      if (options.stopBelow !== undefined && best.bound <= options.stopBelow) break;
    }
  }
  return { ...best, iterations };
}

/** Step sizes per parameter group, in the units of that group (β and μ scale with the objective). */
interface Scales {
  beta: number[];
  mu: number;
}

function parameterScales(problem: BoundProblem, post: (Float64Array | undefined)[]): Scales {
  const beta = problem.graph.ops.map((_, p) => {
    const coefficient = post[p];
    if (!coefficient) return 0;
    let sum = 0;
    for (const v of coefficient) sum += Math.abs(v);
    return sum / Math.max(1, coefficient.length);
  });
  const input = post[0] ?? new Float64Array(0);
  let mu = 0;
  for (const v of input) mu += Math.abs(v);
  return { beta, mu: mu / Math.max(1, input.length) + 1e-12 };
}

class AdamState {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  /** Arrays that have had a non-zero gradient (the others are skipped: Adam would not move them). */
  private readonly touched: boolean[];
  private t = 0;
  constructor(params: BoundParameters) {
    const arrays = flatten(params, params);
    this.m = arrays.map((a) => new Float64Array(a.length));
    this.v = arrays.map((a) => new Float64Array(a.length));
    this.touched = arrays.map(() => false);
  }

  step(
    params: BoundParameters,
    gradient: Gradient,
    rate: number,
    scales: Scales,
    problem: BoundProblem,
  ): void {
    this.t++;
    const values = flatten(params, params);
    const grads = flatten(gradient, params);
    const rates = groupRates(params, scales, rate);
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 / (1 - b1 ** this.t);
    const c2 = 1 / (1 - b2 ** this.t);
    const limits = groupLimits(params, problem);
    for (let k = 0; k < values.length; k++) {
      const value = values[k]!;
      const g = grads[k]!;
      if (!this.touched[k]) {
        let any = false;
        for (let i = 0; i < g.length && !any; i++) any = g[i] !== 0;
        if (!any) continue;
        this.touched[k] = true;
      }
      const m = this.m[k]!;
      const v = this.v[k]!;
      const r = rates[k]!;
      const [low, high] = limits[k]!;
      for (let i = 0; i < value.length; i++) {
        m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
        v[i] = b2 * v[i]! + (1 - b2) * g[i]! * g[i]!;
        const next = value[i]! - (r * m[i]! * c1) / (Math.sqrt(v[i]! * c2) + 1e-12);
        value[i] = Math.min(high, Math.max(low, next));
      }
    }
    for (const t of params.theta) projectSimplex(t);
  }
}

/** The parameter arrays in a fixed order (alpha ops, beta ops, theta, mu), skipping absent ones. */
function flatten(source: BoundParameters | Gradient, shape: BoundParameters): Float64Array[] {
  const out: Float64Array[] = [];
  shape.alpha.forEach((a, p) => {
    if (a) out.push(source.alpha[p]!);
  });
  shape.beta.forEach((b, p) => {
    if (b) out.push(source.beta[p]!);
  });
  for (const t of source.theta) out.push(t);
  out.push(source.mu);
  shape.rho.forEach((r, j) => {
    if (r) out.push(source.rho[j]!);
  });
  return out;
}

function groupRates(params: BoundParameters, scales: Scales, rate: number): number[] {
  const rates: number[] = [];
  params.alpha.forEach((a) => {
    if (a) rates.push(rate);
  });
  params.beta.forEach((b, p) => {
    if (b) rates.push(rate * 0.5 * (scales.beta[p] || 1));
  });
  for (const _ of params.theta) rates.push(rate * 0.5);
  rates.push(rate * 0.5 * scales.mu);
  params.rho.forEach((r) => {
    if (r) rates.push(rate);
  });
  return rates;
}

/** The box each parameter array is projected onto, in `flatten` order (θ's simplex comes after). */
function groupLimits(params: BoundParameters, problem: BoundProblem): [number, number][] {
  const limits: [number, number][] = [];
  params.alpha.forEach((a, p) => {
    const op = problem.graph.ops[p]!;
    if (a) limits.push([op.kind === 'leakyRelu' ? op.alpha : 0, 1]);
  });
  params.beta.forEach((b) => {
    if (b) limits.push([0, Number.POSITIVE_INFINITY]);
  });
  for (const _ of params.theta) limits.push([0, 1]);
  limits.push([0, Number.POSITIVE_INFINITY]);
  params.rho.forEach((r) => {
    if (r) limits.push([0, 1]);
  });
  return limits;
}

/** Euclidean projection onto the probability simplex (sort-based). */
export function projectSimplex(v: Float64Array): void {
  const sorted = Array.from(v).sort((a, b) => b - a);
  let sum = 0;
  let tau = 0;
  for (let i = 0; i < sorted.length; i++) {
    sum += sorted[i]!;
    const t = (sum - 1) / (i + 1);
    if (sorted[i]! - t > 0) tau = t;
  }
  for (let i = 0; i < v.length; i++) v[i] = Math.max(0, v[i]! - tau);
}
