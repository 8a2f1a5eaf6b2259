import { type NodeBounds, tightenFrom } from '../network/intervalBounds.ts';
import type { LayerGraph } from '../network/layerGraph.ts';
import type { LinearDomain } from './linearDomain.ts';
import { buildNetworkMilp, type ConcaveCase } from './networkMilp.ts';
import { padLp } from './padLp.ts';
import { solveLp } from './solveLp.ts';
import { withObjectiveCut } from './withObjectiveCut.ts';

export interface TightenOptions {
  /**
   * Bound each ReLU input over the LP relaxation of the whole network with one more row, "objective ≥
   * `value`" (instead of over the ops before it alone). Every input at least that good satisfies it,
   * so the bounds stay valid for the maximiser once some input is known to reach `value`.
   */
  atLeast?: { objective: ConcaveCase; value: number };
  /** Passes over the layers, each starting from the bounds the last one left (default 1). */
  rounds?: number;
  /** Asked before each LP: true ends the tightening (the bounds so far stay valid). */
  shouldStop?: () => boolean;
  /** Solve on this thread rather than in the solver's worker (no hand-over per LP). */
  inProcess?: boolean;
}

/**
 * Tightens the bounds of every ReLU input whose sign is still open with two LPs each (its max and min
 * over the LP relaxation), layer by layer, re-propagating intervals after each layer: a smaller big-M
 * makes the MILP far easier to solve. Worth it for exact solves of small nets.
 */
export async function tightenReluBounds(
  graph: LayerGraph,
  bounds: NodeBounds,
  region: LinearDomain,
  options: TightenOptions = {},
): Promise<void> {
  const { atLeast, shouldStop } = options;
  const none = { base: new Float64Array(graph.outputSize), mins: [] };
  const solveOptions = options.inProcess ? { inProcess: {} } : {};
  for (let round = 0; round < (options.rounds ?? 1); round++) {
    for (let p = 0; p < graph.ops.length; p++) {
      const op = graph.ops[p]!;
      if (op.kind !== 'relu' && op.kind !== 'leakyRelu') continue;
      const lower = bounds.lo[p]!;
      const upper = bounds.hi[p]!;
      // The plain big-M relaxation under the cut: the objective-aware one leaves a ReLU of the last
      // layer no upper envelope, which the cut row would then not constrain.
      const relaxation = atLeast
        ? buildNetworkMilp(graph, bounds, atLeast.objective, region, {
            objectiveAware: false,
            relaxIntegrality: true,
          })
        : buildNetworkMilp(graph, bounds, none, region, { relaxIntegrality: true, ops: p });
      const lp = atLeast ? withObjectiveCut(relaxation.lp, atLeast.value) : relaxation.lp;
      for (let j = 0; j < op.size; j++) {
        const col = relaxation.nodeColumns[p]![j]!;
        if (!(lower[j]! < 0 && upper[j]! > 0) || col < graph.inputSize) continue;
        for (const sense of [1, -1]) {
          if (shouldStop?.()) return;
          const colCost = new Float64Array(lp.numCols);
          colCost[col] = sense;
          const solution = await solveLp({ ...lp, colCost }, solveOptions);
          if (solution.status !== 'optimal') continue;
          if (sense === 1) upper[j] = Math.min(upper[j]!, padLp(solution.objective));
          else lower[j] = Math.max(lower[j]!, -padLp(solution.objective));
        }
        lp.colLower[col] = lower[j]!;
        lp.colUpper[col] = upper[j]!;
      }
      tightenFrom(graph, bounds, p);
    }
  }
}
