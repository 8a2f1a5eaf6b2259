import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { EmptyFeasibleSetError } from '../constraints/emptyFeasibleSet.ts';
import { CancelledError, InvalidArgumentError, NonFiniteError } from '../errors.ts';
import type { OptimizationEvent, OptimizationResult, OptimizeOptions } from '../spec/types.ts';
import { loadTestModel, testModelPaths } from '../testing/testModels.ts';
import { evaluateObjective } from './evaluateObjective.ts';
import { optimize, runOptimization } from './optimize.ts';
import { defaultSnapshot } from './resolveOptions.ts';

const fixture = testModelPaths[0]!.path;
let model: tfl.LayersModel;

beforeAll(async () => {
  await initBackend(undefined, () => {});
  model = await loadTestModel(fixture);
});

const logit3: OptimizeOptions = {
  objective: { kind: 'logit', index: 3 },
  steps: 8,
  restarts: 4,
  polish: false,
};

async function collect(options: OptimizeOptions): Promise<OptimizationEvent[]> {
  const events: OptimizationEvent[] = [];
  for await (const event of optimize(model, options)) events.push(event);
  return events;
}

describe('optimize', () => {
  it('streams one step per update, then one done event with the result', async () => {
    const events = await collect(logit3);
    expect(events.map((e) => e.type)).toEqual([...new Array(8).fill('step'), 'done']);
    const steps = events.filter((e) => e.type === 'step');
    expect(steps.map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const s of steps) {
      expect(s.steps).toBe(8);
      expect(s.objectives).toHaveLength(4);
      expect(s.objective).toBe(Math.max(...s.objectives));
      expect(s.outputs.logits).toHaveLength(10);
      expect(s.outputs.probabilities!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(s.outputs.logits![3]).toBeCloseTo(s.objective, 4);
      expect(s.input).toBeInstanceOf(Float32Array);
    }
    const done = events.at(-1)!;
    if (done.type !== 'done') throw new Error('no done event');
    const { result } = done;
    expect(result.shape).toEqual([28, 28, 1]);
    expect(result.input).toHaveLength(784);
    expect(result.method).toBe('projected-adam');
    expect(result.backend).toBe(tf.getBackend());
    expect(result.steps).toBe(8);
    expect(result.restarts).toBe(4);
    expect(result.seconds).toBeGreaterThan(0);
    const [again] = await evaluateObjective(model, logit3.objective, [result.input]);
    expect(result.value).toBeCloseTo(again!.value, 5);
    expect(result.outputs.logits![3]).toBeCloseTo(result.value, 5);
  });

  it('takes full input snapshots only on the steps the caller chooses', async () => {
    const events = await collect({ ...logit3, snapshot: (step) => step % 3 === 0 });
    const withInput = events
      .filter((e) => e.type === 'step' && e.input)
      .map((e) => (e.type === 'step' ? e.step : -1));
    expect(withInput).toEqual([0, 3, 6]);
    // Default: every step for the first 50, then log-spaced, and the last one.
    const chosen = Array.from({ length: 1000 }, (_, i) => i).filter((i) => defaultSnapshot(i, 1000));
    expect(chosen.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(chosen.at(-1)).toBe(999);
    expect(chosen.length).toBeLessThan(50 + 2 * 20 + 3);
  });

  it('gives each snapshot its own buffer, so a consumer may transfer it (as the server does)', async () => {
    for (const method of ['projected-adam', 'normalized-gradient-ascent', 'trainable-input-layer'] as const) {
      let result: OptimizationResult | undefined;
      for await (const event of optimize(model, { ...logit3, method })) {
        if (event.type === 'step' && event.input)
          structuredClone(event.input, { transfer: [event.input.buffer as ArrayBuffer] });
        if (event.type === 'done') result = event.result;
      }
      expect(result!.input).toHaveLength(784);
      expect(result!.input.every(Number.isFinite)).toBe(true);
    }
  });

  it('cancels through an AbortSignal with CancelledError and frees its tensors', async () => {
    await collect({ ...logit3, steps: 2 });
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let seen = 0;
    await expect(
      runOptimization(model, { ...logit3, steps: 1000, signal: controller.signal }, () => {
        if (++seen === 3) controller.abort();
      }),
    ).rejects.toThrow(CancelledError);
    expect(seen).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees its tensors when the caller stops iterating early', async () => {
    const before = tf.memory().numTensors;
    for await (const event of optimize(model, { ...logit3, steps: 100 })) {
      if (event.type === 'step' && event.step === 2) break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('quantises at the end, onto the grid, and re-evaluates', async () => {
    const result = await runOptimization(model, { ...logit3, constraints: { quantize: { levels: 256 } } });
    for (const v of result.input) expect(Math.abs(v * 255 - Math.round(v * 255))).toBeLessThan(1e-3);
    expect(result.valueBeforeQuantize).toBeDefined();
    const [again] = await evaluateObjective(model, logit3.objective, [result.input]);
    expect(result.value).toBeCloseTo(again!.value, 5);
    expect(Math.abs(result.value - result.valueBeforeQuantize!)).toBeLessThan(1);
    expect(result.violation).toBeLessThanOrEqual(1e-6);
  });

  it('rejects invalid options before any step, naming the argument', async () => {
    const reference = new Array(784).fill(0.5);
    const bad: [Partial<OptimizeOptions>, RegExp][] = [
      [{ steps: 0 }, /steps: received 0; expected an integer in \[1, 1,000,000\]/],
      [{ steps: 1e9 }, /steps: received 1000000000/],
      [{ restarts: 1.5 }, /restarts: received 1\.5/],
      [{ learningRate: -1 }, /learningRate: received -1; expected a finite number > 0/],
      [
        { method: 'sgd' as OptimizeOptions['method'] },
        /method: received "sgd"; expected one of projected-adam/,
      ],
      [
        { method: 'normalized-gradient-ascent', parameterization: 'fourier' },
        /parameterization: received "fourier"; expected pixel/,
      ],
      [
        { method: 'trainable-input-layer', regularizers: { tv: 1 } },
        /regularizers: received "tv"; expected regularizers only with method projected-adam/,
      ],
      [{ objective: { kind: 'logit', index: 12 } }, /objective\.index: received 12/],
      [
        { constraints: { linf: { reference: reference.slice(1), epsilon: 0.1 } } },
        /constraints\.linf\.reference: received an array of length 783; expected 784 numbers/,
      ],
      [{ constraints: { box: { lo: 0.5, hi: 0.2 } } }, /constraints\.box: received "lo 0\.5 > hi 0\.2"/],
      [{ constraints: { l2: { reference, epsilon: -1 } } }, /constraints\.l2\.epsilon: received -1/],
    ];
    for (const [options, message] of bad) {
      await expect(runOptimization(model, { ...logit3, ...options })).rejects.toThrow(InvalidArgumentError);
      await expect(runOptimization(model, { ...logit3, ...options })).rejects.toThrow(message);
    }
  });

  it('rejects NaN in a reference, reports an empty feasible set, and refuses NaN weights', async () => {
    const reference = new Array(784).fill(0.5);
    reference[100] = Number.NaN;
    await expect(
      runOptimization(model, { ...logit3, constraints: { l2: { reference, epsilon: 1 } } }),
    ).rejects.toThrow(NonFiniteError);
    const far = new Array(784).fill(3);
    await expect(
      runOptimization(model, { ...logit3, constraints: { l2: { reference: far, epsilon: 1 } } }),
    ).rejects.toThrow(EmptyFeasibleSetError);
    const broken = await loadTestModel(fixture);
    const layer = broken.getLayer('nnv_Output');
    const [kernel, bias] = layer.getWeights();
    layer.setWeights([kernel!, tf.fill(bias!.shape, Number.NaN)]);
    await expect(runOptimization(broken, logit3)).rejects.toThrow(
      /model weight nnv_Output\/bias\S*: 10 value\(s\) are NaN/,
    );
  });

  it('polishes the best start of projected-adam on a ReLU MLP, and only improves it', async () => {
    const result = await runOptimization(model, { ...logit3, polish: true, steps: 20 });
    expect(result.polishSkipped).toBeUndefined();
    if (result.valueBeforePolish !== undefined)
      expect(result.value).toBeGreaterThan(result.valueBeforePolish);
    expect(result.violation).toBeLessThanOrEqual(1e-6);
  });
});
