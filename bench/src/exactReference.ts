import type { extractDenseRelu } from '@argmax/core';
import {
  buildNetworkMilp,
  concaveCases,
  type ExactObjective,
  intervalBounds,
  type NodeBounds,
  solveLp,
  tightenReluBounds,
} from '@argmax/core';
import { cpuClock } from './cpuClock.ts';

type Network = Extract<ReturnType<typeof extractDenseRelu>, { network: unknown }>['network'];
type Domain = Parameters<typeof buildNetworkMilp>[3];

export interface ProvenOptimum {
  status: 'optimal' | 'time-limit' | 'failed';
  /** A feasible objective value (the best input found). */
  value: number;
  /** A proven upper bound on the maximum (HiGHS's dual bound): the reference a fraction is taken of. */
  bound: number;
  seconds: number;
  cpuSeconds: number;
  /** Seconds spent tightening the big-M bounds, and how many ReLUs stayed open (need a binary). */
  tightenSeconds: number;
  openUnits: number;
}

/**
 * The exact maximum of a network's concave objective over a linear domain, for the polish bench: a
 * big-M MILP (HiGHS) whose big-M bounds are first tightened by LPs, layer by layer, `rounds` times.
 * Each open ReLU input's bound is its maximum (minimum) over the LP relaxation of the whole network
 * with one more row: the relaxed objective ≥ `incumbent`'s value. Every input at least as good as the
 * incumbent, so the maximiser, satisfies all of it, so the bounds stay valid for the maximum.
 * Independent of the polish under test: the incumbent only starts the MILP and cuts; the proof is
 * HiGHS's. Solved on this thread, so a stopped MILP still reports its dual bound.
 */
export async function provenOptimum(
  network: Network,
  objective: ExactObjective,
  domain: Domain,
  incumbent: ArrayLike<number>,
  options: {
    /** The budget in CPU seconds of this process (so a loaded machine slows it, not cuts it short). */
    cpuSeconds: number;
    /** A wall-clock limit besides (default 10 × cpuSeconds). */
    timeLimitSeconds?: number;
    rounds?: number;
  },
): Promise<ProvenOptimum> {
  const started = performance.now();
  const cpuUsed = cpuClock();
  const deadline = started + (options.timeLimitSeconds ?? 10 * options.cpuSeconds) * 1000;
  const outOfBudget = () => cpuUsed() > options.cpuSeconds || performance.now() > deadline;
  const objectiveCase = concaveCases(network, objective)[0]!;
  const bounds: NodeBounds = intervalBounds(network, domain.lo, domain.hi);
  const reluOps = network.ops.flatMap((op, p) => (op.kind === 'relu' ? [p] : []));
  const open = () =>
    reluOps.reduce((n, p) => n + bounds.lo[p]!.filter((l, j) => l < 0 && bounds.hi[p]![j]! > 0).length, 0);
  const incumbentValue = valueAt(buildNetworkMilp(network, bounds, objectiveCase, domain), incumbent);
  const cut = incumbentValue - 1e-6 * (1 + Math.abs(incumbentValue));

  await tightenReluBounds(network, bounds, domain, {
    atLeast: { objective: objectiveCase, value: cut },
    rounds: options.rounds ?? 2,
    shouldStop: outOfBudget,
    inProcess: true,
  });
  const tightenSeconds = (performance.now() - started) / 1000;
  const milp = buildNetworkMilp(network, bounds, objectiveCase, domain);
  const left = Math.max(1, (deadline - performance.now()) / 1000);
  const solution = await solveLp(milp.lp, {
    integers: milp.integers,
    start: milp.startAt(incumbent),
    mipRelGap: 1e-6,
    timeLimitSeconds: left,
    inProcess: { shouldStop: outOfBudget },
  });
  return {
    status:
      solution.status === 'optimal'
        ? 'optimal'
        : solution.status === 'time-limit' || solution.status === 'interrupted'
          ? 'time-limit'
          : 'failed',
    value: solution.feasible ? solution.objective : incumbentValue,
    bound: solution.bound,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuUsed(),
    tightenSeconds,
    openUnits: open(),
  };
}

function valueAt(milp: ReturnType<typeof buildNetworkMilp>, x: ArrayLike<number>): number {
  const columns = milp.startAt(x);
  let sum = milp.lp.offset;
  milp.lp.colCost.forEach((w, c) => {
    sum += w * columns[c]!;
  });
  return sum;
}
