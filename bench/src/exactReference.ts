import type { extractDenseRelu } from '@argmax/core';
import {
  buildNetworkMilp,
  concaveCases,
  type ExactObjective,
  intervalBounds,
  type NodeBounds,
  solveLp,
} from '@argmax/core';

type Network = Extract<ReturnType<typeof extractDenseRelu>, { network: unknown }>['network'];
type Domain = Parameters<typeof buildNetworkMilp>[3];
type Program = ReturnType<typeof buildNetworkMilp>['lp'];

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
  const cpuStart = process.cpuUsage();
  const cpuUsed = () => {
    const u = process.cpuUsage(cpuStart);
    return (u.user + u.system) / 1e6;
  };
  const deadline = started + (options.timeLimitSeconds ?? 10 * options.cpuSeconds) * 1000;
  const outOfBudget = () => cpuUsed() > options.cpuSeconds || performance.now() > deadline;
  const objectiveCase = concaveCases(network, objective)[0]!;
  const bounds: NodeBounds = intervalBounds(network, domain.lo, domain.hi);
  const reluOps = network.ops.flatMap((op, p) => (op.kind === 'relu' ? [p] : []));
  const open = () =>
    reluOps.reduce((n, p) => n + bounds.lo[p]!.filter((l, j) => l < 0 && bounds.hi[p]![j]! > 0).length, 0);
  const incumbentValue = valueAt(buildNetworkMilp(network, bounds, objectiveCase, domain), incumbent);
  const cut = incumbentValue - 1e-6 * (1 + Math.abs(incumbentValue));

  for (let round = 0; round < (options.rounds ?? 2); round++) {
    for (const p of reluOps) {
      // The plain big-M relaxation: the objective-aware one leaves a ReLU of the last layer no upper
      // envelope, which the cut row would then not constrain.
      const milp = buildNetworkMilp(network, bounds, objectiveCase, domain, {
        objectiveAware: false,
        relaxIntegrality: true,
      });
      const lp = withCut(milp.lp, cut);
      const lower = bounds.lo[p]!;
      const upper = bounds.hi[p]!;
      for (let j = 0; j < lower.length; j++) {
        const col = milp.nodeColumns[p]![j]!;
        if (!(lower[j]! < 0 && upper[j]! > 0) || col < 0) continue;
        for (const sense of [1, -1]) {
          if (outOfBudget()) break;
          const colCost = new Float64Array(lp.numCols);
          colCost[col] = sense;
          const solution = await solveLp({ ...lp, colCost }, { inProcess: {} });
          if (solution.status !== 'optimal') continue;
          const b = solution.objective;
          // Padded: the LP's optimum holds to HiGHS's feasibility tolerances.
          const padded = b + 1e-6 * (1 + Math.abs(b));
          if (sense === 1) upper[j] = Math.min(upper[j]!, padded);
          else lower[j] = Math.max(lower[j]!, -padded);
        }
        lp.colLower[col] = lower[j]!;
        lp.colUpper[col] = upper[j]!;
      }
    }
  }
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

/** `lp` with one more row: its objective ≥ `atLeast`. */
function withCut(lp: Program, atLeast: number): Program {
  const cols: number[] = [];
  const vals: number[] = [];
  lp.colCost.forEach((w, c) => {
    if (w !== 0) {
      cols.push(c);
      vals.push(w);
    }
  });
  const end = lp.starts[lp.numRows]!;
  return {
    ...lp,
    colLower: lp.colLower.slice(),
    colUpper: lp.colUpper.slice(),
    numRows: lp.numRows + 1,
    rowLower: append(new Float64Array(lp.numRows + 1), lp.rowLower, [atLeast - lp.offset]),
    rowUpper: append(new Float64Array(lp.numRows + 1), lp.rowUpper, [Number.POSITIVE_INFINITY]),
    starts: append(new Int32Array(lp.numRows + 2), lp.starts, [end + cols.length]),
    indices: append(new Int32Array(end + cols.length), lp.indices.subarray(0, end), cols),
    values: append(new Float64Array(end + cols.length), lp.values.subarray(0, end), vals),
  };
}

function append<T extends Float64Array | Int32Array>(into: T, head: ArrayLike<number>, tail: number[]): T {
  into.set(head);
  into.set(tail, head.length);
  return into;
}
