import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { CancelledError, InvalidArgumentError } from '../errors.ts';
import { seededRandom } from '../methods/random.ts';
import { extractLayerGraph, logitsAt } from '../network/layerGraph.ts';
import type { ConstraintSpec } from '../spec/types.ts';
import { randomReluMlp } from '../testing/randomReluMlp.ts';
import { randomGraph } from '../testing/testNetworks.ts';
import { certify, certifyGraph } from './certify.ts';
import type { Certificate, CertifyProgress, CertifyResult } from './types.ts';

const models: tfl.LayersModel[] = [];
beforeAll(async () => {
  await initBackend('cpu', () => {});
});
afterAll(() => {
  for (const m of models) m.dispose();
});

function keep<M extends tfl.LayersModel>(model: M): M {
  models.push(model);
  return model;
}

function certificate(result: CertifyResult): Certificate {
  if (!result.supported) throw new Error(result.reason);
  return result;
}

/** Logits of a Dense-only MLP by a plain float32 tfjs pass (its last layer's fused softmax left out). */
function float32Logits(model: tfl.LayersModel, inputs: Float32Array[]): Float32Array[] {
  return tf.tidy(() => {
    const n = inputs[0]!.length;
    let h: tf.Tensor = tf.tensor2d(Float32Array.from(inputs.flatMap((v) => Array.from(v))), [
      inputs.length,
      n,
    ]);
    model.layers.forEach((layer, i) => {
      const [kernel, bias] = layer.getWeights();
      h = tf.add(tf.matMul(h, kernel!), bias!);
      if (i < model.layers.length - 1) h = tf.relu(h);
    });
    const data = h.dataSync() as Float32Array;
    const width = data.length / inputs.length;
    return inputs.map((_, i) => data.slice(i * width, (i + 1) * width));
  });
}

function randomInputs(n: number, count: number, seed: number, lo = 0, hi = 1): Float32Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    Float32Array.from({ length: n }, () => lo + (hi - lo) * random()),
  );
}

describe('certify on tfjs models', () => {
  it('bounds the logit of a model whose last Dense has a fused softmax, above every float32 pass', async () => {
    for (const seed of [1, 2, 3]) {
      const model = keep(randomReluMlp({ inputs: 5, hidden: [12, 10], classes: 4, seed }));
      const result = certificate(
        await certify(model, { objective: { kind: 'logit', index: seed % 4 }, timeLimitSeconds: 20 }),
      );
      expect(result.proven).toBe(true);
      const samples = [...randomInputs(5, 400, seed), result.input];
      const values = float32Logits(model, samples).map((l) => l[seed % 4]!);
      for (const v of values) expect(v).toBeLessThanOrEqual(result.upperBound);
      // The certificate's input reproduces bestValue: exactly in float64, within the allowance in float32.
      const graph = (extractLayerGraph(model) as { graph: Parameters<typeof logitsAt>[0] }).graph;
      expect(logitsAt(graph, result.input)[seed % 4]).toBe(result.bestValue);
      expect(Math.abs(values.at(-1)! - result.bestValue)).toBeLessThanOrEqual(result.roundoff);
    }
  });

  it('bounds a CNN with BatchNormalization, LeakyReLU, max and average pooling above every prediction', async () => {
    const init = (seed: number) => ({
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
      biasInitializer: tfl.initializers.randomUniform({ minval: -0.2, maxval: 0.2, seed: seed + 9 }),
    });
    const model = keep(
      tfl.sequential({
        layers: [
          tfl.layers.conv2d({
            inputShape: [6, 6, 1],
            filters: 3,
            kernelSize: 3,
            padding: 'same',
            name: 'c1',
            ...init(1),
          }),
          tfl.layers.batchNormalization({ name: 'bn' }),
          tfl.layers.leakyReLU({ alpha: 0.2, name: 'lr' }),
          tfl.layers.maxPooling2d({ poolSize: 2, name: 'mp' }),
          tfl.layers.conv2d({ filters: 4, kernelSize: 2, activation: 'relu', name: 'c2', ...init(2) }),
          tfl.layers.averagePooling2d({ poolSize: 2, name: 'ap' }),
          tfl.layers.flatten({ name: 'flat' }),
          tfl.layers.dense({ units: 3, name: 'out', ...init(3) }),
        ],
      }),
    );
    const reference = randomInputs(36, 1, 5)[0]!;
    for (const constraints of [{}, { linf: { reference, epsilon: 0.1 } }] as ConstraintSpec[]) {
      const result = certificate(
        await certify(model, { objective: { kind: 'margin', index: 1 }, constraints, timeLimitSeconds: 5 }),
      );
      expect(['ibp', 'crown', 'milp']).toContain(result.method);
      const samples = randomInputs(36, 500, 7).map((x) =>
        constraints.linf ? x.map((v, i) => Math.min(1, Math.max(0, reference[i]! + 0.2 * (v - 0.5)))) : x,
      );
      const predictions = tf.tidy(
        () =>
          (
            model.predict(
              tf.tensor(Float32Array.from(samples.flatMap((s) => Array.from(s))), [samples.length, 6, 6, 1]),
            ) as tf.Tensor
          ).arraySync() as number[][],
      );
      for (const p of predictions) {
        const margin = p[1]! - Math.max(p[0]!, p[2]!);
        expect(margin).toBeLessThanOrEqual(result.upperBound);
      }
    }
  });

  it('proves optima of LeakyReLU networks by branch and bound and by the MILP alike', async () => {
    for (const seed of [3, 4]) {
      const graph = randomGraph({ inputs: 3, hidden: [10, 8], outputs: 3, seed, leaky: 0.15 });
      const [bab, milp] = await Promise.all(
        (['bab', 'milp'] as const).map(async (search) =>
          certificate(
            await certifyGraph(graph, {
              objective: { kind: 'logit', index: 0 },
              search,
              timeLimitSeconds: 20,
            }),
          ),
        ),
      );
      expect(bab!.proven && milp!.proven).toBe(true);
      expect(Math.abs(bab!.bestValue - milp!.bestValue)).toBeLessThanOrEqual(
        2e-4 * Math.max(1, Math.abs(milp!.bestValue)),
      );
    }
  });
});

