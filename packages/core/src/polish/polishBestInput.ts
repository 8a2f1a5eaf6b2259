import type * as tfl from '@tensorflow/tfjs-layers';
import type { FeasibleSet } from '../constraints/feasibleSet.ts';
import { InvalidArgumentError } from '../errors.ts';
import { clipToDomain, type LinearDomain, linearDomain } from '../lp/linearDomain.ts';
import { type SingleLayerForm, singleLayerForm } from '../lp/singleLayerForm.ts';
import { solveLp, solverReady } from '../lp/solveLp.ts';
import { type DenseReluNetwork, extractDenseRelu } from '../network/denseReluChain.ts';
import { forwardLayerGraph } from '../network/layerGraph.ts';
import {
  compileExactObjective,
  type ExactObjective,
  evaluateExactObjective,
} from '../objectives/exactObjective.ts';
import { largestOther } from '../objectives/marginTerm.ts';
import type { ObjectiveSpec } from '../spec/types.ts';
import { polishMilp } from './exactMilp.ts';
import { type ActivationPattern, buildRegionLp } from './regionLp.ts';
import { singleLayerSearch } from './singleLayerSearch.ts';

/**
 * A net with more weights than this is out of the MILPs' reach. One ReLU layer skips the MILP search
 * after the single-layer search: on the 784-128 seed MLP (100k weights) its smallest neighbourhood
 * (8 free ReLUs) took 3–4 s, never ending within a polish budget of a few hundred ms. A deeper net
 * within reach gets `deepTimeLimitMs`: on random 2–3-hidden-layer nets of 20–100 inputs and widths
 * 16–64 (≤ 5k weights) the region walks stop at local maxima up to 2 % below the optimum, which lay
 * a few ReLU phases away (6 of 40 on a 80-24-16 net), inside a neighbourhood MILP of 16 free ReLUs.
 */
const maxMilpWeights = 20_000;
/** Share of the budget for a deep net's walk from the start (the walk from the relaxation follows). */
const startWalkShare = 0.6;
/**
 * The neighbourhood search ends once a MILP with this many free ReLUs around the best input finds
 * nothing better. On an 80-24-16 net the optimum was 6 phases from the walks' end, 2 % higher; the
 * next size (32 free of 40) took HiGHS longer than everything before it together.
 */
const settledFreeUnits = 16;
/** Share of the time left that a neighbourhood MILP may use before stopping itself. */
const milpTimeShare = 0.7;

export interface PolishOptions {
  /** Wall-clock budget for the whole polish once the solver is loaded, LP solves included (default 2000 ms). */
  timeLimitMs?: number;
  /**
   * The budget instead of `timeLimitMs` for a net with several ReLU layers whose MILP is within reach
   * (at most 20k weights): its neighbourhood MILPs need it (default `timeLimitMs`).
   */
  deepTimeLimitMs?: number;
  /**
   * Most activation regions to solve an LP over, or LPs of the single-layer search (default unlimited
   * within the time budget).
   */
  maxRegions?: number;
  signal?: AbortSignal;
}

export interface PolishedInput {
  /** Inside the constraints (clipped into the bounds at the end), flat, in the model's input order. */
  input: Float32Array;
  /** Objective at `input`, computed in float64 with the exact network. */
  value: number;
  /** Objective at the start, same computation. */
  startValue: number;
  /** Activation regions whose LP was solved (LPs solved, for the single-layer search). */
  regions: number;
  seconds: number;
}

export type PolishResult = PolishedInput | { skipped: string };

interface Region {
  pattern: ActivationPattern;
  x: Float64Array;
  value: number;
  /** ReLUs whose phase inequality binds at the LP optimum, strongest shadow price first. */
  binding: { op: number; unit: number }[];
}

/**
 * Refines an input of a ReLU MLP exactly. Inside one activation region the network is affine, so the
 * best input of the start's region is an LP (solved with HiGHS in float64). At that optimum some
 * ReLUs sit exactly at 0; flipping their phase gives neighbouring regions that still contain the
 * point, so their LPs can only do as well or better. Local search over those regions runs while the
 * value improves and time remains. A network with one ReLU layer and an objective without margins
 * gets a wider search instead (singleLayerSearch.ts: LPs that fix no phase, spanning many regions).
 * Deeper nets (objectives without negative-weight margins) also walk from the region of the MILP's
 * LP relaxation maximiser, after 60 % of the budget, and keep the better end. A large-neighbourhood
 * MILP search follows (not after the single-layer search of a large layer), until 16 free ReLUs find
 * nothing better or time runs out; a deeper net within the MILPs' reach has `deepTimeLimitMs` for all
 * this. Skips, with the reason, models that are not dense ReLU chains, objectives that are not
 * piecewise linear (prob, logprob) and non-linear constraints (L2 ball).
 */
