import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { type DenseReluNetwork, extractDenseRelu } from '../network/denseReluChain.ts';
import type { LayerGraph, Matrix } from '../network/layerGraph.ts';
import { compileExactObjective, evaluateExactObjective } from '../objectives/exactObjective.ts';
import type { ObjectiveSpec } from '../spec/types.ts';
import { linearDomainFor } from '../testing/feasibleSets.ts';
import { randomReluMlp } from '../testing/randomReluMlp.ts';
import { preActivations, singleLayerForm, singleLayerLps, singleLayerValue } from './singleLayerForm.ts';
import { solveLp } from './solveLp.ts';

beforeAll(async () => {
  await initBackend('cpu', () => {});
});

const inputs = 6;

/** Linear → ReLU → linear → logits: dense ops on both sides of the one ReLU layer. */
function sandwich(): tfl.Sequential {
  const init = (seed: number) => ({
    kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    biasInitializer: tfl.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed + 1 }),
  });
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 5, inputShape: [inputs], name: 'mix', ...init(1) }),
      tfl.layers.dense({ units: 9, activation: 'relu', name: 'hidden', ...init(3) }),
      tfl.layers.dense({ units: 4, name: 'project', ...init(5) }),
      tfl.layers.dense({ units: 3, activation: 'softmax', name: 'logits', ...init(7) }),
    ],
  });
}

function networkOf(model: tfl.LayersModel): DenseReluNetwork {
  const extraction = extractDenseRelu(model);
  if ('unsupported' in extraction) throw new Error(extraction.unsupported);
  return extraction.network;
}

/** A dense row-major matrix in CSR form, without its zeros (a few weights zeroed so some rows are short). */
function csrOf(values: Float64Array, rows: number, cols: number): Matrix {
  const starts = [0];
  const columns: number[] = [];
  const entries: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = (r + c) % 3 === 0 ? 0 : values[r * cols + c]!;
      if (v === 0) continue;
      columns.push(c);
      entries.push(v);
    }
    starts.push(columns.length);
  }
  return {
    kind: 'csr',
    starts: Int32Array.from(starts),
    cols: Int32Array.from(columns),
    values: Float64Array.from(entries),
  };
}

function points(count: number, seed: number): Float64Array[] {
  let state = seed;
  const random = () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  return Array.from({ length: count }, () => Float64Array.from({ length: inputs }, () => 2 * random() - 0.5));
}

const spec: ObjectiveSpec = {
  kind: 'sum',
  terms: [
    { weight: 1, objective: { kind: 'logit', index: 1 } },
    { weight: -0.5, objective: { kind: 'unit', layer: 'hidden', index: 2 } },
    { weight: 0.25, objective: { kind: 'unit', layer: 'mix', index: 4 } },
    { weight: 2, objective: { kind: 'unit', layer: 'project', index: 0 } },
  ],
};

describe('singleLayerForm', () => {
  it('rewrites the objective as constant + linear·x + Σ c_j relu(A_j x + b_j), exactly', () => {
    const model = sandwich();
    const network = networkOf(model);
    const objective = compileExactObjective(network, spec);
    if ('unsupported' in objective) throw new Error(objective.unsupported);
    const form = singleLayerForm(network, objective);
    if (!form) throw new Error('expected a single-layer form');
    expect(form.units).toBe(9);
    for (const x of points(20, 7)) {
      const z = preActivations(form, x);
      let value = form.constant;
      x.forEach((v, i) => {
        value += form.linear[i]! * v;
      });
      z.forEach((v, j) => {
        value += form.c[j]! * Math.max(v, 0);
      });
      expect(value).toBeCloseTo(evaluateExactObjective(network, objective, x), 9);
    }
    model.dispose();
  });

  it('reads sparse (CSR) affine ops as their dense selves', () => {
    const model = sandwich();
    const network = networkOf(model);
    const objective = compileExactObjective(network, spec);
    if ('unsupported' in objective) throw new Error(objective.unsupported);
    // The graph with every affine matrix stored as CSR (some weights zeroed, so rows differ in length).
    const sparse: LayerGraph = {
      ...network,
      ops: network.ops.map((op) =>
        op.kind === 'affine' ? { ...op, matrix: csrOf(op.matrix.values, op.outSize, op.inSize) } : op,
      ),
    };
    const form = singleLayerForm(sparse, objective);
    if (!form) throw new Error('expected a single-layer form');
    for (const x of points(10, 11)) {
      expect(singleLayerValue(form, x)).toBeCloseTo(evaluateExactObjective(sparse, objective, x), 9);
    }
    model.dispose();
  });

  it('is undefined for two ReLU layers and for margins', () => {
    const deep = randomReluMlp({ inputs, hidden: [4, 4], classes: 3, seed: 1 });
    const deepObjective = compileExactObjective(networkOf(deep), { kind: 'logit', index: 0 });
    if ('unsupported' in deepObjective) throw new Error(deepObjective.unsupported);
    expect(singleLayerForm(networkOf(deep), deepObjective)).toBeUndefined();
    const shallow = randomReluMlp({ inputs, hidden: [4], classes: 3, seed: 1 });
    const margin = compileExactObjective(networkOf(shallow), { kind: 'margin', index: 0 });
    if ('unsupported' in margin) throw new Error(margin.unsupported);
    expect(singleLayerForm(networkOf(shallow), margin)).toBeUndefined();
    deep.dispose();
    shallow.dispose();
  });
});

describe('singleLayerLps', () => {
  it('is a lower bound: the objective at its optimum is at least the LP value, and equals it at the counted set', async () => {
    const model = sandwich();
    const network = networkOf(model);
    const objective = compileExactObjective(network, spec);
    const domain = linearDomainFor({}, inputs);
    if ('unsupported' in objective || 'unsupported' in domain) throw new Error('unsupported');
    const form = singleLayerForm(network, objective)!;
    for (const x of points(6, 3).map((p) => p.map((v) => Math.min(1, Math.max(0, v))))) {
      const z = preActivations(form, x);
      const solution = await solveLp(singleLayerLps(form, domain)((j) => z[j]! > 0));
      expect(solution.status).toBe('optimal');
      const optimum = solution.x.slice(0, inputs);
      const value = evaluateExactObjective(network, objective, optimum);
      expect(value).toBeGreaterThanOrEqual(solution.objective - 1e-7);
      // The LP counts exactly the ReLUs active at x, so x (with t = relu) is feasible at f(x).
      expect(solution.objective).toBeGreaterThanOrEqual(evaluateExactObjective(network, objective, x) - 1e-7);
    }
    model.dispose();
  });
});
