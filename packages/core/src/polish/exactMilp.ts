import type { LinearDomain } from '../lp/linearDomain.ts';
import { buildNetworkMilp, type NetworkMilp } from '../lp/networkMilp.ts';
import { solveLp } from '../lp/solveLp.ts';
import { tightenReluBounds } from '../lp/tightenBounds.ts';
import type { DenseReluNetwork } from '../network/denseReluChain.ts';
import { intervalBounds, tightenFrom } from '../network/intervalBounds.ts';
import { concaveCases, type ExactObjective } from '../objectives/exactObjective.ts';
import type { ActivationPattern } from './regionLp.ts';

export interface PolishMilpOptions {
  /** Keep the phase of every ReLU for which `free(op, unit)` is false at `pattern`'s value. */
  fixed?: { pattern: ActivationPattern; free: (op: number, unit: number) => boolean };
  /** Tighten the big-M bounds with two LPs per open ReLU (worth it for exact solves of small nets). */
  tightenBounds?: boolean;
}

/**
 * The polish's objective over a linear domain as the network's MILP (lp/networkMilp.ts), with interval
 * bounds of the domain narrowed by the kept phases. Positive-weight margins only: a negative-weight
 * margin is convex and has no MILP encoding here.
 */
export async function polishMilp(
  network: DenseReluNetwork,
  objective: ExactObjective,
  domain: LinearDomain,
  options: PolishMilpOptions = {},
): Promise<NetworkMilp> {
  if (objective.margins.some((t) => t.weight < 0)) {
    throw new Error('polishMilp: a negative-weight margin is not concave and has no MILP encoding here');
  }
  const bounds = intervalBounds(network, domain.lo, domain.hi);
  let splitSign: (Int8Array | undefined)[] | undefined;
  const { fixed } = options;
  if (fixed) {
    splitSign = network.ops.map((op, p) =>
      op.kind === 'relu'
        ? Int8Array.from(fixed.pattern[p]!, (phase, j) => (fixed.free(p, j) ? 0 : phase === 1 ? 1 : -1))
        : undefined,
    );
    // A kept phase is a bound on the ReLU's input, which narrows every later node's interval.
    splitSign.forEach((signs, p) => {
      if (!signs) return;
      signs.forEach((s, j) => {
        if (s === 1) bounds.lo[p]![j] = Math.max(bounds.lo[p]![j]!, 0);
        if (s === -1) bounds.hi[p]![j] = Math.min(bounds.hi[p]![j]!, 0);
      });
      tightenFrom(network, bounds, p);
    });
  }
  if (options.tightenBounds) await tightenReluBounds(network, bounds, domain);
  return buildNetworkMilp(network, bounds, concaveCases(network, objective)[0]!, domain, {
    ...(splitSign ? { splitSign } : {}),
  });
}

export interface ExactMaximum {
  status: 'optimal' | 'infeasible' | 'time-limit' | 'failed';
  value: number;
  /** The maximising input (float64); the best one found when status is 'time-limit'. */
  x: Float64Array;
  seconds: number;
}

/**
 * The global maximum of a piecewise-linear objective of a ReLU network over a linear domain (MILP with
 * tightened bounds). Exponential in the worst case: meant for small nets, tests and benchmarks.
 */
export async function maximizeExactly(
  network: DenseReluNetwork,
  objective: ExactObjective,
  domain: LinearDomain,
  options: {
    timeLimitSeconds?: number;
    tightenBounds?: boolean;
    /** A feasible input to start from: a good one lets HiGHS prune from the first node. */
    start?: ArrayLike<number>;
  } = {},
): Promise<ExactMaximum> {
  const started = performance.now();
  const milp = await polishMilp(network, objective, domain, {
    tightenBounds: options.tightenBounds ?? true,
  });
  const solution = await solveLp(milp.lp, {
    integers: milp.integers,
    ...(options.start ? { start: milp.startAt(options.start) } : {}),
    mipRelGap: 1e-9,
    ...(options.timeLimitSeconds !== undefined ? { timeLimitSeconds: options.timeLimitSeconds } : {}),
  });
  return {
    // Its solve runs in the worker thread, which no stop flag interrupts.
    status: solution.status === 'unbounded' || solution.status === 'interrupted' ? 'failed' : solution.status,
    value: solution.objective,
    x: solution.x.slice(0, network.inputSize),
    seconds: (performance.now() - started) / 1000,
  };
}