export async function polishBestInput(
  model: tfl.LayersModel,
  objective: ObjectiveSpec,
  constraints: FeasibleSet,
  input: Float32Array,
  options: PolishOptions = {},
): Promise<PolishResult> {
  const extraction = extractDenseRelu(model);
  if ('unsupported' in extraction) return { skipped: `model: ${extraction.unsupported}` };
  const { network } = extraction;
  if (input.length !== network.inputSize) {
    throw new InvalidArgumentError('input', input, `${network.inputSize} values (the model's input size)`);
  }
  if (
    network.ops.some((op) => op.kind === 'affine' && (!allFinite(op.matrix.values) || !allFinite(op.bias)))
  ) {
    return { skipped: 'model: weights contain NaN or Infinity' };
  }
  const compiled = compileExactObjective(network, objective);
  if ('unsupported' in compiled) return { skipped: `objective: ${compiled.unsupported}` };
  if (constraints.input.size !== network.inputSize) {
    throw new InvalidArgumentError(
      'constraints',
      `a feasible set of ${constraints.input.size} inputs`,
      `one of ${network.inputSize} (the model's input size)`,
    );
  }
  if (constraints.ball) return { skipped: 'constraints: an L2 ball is not a linear constraint' };
  const domain = linearDomain(constraints);

  // One ReLU layer, no margin: a search that fixes no phases, else activation regions one by one.
  const form = singleLayerForm(network, compiled);
  const timeLimitMs = options.timeLimitMs ?? 2000;
  const budgetMs =
    !form && weightCount(network) <= maxMilpWeights ? (options.deepTimeLimitMs ?? timeLimitMs) : timeLimitMs;
  // The budget is for solving: loading the solver (once per process, or after a solve was ended) is not.
  await solverReady();
  const started = performance.now();
  const deadline = started + budgetMs;
  const start = Float64Array.from(input);
  const startFeasible = satisfiesRows(domain, clipToDomain(start, domain));
  const startValue = evaluateExactObjective(network, compiled, clipToDomain(start, domain));
  const timeLeft = () => deadline - performance.now();
  // A deep net's walk from the start leaves part of the budget to the walk from the LP relaxation.
  const startWalkEnd = started + startWalkShare * (deadline - started);
  const startWalkTimeLeft = () => startWalkEnd - performance.now();
  const searched = form
    ? await searchSingleLayer(network, compiled, domain, form, start, startFeasible, timeLeft, options)
    : await searchRegions(network, compiled, domain, start, startWalkTimeLeft, options);
  let current = searched.current;
  let regions = searched.regions;
  if (!form && !options.signal?.aborted && compiled.margins.every((t) => t.weight > 0)) {
    // Deeper nets: gradient starts can all settle in basins far from the optimum; the LP relaxation's
    // maximiser points elsewhere, so its region is walked too and the better end kept.
    const relaxed = await relaxationPoint(network, compiled, domain, timeLeft);
    if (relaxed) {
      const other = await searchRegions(network, compiled, domain, relaxed, timeLeft, options);
      regions += other.regions;
      if (other.current && !(current && current.value >= other.current.value)) current = other.current;
    }
  }
  const milpWithinReach = !form || form.A.length <= maxMilpWeights;
  if (current && milpWithinReach && !options.signal?.aborted && compiled.margins.every((t) => t.weight > 0)) {
    current = await neighbourhoodSearch(network, compiled, domain, current, timeLeft, options.signal);
  }

  const seconds = (performance.now() - started) / 1000;
  const polished = current ? Float32Array.from(clipToDomain(current.x, domain)) : undefined;
  const polishedValue = polished ? evaluateExactObjective(network, compiled, polished) : Number.NaN;
  if (polished && (!startFeasible || !(polishedValue < startValue))) {
    return { input: polished, value: polishedValue, startValue, regions, seconds };
  }
  const kept = Float32Array.from(clipToDomain(start, domain));
  return {
    input: kept,
    value: evaluateExactObjective(network, compiled, kept),
    startValue,
    regions,
    seconds,
  };
}

/** One ReLU layer: the search over which ReLUs count (singleLayerSearch.ts). */
async function searchSingleLayer(
  network: DenseReluNetwork,
  objective: ExactObjective,
  domain: LinearDomain,
  form: SingleLayerForm,
  start: Float64Array,
  startFeasible: boolean,
  timeLeft: () => number,
  options: PolishOptions,
): Promise<{ current: Region | undefined; regions: number }> {
  const found = await singleLayerSearch(
    form,
    domain,
    (x) => evaluateExactObjective(network, objective, x),
    { x: clipToDomain(start, domain), feasible: startFeasible },
    timeLeft,
    options.signal,
    options.maxRegions,
  );
  const current = found && {
    pattern: patternAt(network, found.x),
    x: found.x,
    value: found.value,
    binding: [],
  };
  return { current, regions: found?.lps ?? 0 };
}

