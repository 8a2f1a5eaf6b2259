import type { ConcaveCase } from '../lp/networkMilp.ts';
import { buildNetworkMilp, objectiveAwareUnits } from '../lp/networkMilp.ts';
import { padLp } from '../lp/padLp.ts';
import { solveLp } from '../lp/solveLp.ts';
import type { NodeBounds } from '../network/intervalBounds.ts';
import type { LayerGraph } from '../network/layerGraph.ts';
import {
  type BoundParameters,
  type BoundProblem,
  cloneParameters,
  initialParameters,
  optimizeBound,
} from './boundOptimizer.ts';
import type { CertifyRegion } from './region.ts';
import { type Split, splitBounds } from './splitBounds.ts';

/**
 * Anytime branch and bound over ReLU phases. A node fixes the phase of some units; its bound is the
 * α/β-optimised linear relaxation over the inputs that respect those phases (β-CROWN style: fixed
 * phases enter as Lagrangian terms, warm-started from the parent). Best-first: the largest open bound
 * is the global upper bound, and it can only go down. Every node's relaxation maximiser is tried as a
 * candidate. A node where no unit needs a binary any more (all phases fixed or objective-aware) is
 * solved exactly as an LP. Nodes whose bound is within the tolerance of the incumbent are closed.
 */
export interface BranchAndBoundInput {
  graph: LayerGraph;
  region: CertifyRegion;
  objective: ConcaveCase;
  /** Node bounds over the whole region (IBP ∩ CROWN). */
  rootBounds: NodeBounds;
  /** Value of the best feasible input known (−∞ if none). */
  incumbent: number;
  /** Evaluates a candidate input: its true objective value, or −∞ when it is not feasible. */
  consider(x: Float64Array): number;
  deadline: number;
  /** Relative gap at which the search stops (proven). */
  tolerance: number;
  onBound?(bound: number, incumbent: number, nodes: number): void;
  shouldStop(): boolean;
  /** Lets the event loop run (abort signals, progress) every so often. */
  yieldEvery?: number;
}

export interface BranchAndBoundResult {
  bound: number;
  incumbent: number;
  nodes: number;
  lps: number;
  /** Whether the search ran out of open nodes (the bound is then the optimum within tolerance). */
  complete: boolean;
}

interface OpenNode {
  splits: Split[];
  bound: number;
  params: BoundParameters;
  /** The node bounds its splits gave (its children start from them), when kept. */
  bounds?: NodeBounds;
  /** The unit this node's bound says to branch on next. */
  branch?: { op: number; unit: number };
}

const rootIterations = 100;
const childIterations = 20;
/**
 * Per-input slopes (ρ) that open nodes keep for their children, in doubles (~128 MB; the seed model's
 * node holds ~91,000). A child starts from its parent's ρ, so the slopes go on improving down the tree;
 * past this, nodes keep none and their children start from the root's. Measured on the seed model,
 * L∞ ε = 0.1, phase search alone: class 0 proven in 113 nodes (10.4 s CPU) against 203 (18.8 s)
 * starting every child from the root's ρ, class 4 in 105 (9.7 s) against 199 (18.5 s).
 */
const maxKeptSlopes = 16_000_000;
/** Node-bound entries (doubles) that open nodes keep for their children (~128 MB). */
const maxKeptBounds = 16_000_000;

