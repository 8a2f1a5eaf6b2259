import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { importModel } from '../import/importModel.ts';
import { seededRandom } from '../methods/random.ts';
import { cloneBounds, intervalBounds, type NodeBounds } from '../network/intervalBounds.ts';
import { extractLayerGraph, forwardLayerGraph, type LayerGraph } from '../network/layerGraph.ts';
import { type ExactObjective, evaluateExactObjective } from '../objectives/exactObjective.ts';
import type { ConstraintSpec } from '../spec/types.ts';
import { feasibleSetFor } from '../testing/feasibleSets.ts';
import { sampledMaximum } from '../testing/testNetworks.ts';
import { fixturesDir } from '../testing/testSupport.ts';
import { compileCertifiedObjective } from './certifiedObjective.ts';
import { certify, certifyGraph } from './certify.ts';
import {
  crownIntermediateBounds,
  defaultSlopes,
  tightenNode,
  tightenNodeByRows,
} from './linearRelaxation.ts';
import { maxPoolLines } from './maxPoolLines.ts';
import { certifyRegion } from './region.ts';

/**
 * Soundness of the bounds on convolutional networks: Conv2D (valid/same padding, strides, bias), ReLU,
 * MaxPooling2D, Flatten and Dropout, read from real tfjs models. Every bound must hold at every sampled
 * input, the unit-by-unit (sparse) back-substitution must agree with the dense one, and the exact search
 * must find the sampled optimum.
 */

beforeAll(async () => {
  await initBackend('cpu', () => {});
});

const init = (seed: number) => ({
  kernelInitializer: tfl.initializers.glorotUniform({ seed }),
  biasInitializer: tfl.initializers.randomUniform({ minval: -0.2, maxval: 0.2, seed: seed + 50 }),
});

/** A small random CNN; the seed varies padding, strides, pooling and depth. */
function randomConvGraph(seed: number, options: { pool?: boolean } = {}): LayerGraph {
  const pool = options.pool ?? true;
  const padding = seed % 2 === 0 ? 'valid' : 'same';
  const layers: tfl.layers.Layer[] = [
    tfl.layers.conv2d({
      inputShape: [8, 7, 1 + (seed % 2)],
      filters: 3,
      kernelSize: seed % 3 === 0 ? [2, 3] : 3,
      strides: seed % 4 === 3 ? 2 : 1,
      padding,
      activation: 'relu',
      ...init(seed),
    }),
  ];
  if (pool) {
    layers.push(
      tfl.layers.maxPooling2d(
        seed % 3 === 1 ? { poolSize: 2, strides: 1, padding: 'same' } : { poolSize: 2, padding: 'valid' },
      ),
    );
  }
  if (seed % 2 === 0 || !pool) {
    layers.push(
      tfl.layers.conv2d({ filters: 4, kernelSize: 2, padding, activation: 'relu', ...init(seed + 7) }),
    );
  }
  if (pool && seed % 4 === 0) layers.push(tfl.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
  return graphOf(layers, seed);
}

/** Conv (2×2, valid or same) → ReLU → MaxPool → Dense → Dense on a 3×3 image: small enough to sample. */
function tinyConvGraph(seed: number): LayerGraph {
  return graphOf(
    [
      tfl.layers.conv2d({
        inputShape: [3, 3, 1],
        filters: 3,
        kernelSize: 2,
        padding: seed % 2 === 0 ? 'valid' : 'same',
        activation: 'relu',
        ...init(seed),
      }),
      tfl.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
    ],
    seed,
  );
}

/** The layers, then Flatten → Dense(5, relu) → Dropout → Dense(3), as a layer graph. */
function graphOf(layers: tfl.layers.Layer[], seed: number): LayerGraph {
  layers.push(
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 5, activation: 'relu', ...init(seed + 11) }),
    tfl.layers.dropout({ rate: 0.5 }),
    tfl.layers.dense({ units: 3, ...init(seed + 13) }),
  );
  const model = tfl.sequential({ layers });
  const extraction = extractLayerGraph(model);
  model.dispose();
  if ('unsupported' in extraction) throw new Error(extraction.unsupported);
  return extraction.graph;
}

function problem(graph: LayerGraph, seed: number, epsilon: number) {
  const random = seededRandom(seed + 1000);
  const reference = Array.from({ length: graph.inputSize }, () => random());
  const constraints: ConstraintSpec = { box: { lo: 0, hi: 1 }, linf: { reference, epsilon } };
  const spec = { kind: 'logit' as const, index: seed % 3 };
  const objective = compileCertifiedObjective(graph, spec) as ExactObjective;
  const region = certifyRegion(feasibleSetFor(constraints, graph.inputSize));
  return { constraints, spec, objective, region };
}