/**
 * The best input of the start's activation region (an LP), then the regions across the ReLUs that
 * bind there, while the value improves.
 */
async function searchRegions(
  network: DenseReluNetwork,
  objective: ExactObjective,
  domain: LinearDomain,
  start: Float64Array,
  timeLeft: () => number,
  options: PolishOptions,
): Promise<{ current: Region | undefined; regions: number }> {
  const visited = new Set<string>();
  const solve = async (pattern: ActivationPattern, near: Float64Array) => {
    visited.add(patternKey(pattern));
    return solveRegion(network, objective, domain, pattern, near, timeLeft() / 1000);
  };
  let current = await solve(patternAt(network, clipToDomain(start, domain)), start);
  let regions = 1;
  const maxRegions = options.maxRegions ?? Number.POSITIVE_INFINITY;
  search: while (current) {
    const { binding } = current;
    const moves = binding.length > 1 ? [binding, ...binding.map((b) => [b])] : binding.map((b) => [b]);
    let improved = false;
    for (const flips of moves) {
      if (timeLeft() <= 0 || regions >= maxRegions || options.signal?.aborted) break search;
      const pattern = flipped(current.pattern, flips);
      if (visited.has(patternKey(pattern))) continue;
      const next = await solve(pattern, current.x);
      regions++;
      if (next && next.value > current.value + 1e-9 * Math.max(1, Math.abs(current.value))) {
        current = next;
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return { current, regions };
}

async function solveRegion(
  network: DenseReluNetwork,
  objective: ExactObjective,
  domain: LinearDomain,
  pattern: ActivationPattern,
  near: Float64Array,
  timeLimitSeconds: number,
): Promise<Region | undefined> {
  if (timeLimitSeconds <= 0) return undefined;
  // A negative-weight margin is taken against the runner-up class at the point we come from.
  const logits = forwardLayerGraph(network, near).at(-1) ?? near;
  const { lp, rowOp, rowUnit } = buildRegionLp(
    network,
    objective,
    domain,
    pattern,
    (k) => largestOther(logits, k).index,
  );
  const solution = await solveLp(lp, { timeLimitSeconds, presolve: false });
  if (solution.status !== 'optimal') return undefined;
  const x = clipToDomain(solution.x.subarray(0, network.inputSize), domain);
  const binding: { op: number; unit: number; dual: number }[] = [];
  for (let r = 0; r < lp.numRows; r++) {
    const dual = Math.abs(solution.rowDual[r]!);
    if (rowOp[r]! >= 0 && dual > 1e-9) binding.push({ op: rowOp[r]!, unit: rowUnit[r]!, dual });
  }
  binding.sort((a, b) => b.dual - a.dual);
  return { pattern, x, value: evaluateExactObjective(network, objective, x), binding };
}

/**
 * Large-neighbourhood search: keep the phase of every ReLU except the `k` whose inputs are nearest to 0
 * (relative to their interval width) and solve that MILP, starting from the incumbent. Improvements
 * re-centre the neighbourhood; failures double `k` up to `settledFreeUnits` (or every ReLU: the exact
 * problem, whose optimal solve ends the search with the global maximum).
 */
async function neighbourhoodSearch(
  network: DenseReluNetwork,
  objective: ExactObjective,
  domain: LinearDomain,
  start: Region,
  timeLeft: () => number,
  signal: AbortSignal | undefined,
): Promise<Region> {
  const widths = reluInputWidths(network, domain);
  const units = widths.reduce((sum, w) => sum + w.length, 0);
  let current = start;
  for (let k = Math.min(8, units); k > 0 && timeLeft() > 0 && !signal?.aborted; ) {
    const outputs = forwardLayerGraph(network, current.x);
    const nearness: { op: number; unit: number; distance: number }[] = [];
    network.ops.forEach((op, i) => {
      if (op.kind !== 'relu') return;
      const before = i === 0 ? current.x : outputs[i - 1]!;
      for (let j = 0; j < op.size; j++) {
        nearness.push({ op: i, unit: j, distance: Math.abs(before[j]!) / (widths[i]![j]! || 1) });
      }
    });
    nearness.sort((a, b) => a.distance - b.distance);
    const free = new Set(nearness.slice(0, k).map((u) => `${u.op}:${u.unit}`));
    const milp = await polishMilp(network, objective, domain, {
      fixed: { pattern: current.pattern, free: (op, unit) => free.has(`${op}:${unit}`) },
    });
    // HiGHS gets most of the time left and stops itself, keeping its incumbent; the rest is grace
    // before its thread is ended (HiGHS checks its clock only now and then).
    const seconds = timeLeft() / 1000;
    const solution = await solveLp(milp.lp, {
      integers: milp.integers,
      start: milp.startAt(current.x),
      mipRelGap: 1e-7,
      timeLimitSeconds: milpTimeShare * seconds,
      graceSeconds: (1 - milpTimeShare) * seconds,
    });
    if (solution.feasible) {
      const x = clipToDomain(solution.x.subarray(0, network.inputSize), domain);
      const value = evaluateExactObjective(network, objective, x);
      if (value > current.value + 1e-9 * Math.max(1, Math.abs(current.value))) {
        current = { pattern: patternAt(network, x), x, value, binding: [] };
        continue;
      }
    }
    // Nothing better with any phases of the `settledFreeUnits` ReLUs nearest to 0: a local maximum that
    // larger neighbourhoods rarely improve on for their cost, so the search ends on its own.
    if (k >= Math.min(settledFreeUnits, units) || solution.status !== 'optimal') break;
    k = Math.min(2 * k, units);
  }
  return current;
}

/**
 * The maximiser of the MILP's LP relaxation (big-M with interval bounds, every phase free), or
 * undefined when it is not solved in time. Walking from its region reached 0.98 of the optimum on a
 * 80-24-16 net where every one of 128 gradient starts ended in basins at ≤ 0.93 (and a dive that
 * fixed the phases the relaxation decides, one LP at a time, at 0.90).
 */
async function relaxationPoint(
  network: DenseReluNetwork,
  objective: ExactObjective,
  domain: LinearDomain,
  timeLeft: () => number,
): Promise<Float64Array | undefined> {
  if (timeLeft() <= 0) return undefined;
  const { lp } = await polishMilp(network, objective, domain);
  const solution = await solveLp(lp, { timeLimitSeconds: timeLeft() / 1000 });
  if (solution.status !== 'optimal') return undefined;
  return clipToDomain(solution.x.subarray(0, network.inputSize), domain);
}

/** Interval width of every ReLU's input over the domain (indexed by op; empty for other ops). */
function reluInputWidths(network: DenseReluNetwork, domain: LinearDomain): Float64Array[] {
  let lower = Float64Array.from(domain.lo);
  let upper = Float64Array.from(domain.hi);
  return network.ops.map((op) => {
    if (op.kind === 'affine') {
      const l = Float64Array.from(op.bias);
      const u = Float64Array.from(op.bias);
      for (let o = 0; o < op.outSize; o++) {
        for (let i = 0; i < op.inSize; i++) {
          const w = op.matrix.values[o * op.inSize + i]!;
          l[o]! += w * (w > 0 ? lower[i]! : upper[i]!);
          u[o]! += w * (w > 0 ? upper[i]! : lower[i]!);
        }
      }
      [lower, upper] = [l, u];
      return new Float64Array(0);
    }
    const widths = upper.map((u, j) => u - lower[j]!);
    lower = lower.map((v) => Math.max(v, 0));
    upper = upper.map((v) => Math.max(v, 0));
    return widths;
  });
}

/** Each ReLU's phase at `x` (a unit exactly at 0 counts as active; both regions contain x). */
function patternAt(network: DenseReluNetwork, x: Float64Array): ActivationPattern {
  const outputs = forwardLayerGraph(network, x);
  return network.ops.map((op, i) => {
    if (op.kind !== 'relu') return new Uint8Array(0);
    const before = i === 0 ? x : outputs[i - 1]!;
    return Uint8Array.from(before, (v) => (v >= 0 ? 1 : 0));
  });
}

function flipped(pattern: ActivationPattern, flips: { op: number; unit: number }[]): ActivationPattern {
  const next = pattern.map((p) => p.slice());
  for (const { op, unit } of flips) next[op]![unit] = 1 - next[op]![unit]!;
  return next;
}

function patternKey(pattern: ActivationPattern): string {
  return pattern.map((p) => Buffer.from(p).toString('base64')).join('|');
}

function satisfiesRows(domain: LinearDomain, x: Float64Array): boolean {
  return domain.rows.every((row) => {
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += row.coefficients[i]! * x[i]!;
    return sum >= row.lower - 1e-6 && sum <= row.upper + 1e-6;
  });
}

function weightCount(network: DenseReluNetwork): number {
  return network.ops.reduce((sum, op) => sum + (op.kind === 'affine' ? op.matrix.values.length : 0), 0);
}

function allFinite(values: Float64Array): boolean {
  return values.every(Number.isFinite);
}