describe('certify: what it refuses and how it runs', () => {
  it('gives reasons instead of numbers for objectives that are not linear in the logits', async () => {
    const model = keep(randomReluMlp({ inputs: 4, hidden: [6], classes: 3, seed: 1 }));
    const prob = await certify(model, { objective: { kind: 'prob', index: 0 } });
    expect(prob).toEqual({
      supported: false,
      reason: expect.stringMatching(/^objective: prob is not linear in the logits/),
    });
    const hidden = await certify(model, { objective: { kind: 'unit', layer: 'hidden1', index: 0 } });
    expect(hidden).toEqual({ supported: false, reason: expect.stringContaining('not a logit') });
    const tanh = keep(
      tfl.sequential({
        layers: [tfl.layers.dense({ inputShape: [4], units: 2, activation: 'tanh', name: 'squash' })],
      }),
    );
    expect(await certify(tanh, { objective: { kind: 'logit', index: 0 } })).toEqual({
      supported: false,
      reason: expect.stringContaining('activation tanh'),
    });
  });

  it('streams a falling bound and a rising best value, ending at the certificate', async () => {
    const graph = randomGraph({ inputs: 8, hidden: [24, 16], outputs: 4, seed: 21 });
    const events: CertifyProgress[] = [];
    const result = certificate(
      await certifyGraph(graph, {
        objective: { kind: 'margin', index: 2 },
        timeLimitSeconds: 3,
        onProgress: (e) => events.push(e),
      }),
    );
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events[0]!.method).toBe('ibp');
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.upperBound).toBeLessThanOrEqual(events[i - 1]!.upperBound);
      expect(events[i]!.bestValue).toBeGreaterThanOrEqual(events[i - 1]!.bestValue);
    }
    expect(events.at(-1)!.upperBound).toBe(result.upperBound);
    expect(events.at(-1)!.bestValue).toBe(result.bestValue);
  });

  it('keeps linear constraints and fixed inputs', async () => {
    const graph = randomGraph({ inputs: 4, hidden: [10, 8], outputs: 3, seed: 8 });
    const reference = [0.2, 0.4, 0.6, 0.8];
    const constraints: ConstraintSpec = {
      linear: [{ weights: 'mean', sense: '<=', bound: 0.3 }],
      mask: { fixed: [true, false, false, false], reference },
    };
    const result = certificate(
      await certifyGraph(graph, { objective: { kind: 'logit', index: 1 }, constraints }),
    );
    expect(result.proven).toBe(true);
    expect(result.input[0]).toBe(Math.fround(0.2));
    expect(result.input.reduce((a, b) => a + b, 0) / 4).toBeLessThanOrEqual(0.3 + 1e-6);
  });

  it('stops on an abort signal or a shared cancel flag, and within its time limit', async () => {
    const graph = randomGraph({ inputs: 30, hidden: [60, 60], outputs: 5, seed: 2 });
    const objective = { kind: 'logit' as const, index: 0 };
    const controller = new AbortController();
    controller.abort();
    await expect(certifyGraph(graph, { objective, signal: controller.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const running = certifyGraph(graph, { objective, cancelFlag: flag, timeLimitSeconds: 30 });
    setTimeout(() => Atomics.store(flag, 0, 1), 300);
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    const started = performance.now();
    const limited = certificate(await certifyGraph(graph, { objective, timeLimitSeconds: 1.5 }));
    expect((performance.now() - started) / 1000).toBeLessThan(3);
    expect(limited.upperBound).toBeGreaterThanOrEqual(limited.bestValue);
  });

  it('takes a thread count for the subset search: sound on two threads, refused when not a whole number ≥ 1', async () => {
    const graph = randomGraph({ inputs: 12, hidden: [24], outputs: 3, seed: 301 });
    const objective = { kind: 'logit' as const, index: 1 };
    for (const threads of [0, 1.5]) {
      await expect(certifyGraph(graph, { objective, threads })).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    const exact = certificate(await certifyGraph(graph, { objective, search: 'milp', timeLimitSeconds: 30 }));
    const threaded = certificate(await certifyGraph(graph, { objective, threads: 2, timeLimitSeconds: 4 }));
    expect(exact.proven).toBe(true);
    expect(threaded.upperBound).toBeGreaterThanOrEqual(exact.bestValue);
    expect(threaded.bestValue).toBeLessThanOrEqual(exact.upperBound);
  });
});