export async function branchAndBound(input: BranchAndBoundInput): Promise<BranchAndBoundResult> {
  const { graph, region, objective } = input;
  const aware = objectiveAwareUnits(graph, objective);
  let incumbent = input.incumbent;
  let nodes = 0;
  let lps = 0;
  /** The largest bound of any closed node (pruned or solved): part of the global bound. */
  let closedMax = Number.NEGATIVE_INFINITY;
  // No slack while no feasible input is known (then nothing may be closed on its account).
  const slack = () => input.tolerance * Math.max(1, Number.isFinite(incumbent) ? Math.abs(incumbent) : 0);
  /** The last global bound reported (only lower ones are reported after it). */
  let reported = Number.POSITIVE_INFINITY;
  const consider = (x: Float64Array) => {
    const value = input.consider(x);
    if (value > incumbent) {
      incumbent = value;
      input.onBound?.(Math.max(reported, incumbent), incumbent, nodes);
    }
  };

  const boundsSize = input.rootBounds.lo.reduce((sum, l) => sum + 2 * l.length, 0);
  let keptBounds = 0;
  const prepare = (splits: Split[], parent: NodeBounds | undefined) =>
    // With the parent's bounds, only the newest split is new to them.
    splitBounds(graph, parent ?? input.rootBounds, splits, parent ? splits.length - 1 : 0, input.deadline);

  let rootRho: (Float64Array | undefined)[] = [];
  let keptSlopes = 0;
  const slopeCount = (params: BoundParameters | undefined) =>
    params ? params.rho.reduce((sum, r) => sum + (r?.length ?? 0), 0) : 0;
  /** A node's parameters are dropped (closed, branched or not kept): its ρ and bounds leave the counts. */
  const release = (node: { params?: BoundParameters; bounds?: NodeBounds }) => {
    keptSlopes -= slopeCount(node.params);
    if (node.bounds) keptBounds -= boundsSize;
  };
  const evaluate = async (
    splits: Split[],
    warm: BoundParameters | undefined,
    iterations: number,
    parentBounds?: NodeBounds,
  ): Promise<{
    bound: number;
    params?: BoundParameters;
    bounds?: NodeBounds;
    branch?: { op: number; unit: number };
  }> => {
    nodes++;
    const prepared = prepare(splits, parentBounds);
    if (!prepared) return { bound: Number.NEGATIVE_INFINITY };
    const problem: BoundProblem = {
      graph,
      bounds: prepared.bounds,
      region,
      objective,
      splitSign: prepared.splitSign,
    };
    const start = initialParameters(problem);
    if (warm) inherit(start, warm, problem, rootRho);
    const result = optimizeBound(problem, start, {
      iterations,
      stopBelow: incumbent + slack(),
      deadline: input.deadline,
    });
    consider(result.x);
    const branch = chooseBranch(problem, result.post, aware);
    // Per-input slopes are large: a node keeps its own while the open nodes' fit `maxKeptSlopes`. Each
    // node optimises them again: left at the parent's (seed model, ε = 0.1 ball of class 3, phase search
    // alone, 45 s), nodes went 1.7× faster but the gap stayed at 21 % against 3.9 %.
    const own = slopeCount(result.params);
    const keep = keptSlopes + own <= maxKeptSlopes;
    if (keep) keptSlopes += own;
    const params = keep ? result.params : { ...result.params, rho: [] };
    if (splits.length === 0) rootRho = result.params.rho;
    if (branch || result.bound <= incumbent + slack()) {
      const keepBounds = branch !== undefined && keptBounds + boundsSize <= maxKeptBounds;
      if (keepBounds) keptBounds += boundsSize;
      return {
        bound: result.bound,
        params,
        ...(keepBounds ? { bounds: prepared.bounds } : {}),
        ...(branch ? { branch } : {}),
      };
    }
    // No ReLU left that needs a binary: the node's LP is exact (a MILP over the max-pool choices of
    // windows that no input dominates, when there are some).
    lps++;
    const milp = buildNetworkMilp(graph, prepared.bounds, objective, region, {
      splitSign: prepared.splitSign,
    });
    const solved = await solveLp(milp.lp, {
      timeLimitSeconds: (input.deadline - performance.now()) / 1000,
      presolve: false,
      inProcess: { shouldStop: input.shouldStop },
      ...(milp.integers.length > 0 ? { integers: milp.integers } : {}),
    });
    if (solved.x) consider(solved.x.slice(0, graph.inputSize));
    if (solved.status === 'optimal' || solved.status === 'infeasible') {
      return { bound: Math.min(result.bound, padLp(solved.bound)) };
    }
    return { bound: result.bound, params };
  };

  const heap = new MaxHeap<OpenNode>();
  const root = await evaluate([], undefined, rootIterations);
  if (root.bound > incumbent + slack()) {
    if (root.params)
      heap.push(
        {
          splits: [],
          bound: root.bound,
          params: root.params,
          ...(root.bounds ? { bounds: root.bounds } : {}),
          ...(root.branch ? { branch: root.branch } : {}),
        },
        root.bound,
      );
    else closedMax = Math.max(closedMax, root.bound);
  } else closedMax = Math.max(closedMax, root.bound);

  const globalBound = () => Math.max(closedMax, heap.peekKey() ?? Number.NEGATIVE_INFINITY, incumbent);
  reported = Math.min(reported, globalBound());
  input.onBound?.(reported, incumbent, nodes);
  let lastYield = performance.now();
  const yieldEvery = input.yieldEvery ?? 50;

  while (heap.size > 0) {
    if (performance.now() > input.deadline || input.shouldStop()) break;
    if (globalBound() - incumbent <= slack()) break;
    const node = heap.pop()!;
    if (node.bound <= incumbent + slack()) {
      closedMax = Math.max(closedMax, node.bound);
      release(node);
      continue;
    }
    if (!node.branch) {
      // Stopped before it could be branched or solved: it stays open with its bound.
      heap.push(node, node.bound);
      break;
    }
    for (const sign of [1, -1] as const) {
      const splits = [...node.splits, { op: node.branch.op, unit: node.branch.unit, sign }];
      const child = await evaluate(splits, node.params, childIterations, node.bounds);
      // A child's bound never needs to exceed its parent's (both are valid for the child's inputs).
      const bound = Math.min(child.bound, node.bound);
      if (
        child.params &&
        bound > incumbent + slack() &&
        (child.branch || performance.now() > input.deadline)
      ) {
        heap.push(
          {
            splits,
            bound,
            params: child.params,
            ...(child.bounds ? { bounds: child.bounds } : {}),
            ...(child.branch ? { branch: child.branch } : {}),
          },
          bound,
        );
      } else {
        closedMax = Math.max(closedMax, bound);
        release(child);
      }
    }
    release(node);
    // The popped node's bound counts until its children are in: report only after them.
    const after = globalBound();
    if (after < reported) {
      reported = after;
      input.onBound?.(after, incumbent, nodes);
    }
    if (performance.now() - lastYield > yieldEvery) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  const bound = globalBound();
  input.onBound?.(bound, incumbent, nodes);
  return { bound, incumbent, nodes, lps, complete: heap.size === 0 };
}

/**
 * Copies the parent's parameters into a child's (same shapes, plus a zero β for the new split); ρ is
 * the parent's where it kept its own, else the root's.
 */
function inherit(
  target: BoundParameters,
  parent: BoundParameters,
  problem: BoundProblem,
  rootRho: (Float64Array | undefined)[],
): void {
  const copy = cloneParameters(parent);
  if (target.rho.length > 0)
    target.rho = copy.rho.length > 0 ? copy.rho : rootRho.length > 0 ? rootRho : target.rho;
  target.alpha = copy.alpha;
  target.theta = copy.theta;
  target.mu = copy.mu;
  target.beta = problem.graph.ops.map((_, p) => {
    const sign = problem.splitSign?.[p];
    if (!sign) return undefined;
    const beta = new Float64Array(sign.length);
    if (copy.beta[p]) beta.set(copy.beta[p]!);
    return beta;
  });
}

/**
 * The open unit whose relaxation costs the bound most: for a unit on its upper line, the coefficient
 * times the line's height above the ReLU at 0 (`u·(−l)/(u−l)`), BaBSR-style; units on their lower line
 * come after, by coefficient times `min(u, −l)`. Objective-aware units never need a branch. (Strong
 * branching among the 4 best-scored, each child bounded once, left larger gaps in 60 s at equal CPU
 * on the polish bench's open 3-hidden-layer MLPs: 14.2 and 15.7 % against 5.7 and 9.2 %.)
 */
function chooseBranch(
  problem: BoundProblem,
  post: (Float64Array | undefined)[],
  aware: { op: number; free: Uint8Array } | undefined,
): { op: number; unit: number } | undefined {
  let best: { op: number; unit: number } | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  problem.graph.ops.forEach((op, p) => {
    if (op.kind !== 'relu' && op.kind !== 'leakyRelu') return;
    const l = problem.bounds.lo[p]!;
    const u = problem.bounds.hi[p]!;
    const coefficient = post[p]!;
    const sign = problem.splitSign?.[p];
    for (let j = 0; j < op.size; j++) {
      if (!(l[j]! < 0 && u[j]! > 0) || sign?.[j]) continue;
      if (aware?.op === p && aware.free[j]) continue;
      const v = coefficient[j]!;
      const score =
        v > 0 ? (v * u[j]! * -l[j]!) / (u[j]! - l[j]!) : -1e12 + Math.abs(v) * Math.min(u[j]!, -l[j]!);
      if (score > bestScore) {
        bestScore = score;
        best = { op: p, unit: j };
      }
    }
  });
  return best;
}

/** A binary max-heap keyed by number. */
class MaxHeap<T> {
  private readonly items: { key: number; value: T }[] = [];
  get size(): number {
    return this.items.length;
  }
  peekKey(): number | undefined {
    return this.items[0]?.key;
  }
  push(value: T, key: number): void {
    const items = this.items;
    items.push({ key, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.key >= items[i]!.key) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }
  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let largest = i;
        if (left < items.length && items[left]!.key > items[largest]!.key) largest = left;
        if (right < items.length && items[right]!.key > items[largest]!.key) largest = right;
        if (largest === i) break;
        [items[largest], items[i]] = [items[i]!, items[largest]!];
        i = largest;
      }
    }
    return top.value;
  }
}
