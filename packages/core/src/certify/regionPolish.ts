import type { ConcaveCase } from '../lp/networkMilp.ts';
import { buildNetworkMilp } from '../lp/networkMilp.ts';
import { solveLp } from '../lp/solveLp.ts';
import type { NodeBounds } from '../network/intervalBounds.ts';
import { forwardLayerGraph, type LayerGraph } from '../network/layerGraph.ts';
import type { CertifyRegion } from './region.ts';

/**
 * The best input of the linear region (ReLU phase pattern) that `x` lies in, by one LP: the network is
 * affine there, so the LP's optimum is that region's exact maximum. Without `x`, the LP relaxation of
 * the whole problem, whose solution at least satisfies the linear constraints (a first feasible point
 * when the relaxation's vertices do not). Returns undefined when the LP has no solution in time.
 */
export async function solveRegionLp(
  graph: LayerGraph,
  bounds: NodeBounds,
  objective: ConcaveCase,
  region: CertifyRegion,
  x: Float64Array | Float32Array | undefined,
  deadline: number,
  shouldStop: () => boolean,
): Promise<Float64Array | undefined> {
  let splitSign: (Int8Array | undefined)[] | undefined;
  if (x) {
    const outputs = forwardLayerGraph(graph, x);
    splitSign = graph.ops.map((op, p) => {
      if (op.kind !== 'relu' && op.kind !== 'leakyRelu') return undefined;
      const z = p === 0 ? x : outputs[p - 1]!;
      return Int8Array.from(z, (v) => (v >= 0 ? 1 : -1));
    });
  }
  const milp = buildNetworkMilp(graph, bounds, objective, region, {
    relaxIntegrality: true,
    ...(splitSign ? { splitSign } : {}),
  });
  const solved = await solveLp(milp.lp, {
    timeLimitSeconds: (deadline - performance.now()) / 1000,
    presolve: false,
    inProcess: { shouldStop },
  });
  return solved.feasible ? solved.x.slice(0, graph.inputSize) : undefined;
}
