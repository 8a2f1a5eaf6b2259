import type { CertifyRegion } from '../certify/region.ts';
import { feasibleWithin } from '../constraints/feasibleSet.ts';
import { seededRandom } from '../methods/random.ts';
import type { LayerGraph, LayerOp } from '../network/layerGraph.ts';
import { type ExactObjective, evaluateExactObjective } from '../objectives/exactObjective.ts';

/**
 * Tiny random networks built directly as float64 layer graphs, and a dense sampler of their objective,
 * for soundness tests (a bound below any sampled value is a bug). Test helper, not used by the library.
 */
export interface RandomGraphOptions {
  inputs: number;
  hidden: number[];
  outputs: number;
  seed: number;
  /** Use LeakyReLU with this slope instead of ReLU. */
  leaky?: number;
}

export function randomGraph({ inputs, hidden, outputs, seed, leaky }: RandomGraphOptions): LayerGraph {
  const random = seededRandom(seed);
  const ops: LayerOp[] = [];
  const sizes = [inputs, ...hidden, outputs];
  for (let k = 1; k < sizes.length; k++) {
    const inSize = sizes[k - 1]!;
    const outSize = sizes[k]!;
    const scale = Math.sqrt(6 / (inSize + outSize));
    ops.push({
      kind: 'affine',
      layer: `dense${k}`,
      inSize,
      outSize,
      matrix: {
        kind: 'dense',
        values: Float64Array.from({ length: inSize * outSize }, () => (2 * random() - 1) * scale),
      },
      bias: Float64Array.from({ length: outSize }, () => random() - 0.5),
    });
    if (k < sizes.length - 1) {
      ops.push(
        leaky === undefined
          ? { kind: 'relu', layer: `relu${k}`, size: outSize }
          : { kind: 'leakyRelu', layer: `leaky${k}`, size: outSize, alpha: leaky },
      );
    }
  }
  return {
    inputShape: [inputs],
    inputSize: inputs,
    ops,
    softmax: true,
    outputSize: outputs,
    layerOutputs: new Map(ops.map((op, i) => [op.layer, i])),
  };
}

/**
 * The largest objective value over a dense sample of the region: a grid (per-input `steps` points, for
 * up to 3 inputs), every box vertex, and `random` uniform points, all filtered by the constraints.
 */
export function sampledMaximum(
  graph: LayerGraph,
  objective: ExactObjective,
  region: CertifyRegion,
  { steps = 41, random = 2000, seed = 1 }: { steps?: number; random?: number; seed?: number } = {},
): { value: number; input: Float64Array; samples: Float64Array[] } {
  const n = graph.inputSize;
  const samples: Float64Array[] = [];
  const at = (i: number, t: number) => region.lo[i]! + (region.hi[i]! - region.lo[i]!) * t;
  if (n <= 3) {
    const count = steps ** n;
    for (let k = 0; k < count; k++) {
      let rest = k;
      samples.push(
        Float64Array.from({ length: n }, (_, i) => {
          const step = rest % steps;
          rest = Math.floor(rest / steps);
          return at(i, step / (steps - 1));
        }),
      );
    }
  }
  if (n <= 12) {
    for (let k = 0; k < 2 ** n; k++)
      samples.push(Float64Array.from({ length: n }, (_, i) => at(i, (k >> i) & 1)));
  }
  const uniform = seededRandom(seed);
  for (let k = 0; k < random; k++) samples.push(Float64Array.from({ length: n }, (_, i) => at(i, uniform())));
  let best: { value: number; input: Float64Array } = {
    value: Number.NEGATIVE_INFINITY,
    input: new Float64Array(n),
  };
  const feasible = samples.filter((x) => region.set.violation(x) <= feasibleWithin);
  for (const x of feasible) {
    const value = evaluateExactObjective(graph, objective, x);
    if (value > best.value) best = { value, input: x };
  }
  return { ...best, samples: feasible };
}
