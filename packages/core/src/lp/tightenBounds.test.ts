import { describe, expect, it } from 'vitest';
import { intervalBounds, type NodeBounds } from '../network/intervalBounds.ts';
import { forwardLayerGraph, type LayerGraph } from '../network/layerGraph.ts';
import { compileExactObjective, concaveCases, type ExactObjective } from '../objectives/exactObjective.ts';
import { linearDomainFor } from '../testing/feasibleSets.ts';
import { randomGraph } from '../testing/testNetworks.ts';
import { tightenReluBounds } from './tightenBounds.ts';

/** Every point of a 81 × 81 grid over [0, 1]², with each op's input and the logits there. */
function grid(graph: LayerGraph): { inputs: Float64Array[]; logits: Float64Array }[] {
  const points = [];
  for (let a = 0; a <= 80; a++) {
    for (let b = 0; b <= 80; b++) {
      const x = Float64Array.of(a / 80, b / 80);
      const outputs = forwardLayerGraph(graph, x);
      points.push({ inputs: [x, ...outputs.slice(0, -1)], logits: outputs.at(-1)! });
    }
  }
  return points;
}

/** The ReLU inputs of `point` that lie outside `bounds` (beyond rounding). */
function outside(graph: LayerGraph, bounds: NodeBounds, point: { inputs: Float64Array[] }): string[] {
  const found: string[] = [];
  graph.ops.forEach((op, p) => {
    if (op.kind !== 'relu') return;
    point.inputs[p]!.forEach((v, j) => {
      if (v < bounds.lo[p]![j]! - 1e-9 || v > bounds.hi[p]![j]! + 1e-9) found.push(`op ${p} unit ${j}: ${v}`);
    });
  });
  return found;
}

/** How far the open ReLU intervals reach in all: less is tighter. */
function openWidth(graph: LayerGraph, bounds: NodeBounds): number {
  let sum = 0;
  graph.ops.forEach((op, p) => {
    if (op.kind !== 'relu') return;
    bounds.lo[p]!.forEach((l, j) => {
      sum += bounds.hi[p]![j]! - l;
    });
  });
  return sum;
}

describe('tightenReluBounds', () => {
  const nets = [0, 1, 2, 3, 4, 5].map((seed) =>
    randomGraph({ inputs: 2, hidden: [8, 8, 6], outputs: 3, seed }),
  );
  const domain = linearDomainFor({}, 2);

  it('keeps every input of the domain inside the bounds, and narrows them (6 random 3-layer nets, a grid)', async () => {
    for (const graph of nets) {
      const bounds = intervalBounds(graph, domain.lo, domain.hi);
      const before = openWidth(graph, bounds);
      await tightenReluBounds(graph, bounds, domain, { inProcess: true });
      for (const point of grid(graph)) expect(outside(graph, bounds, point)).toEqual([]);
      expect(openWidth(graph, bounds)).toBeLessThan(before);
    }
  });

  it('under "objective ≥ value", keeps every grid point that reaches the value, and narrows more', async () => {
    let narrower = 0;
    for (const graph of nets) {
      const objective = compileExactObjective(graph, { kind: 'logit', index: 1 }) as ExactObjective;
      const points = grid(graph);
      // The value: the grid's 90th percentile, so a tenth of the domain stays in the cut.
      const values = points.map((p) => p.logits[1]!).sort((a, b) => a - b);
      const value = values[Math.floor(0.9 * values.length)]!;
      const plain = intervalBounds(graph, domain.lo, domain.hi);
      await tightenReluBounds(graph, plain, domain, { inProcess: true });
      const cut = intervalBounds(graph, domain.lo, domain.hi);
      await tightenReluBounds(graph, cut, domain, {
        atLeast: { objective: concaveCases(graph, objective)[0]!, value },
        rounds: 2,
        inProcess: true,
      });
      for (const point of points) {
        if (point.logits[1]! >= value) expect(outside(graph, cut, point)).toEqual([]);
      }
      if (openWidth(graph, cut) < openWidth(graph, plain) - 1e-6) narrower++;
    }
    expect(narrower).toBeGreaterThanOrEqual(4);
  });

  it('stops when asked, leaving valid bounds', async () => {
    const graph = nets[0]!;
    const bounds = intervalBounds(graph, domain.lo, domain.hi);
    let asked = 0;
    await tightenReluBounds(graph, bounds, domain, { shouldStop: () => ++asked > 3 });
    expect(asked).toBe(4);
    for (const point of grid(graph)) expect(outside(graph, bounds, point)).toEqual([]);
  });
});
