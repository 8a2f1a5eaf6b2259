import { type NodeBounds, tightenFrom } from '../network/intervalBounds.ts';
import type { LayerGraph } from '../network/layerGraph.ts';
import type { LinearDomain } from './linearDomain.ts';
import { buildNetworkMilp } from './networkMilp.ts';
import { solveLp } from './solveLp.ts';

/**
 * Tightens the bounds of every ReLU input whose sign is still open with two LPs each (min and max over
 * the LP relaxation of the ops before it), layer by layer, re-propagating intervals after each layer:
 * a smaller big-M makes the MILP far easier to solve. Worth it for exact solves of small nets.
 */
export async function tightenReluBounds(
  graph: LayerGraph,
  bounds: NodeBounds,
  region: LinearDomain,
): Promise<void> {
  const none = { base: new Float64Array(graph.outputSize), mins: [] };
  for (let p = 0; p < graph.ops.length; p++) {
    const op = graph.ops[p]!;
    if (op.kind !== 'relu' && op.kind !== 'leakyRelu') continue;
    const lower = bounds.lo[p]!;
    const upper = bounds.hi[p]!;
    const { lp, nodeColumns } = buildNetworkMilp(graph, bounds, none, region, {
      relaxIntegrality: true,
      ops: p,
    });
    for (let j = 0; j < op.size; j++) {
      const col = nodeColumns[p]![j]!;
      if (!(lower[j]! < 0 && upper[j]! > 0) || col < graph.inputSize) continue;
      for (const sense of [1, -1]) {
        const colCost = new Float64Array(lp.numCols);
        colCost[col] = sense;
        const solution = await solveLp({ ...lp, colCost });
        if (solution.status !== 'optimal') continue;
        // A small margin keeps the bound valid despite the LP's feasibility tolerance.
        if (sense === 1) upper[j] = Math.min(upper[j]!, solution.objective + 1e-6);
        else lower[j] = Math.max(lower[j]!, -solution.objective - 1e-6);
      }
      lp.colLower[col] = lower[j]!;
      lp.colUpper[col] = upper[j]!;
    }
    tightenFrom(graph, bounds, p);
  }
}