/** Random inputs of the box and random vertices. */
function samples(lo: Float64Array, hi: Float64Array, count: number, seed: number): Float64Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, k) =>
    lo.map((l, i) => (k % 2 === 0 ? l + (hi[i]! - l) * random() : random() < 0.5 ? l : hi[i]!)),
  );
}

function expectInside(bounds: NodeBounds, graph: LayerGraph, x: Float64Array, label: string) {
  const outputs = forwardLayerGraph(graph, x);
  outputs.forEach((values, p) => {
    const lo = bounds.lo[p + 1]!;
    const hi = bounds.hi[p + 1]!;
    values.forEach((v, j) => {
      const slack = 1e-9 * (1 + Math.abs(v));
      if (!(v >= lo[j]! - slack && v <= hi[j]! + slack)) {
        throw new Error(`${label}: node ${p + 1} unit ${j} value ${v} outside [${lo[j]}, ${hi[j]}]`);
      }
    });
  });
}

/** The graph with every sparse matrix written out dense (the same function). */
function densified(graph: LayerGraph): LayerGraph {
  return {
    ...graph,
    ops: graph.ops.map((op) => {
      if (op.kind !== 'affine' || op.matrix.kind === 'dense') return op;
      const values = new Float64Array(op.outSize * op.inSize);
      const m = op.matrix;
      for (let o = 0; o < op.outSize; o++)
        for (let k = m.starts[o]!; k < m.starts[o + 1]!; k++)
          values[o * op.inSize + m.cols[k]!]! += m.values[k]!;
      return { ...op, matrix: { kind: 'dense' as const, values } };
    }),
  };
}

describe('conv and pooling bounds', () => {
  it('every node bound (IBP, then CROWN) holds at sampled inputs of 16 random CNNs', () => {
    for (let seed = 0; seed < 16; seed++) {
      const graph = randomConvGraph(seed);
      const { region } = problem(graph, seed, 0.1 + 0.05 * (seed % 4));
      const bounds = intervalBounds(graph, region.lo, region.hi);
      const points = samples(region.lo, region.hi, 400, seed);
      for (const x of points) expectInside(bounds, graph, x, `seed ${seed} IBP`);
      const before = cloneBounds(bounds);
      crownIntermediateBounds(graph, bounds);
      for (const x of points) expectInside(bounds, graph, x, `seed ${seed} CROWN`);
      // CROWN never loosens a bound (it is intersected with IBP's), and tightens some somewhere.
      const width = (b: NodeBounds) =>
        b.hi.reduce((s, h, p) => s + h.reduce((t, v, j) => t + v - b.lo[p]![j]!, 0), 0);
      expect(width(bounds), `seed ${seed}`).toBeLessThanOrEqual(width(before));
    }
  });

  it('the certificate bounds the objective at every sampled input (IBP, α-CROWN, search)', async () => {
    for (let seed = 0; seed < 8; seed++) {
      const graph = randomConvGraph(seed);
      const { constraints, spec, objective, region } = problem(graph, seed, 0.15);
      const sampled = sampledMaximum(graph, objective, region, { random: 1500, seed });
      for (const search of ['bounds', 'auto'] as const) {
        const result = await certifyGraph(graph, {
          objective: spec,
          constraints,
          search,
          timeLimitSeconds: 2,
        });
        if (!result.supported) throw new Error(result.reason);
        const label = `seed ${seed} ${search}`;
        expect(result.bounds.ibp, label).toBeGreaterThanOrEqual(sampled.value);
        expect(result.bounds.crown, label).toBeGreaterThanOrEqual(sampled.value);
        expect(result.upperBound, label).toBeGreaterThanOrEqual(sampled.value);
        expect(evaluateExactObjective(graph, objective, result.input), label).toBe(result.bestValue);
      }
    }
  });

  it('unit-by-unit back-substitution equals the dense one, and a conv net equals its dense form', () => {
    for (let seed = 0; seed < 8; seed++) {
      const graph = randomConvGraph(seed);
      const { region } = problem(graph, seed, 0.2);
      const bounds = intervalBounds(graph, region.lo, region.hi);
      graph.ops.forEach((op, p) => {
        if (p < 2 || op.kind === 'affine' || graph.ops[p - 1]!.kind !== 'affine') return;
        const slopes = defaultSlopes(graph, bounds);
        const dense = cloneBounds(bounds);
        const sparse = cloneBounds(bounds);
        tightenNode(graph, dense, p, slopes);
        expect(tightenNodeByRows(graph, sparse, p, slopes)).toBe(true);
        sparse.lo[p]!.forEach((v, j) => {
          expect(v, `seed ${seed} node ${p} lower ${j}`).toBeCloseTo(dense.lo[p]![j]!, 9);
          expect(sparse.hi[p]![j], `seed ${seed} node ${p} upper ${j}`).toBeCloseTo(dense.hi[p]![j]!, 9);
        });
      });
    }
    // Without pooling every op is affine or ReLU: the same net with dense matrices takes the dense path.
    for (let seed = 0; seed < 6; seed++) {
      const graph = randomConvGraph(seed, { pool: false });
      const { region } = problem(graph, seed, 0.2);
      const sparse = intervalBounds(graph, region.lo, region.hi);
      const dense = intervalBounds(densified(graph), region.lo, region.hi);
      crownIntermediateBounds(graph, sparse);
      crownIntermediateBounds(densified(graph), dense);
      sparse.hi.forEach((hi, p) => {
        hi.forEach((v, j) => {
          expect(v, `seed ${seed} node ${p} upper ${j}`).toBeCloseTo(dense.hi[p]![j]!, 9);
          expect(sparse.lo[p]![j], `seed ${seed} node ${p} lower ${j}`).toBeCloseTo(dense.lo[p]![j]!, 9);
        });
      });
    }
  });

  it('the max-pool lines lie below and above the max on the whole box', () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 300; trial++) {
      const size = 2 + (trial % 4);
      const op = {
        kind: 'maxPool' as const,
        layer: 'pool',
        inSize: size,
        outSize: 1,
        starts: Int32Array.from([0, size]),
        inputs: Int32Array.from({ length: size }, (_, i) => i),
      };
      const lo = Float64Array.from({ length: size }, () => 2 * random() - 1);
      const hi = lo.map((l) => l + (trial % 5 === 0 ? 0.05 : 1.5) * random());
      const lines = maxPoolLines(op, lo, hi);
      for (const x of samples(lo, hi, 200, trial)) {
        const max = Math.max(...x);
        let upper = lines.upperConstant[0]!;
        x.forEach((v, i) => {
          upper += lines.upperSlope[i]! * v;
        });
        expect(x[lines.lower[0]!]!).toBeLessThanOrEqual(max);
        expect(upper).toBeGreaterThanOrEqual(max - 1e-12);
      }
    }
  });
});

