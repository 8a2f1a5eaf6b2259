import { describe, expect, it } from 'vitest';
import { seededRandom } from '../methods/random.ts';
import { intervalBounds, type NodeBounds, tightenFrom } from '../network/intervalBounds.ts';
import { forwardLayerGraph } from '../network/layerGraph.ts';
import { randomGraph } from '../testing/testNetworks.ts';
import { crownIntermediateBounds } from './linearRelaxation.ts';
import { type Split, splitBounds } from './splitBounds.ts';

/** Every node's value at `x` (node 0: the input, node p: op p − 1's output). */
function nodeValues(graph: ReturnType<typeof randomGraph>, x: Float64Array): Float64Array[] {
  return [x, ...forwardLayerGraph(graph, x)];
}

describe('split node bounds', () => {
  it('hold at every sampled input with the split phases, splits in every ReLU layer, from the root or a parent', () => {
    let tightened = 0;
    let emptyChecked = 0;
    for (let seed = 0; seed < 60; seed++) {
      const random = seededRandom(seed + 500);
      const inputs = 2 + (seed % 3);
      const graph = randomGraph({
        inputs,
        hidden: seed % 2 === 0 ? [6, 5, 4] : [5, 6],
        outputs: 3,
        seed: seed + 500,
        ...(seed % 5 === 4 ? { leaky: 0.1 } : {}),
      });
      const lo = new Float64Array(inputs).fill(-1);
      const hi = new Float64Array(inputs).fill(1);
      const root = intervalBounds(graph, lo, hi);
      crownIntermediateBounds(graph, root);
      // Samples: a grid and random points of the box, with their node values.
      const samples: Float64Array[][] = [];
      const steps = inputs === 2 ? 41 : inputs === 3 ? 13 : 7;
      for (let k = 0; k < steps ** inputs; k++) {
        let rest = k;
        const x = Float64Array.from({ length: inputs }, () => {
          const step = rest % steps;
          rest = Math.floor(rest / steps);
          return -1 + (2 * step) / (steps - 1);
        });
        samples.push(nodeValues(graph, x));
      }
      for (let k = 0; k < 3000; k++)
        samples.push(
          nodeValues(
            graph,
            Float64Array.from({ length: inputs }, () => 2 * random() - 1),
          ),
        );

      // Splits on open units of every ReLU layer, in a random order: a chain of nodes root → leaf.
      const reluOps = graph.ops.flatMap((op, p) =>
        op.kind === 'relu' || op.kind === 'leakyRelu' ? [p] : [],
      );
      const splits: Split[] = [];
      for (let k = 0; k < 4; k++) {
        const op = reluOps[Math.floor(random() * reluOps.length)]!;
        const unit = Math.floor(random() * root.lo[op]!.length);
        if (splits.some((s) => s.op === op && s.unit === unit)) continue;
        splits.push({ op, unit, sign: random() < 0.5 ? 1 : -1 });
      }
      let parent: NodeBounds | undefined = root;
      for (let depth = 1; depth <= splits.length; depth++) {
        const chain = splits.slice(0, depth);
        const label = `seed ${seed} splits ${JSON.stringify(chain)}`;
        const inside = samples.filter((v) => chain.every((s) => s.sign * v[s.op]![s.unit]! >= 0));
        const fromRoot = splitBounds(graph, root, chain);
        const fromParent: ReturnType<typeof splitBounds> = parent
          ? splitBounds(graph, parent, chain, depth - 1)
          : undefined;
        // Undefined (no input has the phases) must not contradict a sample that has them.
        if (!fromRoot) expect(inside.length, label).toBe(0);
        if (!fromParent) expect(inside.length, label).toBe(0);
        if (!fromRoot || !fromParent) emptyChecked++;
        for (const result of [fromRoot, fromParent]) {
          if (!result) continue;
          let outside: string | undefined;
          for (const values of inside) {
            values.forEach((v, p) => {
              v.forEach((value, i) => {
                if (!(value >= result.bounds.lo[p]![i]! && value <= result.bounds.hi[p]![i]!))
                  outside ??= `node ${p} unit ${i}: ${value} outside [${result.bounds.lo[p]![i]}, ${result.bounds.hi[p]![i]}]`;
              });
            });
          }
          expect(outside, label).toBeUndefined();
        }
        // The intervals alone, for comparison: the linear re-derivation should often be tighter.
        if (fromRoot) {
          const intervals = splitIntervals(graph, root, chain);
          if (intervals && widthSum(fromRoot.bounds) < widthSum(intervals) - 1e-9) tightened++;
        }
        parent = fromParent?.bounds;
        if (!parent) break;
      }
    }
    expect(tightened).toBeGreaterThan(20);
    expect(emptyChecked).toBeGreaterThan(0);
  });
});

/** The old node bounds: the split phases imposed on the root's, re-propagated by intervals only. */
function splitIntervals(graph: ReturnType<typeof randomGraph>, root: NodeBounds, splits: Split[]) {
  const bounds = { lo: root.lo.map((a) => a.slice()), hi: root.hi.map((a) => a.slice()) };
  for (const s of splits) {
    if (s.sign > 0) bounds.lo[s.op]![s.unit] = Math.max(bounds.lo[s.op]![s.unit]!, 0);
    else bounds.hi[s.op]![s.unit] = Math.min(bounds.hi[s.op]![s.unit]!, 0);
    if (bounds.lo[s.op]![s.unit]! > bounds.hi[s.op]![s.unit]!) return undefined;
  }
  return tightenFrom(graph, bounds, Math.min(...splits.map((s) => s.op))) ? bounds : undefined;
}

function widthSum(bounds: NodeBounds): number {
  return bounds.lo.reduce((sum, l, p) => sum + l.reduce((s, v, i) => s + (bounds.hi[p]![i]! - v), 0), 0);
}
