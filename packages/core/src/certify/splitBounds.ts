import { cloneBounds, type NodeBounds, tightenFrom } from '../network/intervalBounds.ts';
import type { LayerGraph } from '../network/layerGraph.ts';
import { crownIntermediateBounds, crownWork } from './linearRelaxation.ts';

/** A ReLU phase fixed by branching: unit `unit` of op `op` has z ≥ 0 (sign 1) or z ≤ 0 (sign −1). */
export interface Split {
  op: number;
  unit: number;
  sign: 1 | -1;
}

/**
 * Multiply-adds allowed for re-deriving, at a node, the CROWN bounds of the ReLU layers after its
 * newest split (~20 ms); past it, a node keeps its parent's bounds re-propagated by intervals. On the
 * polish bench's MLPs it is ~1e5, about what the node's 20 bound iterations cost. (Optimising them
 * per unit by α/β-CROWN instead, 5 steps each, cost 8× the nodes on 20-16-64 seed 5 and left a
 * larger gap in 60 s. Concretising them over the box cut by the first-layer splits' half-planes, with
 * Lagrange multipliers found by exact line searches (90 % of the way to the LP's bound), halved the
 * nodes per second on 60-24-16-16 s20 and lost the 60 s proofs of 50-16-16-24 s24 and 40-32-16-16 s9;
 * only 20-16-64 s5 gained, 40 % → 22 %. The first layer's own bounds over them alone: no change.)
 */
const maxNodeCrownWork = 2e7;

/**
 * A branch-and-bound node's bounds: `base` (its parent's, or the root's) with the split phases
 * imposed, re-propagated by intervals and, for the ReLU layers after the splits new to `base`, by CROWN
 * back-substitution: a split makes its unit linear, which tightens the later layers far more under a
 * linear relaxation than under intervals (and tighter later bounds give tighter triangles). Every
 * bound holds for the inputs of the region whose units have the split phases; undefined when they
 * show that there is none. `newFrom`: the index in `splits` of the first split that `base` lacks.
 */
export function splitBounds(
  graph: LayerGraph,
  base: NodeBounds,
  splits: readonly Split[],
  newFrom = 0,
  deadline = Number.POSITIVE_INFINITY,
): { bounds: NodeBounds; splitSign: (Int8Array | undefined)[] } | undefined {
  const bounds = cloneBounds(base);
  const splitSign: (Int8Array | undefined)[] = graph.ops.map(() => undefined);
  let first = graph.ops.length;
  let firstNew = graph.ops.length;
  for (const [k, s] of splits.entries()) {
    splitSign[s.op] ??= new Int8Array(bounds.lo[s.op]!.length);
    const sign = splitSign[s.op]!;
    sign[s.unit] = s.sign;
    if (s.sign > 0) bounds.lo[s.op]![s.unit] = Math.max(bounds.lo[s.op]![s.unit]!, 0);
    else bounds.hi[s.op]![s.unit] = Math.min(bounds.hi[s.op]![s.unit]!, 0);
    if (bounds.lo[s.op]![s.unit]! > bounds.hi[s.op]![s.unit]!) return undefined;
    first = Math.min(first, s.op);
    if (k >= newFrom) firstNew = Math.min(firstNew, s.op);
  }
  if (!tightenFrom(graph, bounds, first)) return undefined;
  const from = firstNew + 1;
  const work = crownWork(graph, from);
  if (work !== undefined && work > 0 && work <= maxNodeCrownWork) {
    crownIntermediateBounds(graph, bounds, deadline, from);
    // Bounds that cross say that no input of the region has these phases.
    for (let p = from; p < bounds.lo.length; p++) {
      const lo = bounds.lo[p]!;
      const hi = bounds.hi[p]!;
      for (let i = 0; i < lo.length; i++) if (!(lo[i]! <= hi[i]!)) return undefined;
    }
  }
  return { bounds, splitSign };
}