describe('exact search on CNNs', () => {
  it('the MILP (max pooling encoded) proves the sampled optimum of tiny CNNs; branch and bound stays above it', async () => {
    for (let seed = 0; seed < 6; seed++) {
      const graph = tinyConvGraph(seed);
      const { constraints, spec, objective, region } = problem(graph, seed, 0.3);
      const sampled = sampledMaximum(graph, objective, region, { random: 6000, seed });
      for (const search of ['auto', 'milp', 'bab'] as const) {
        const result = await certifyGraph(graph, {
          objective: spec,
          constraints,
          search,
          timeLimitSeconds: search === 'bab' ? 2 : 20,
        });
        if (!result.supported) throw new Error(result.reason);
        const label = `seed ${seed} ${search}`;
        expect(result.upperBound, label).toBeGreaterThanOrEqual(sampled.value);
        expect(evaluateExactObjective(graph, objective, result.input), label).toBe(result.bestValue);
        // Branch and bound splits ReLUs only (the max pools stay relaxed): sound, but it need not prove.
        if (search === 'bab') continue;
        expect(result.proven, label).toBe(true);
        expect(result.bestValue, label).toBeGreaterThanOrEqual(
          sampled.value - 1e-4 * Math.max(1, Math.abs(sampled.value)),
        );
        expect(evaluateExactObjective(graph, objective, result.input), label).toBe(result.bestValue);
      }
    }
  });
});

describe('the Keras Fashion-MNIST CNN', () => {
  it('gets a certificate whose bound is above its logits at sampled inputs of an L∞ ball', async () => {
    const { model } = await importModel(`${fixturesDir}keras3-fashion-mnist-cnn/fashion_mnist.keras`);
    const random = seededRandom(17);
    const reference = Array.from({ length: 784 }, () => (random() < 0.6 ? 0 : random()));
    const epsilon = 0.02;
    const result = await certify(model, {
      objective: { kind: 'logit', index: 3 },
      constraints: { box: { lo: 0, hi: 1 }, linf: { reference, epsilon } },
      timeLimitSeconds: 5,
    });
    if (!result.supported) throw new Error(result.reason);
    expect(result.upperBound).toBeGreaterThanOrEqual(result.bestValue);
    expect(result.bounds.crown).toBeLessThan(result.bounds.ibp);
    const points = samples(
      Float64Array.from(reference, (v) => Math.max(0, v - epsilon)),
      Float64Array.from(reference, (v) => Math.min(1, v + epsilon)),
      64,
      3,
    );
    const graph = extractLayerGraph(model);
    if ('unsupported' in graph) throw new Error(graph.unsupported);
    for (const x of points) {
      const logit = forwardLayerGraph(graph.graph, Float32Array.from(x)).at(-1)![3]!;
      expect(logit).toBeLessThanOrEqual(result.upperBound);
    }
    model.dispose();
  });
});
