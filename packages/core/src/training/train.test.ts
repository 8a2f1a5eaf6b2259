import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import type { ImageSplit } from '../data/dataset.ts';
import { CancelledError, InvalidArgumentError } from '../errors.ts';
import { buildSeedMlp } from '../models/seedMlp.ts';
import { buildSmallCnn } from '../models/smallCnn.ts';
import type { TrainEvent } from './events.ts';
import { Prng } from './prng.ts';
import { type TrainOptions, train } from './train.ts';

beforeAll(() => initBackend(undefined, () => {}));

/** Learnable toy data: class k lights up row band k of the image, plus noise. */
function toySplit(count: number, seed: number): ImageSplit {
  const prng = new Prng(seed);
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = prng.nextInt(10);
    labels[i] = label;
    for (let p = 0; p < 784; p++) {
      const row = Math.floor(p / 28);
      images[i * 784 + p] = (row >= label * 2 + 4 && row < label * 2 + 6 ? 160 : 0) + prng.nextInt(90);
    }
  }
  return { images, labels, count };
}

async function collect(iterator: AsyncIterable<TrainEvent>): Promise<TrainEvent[]> {
  const events: TrainEvent[] = [];
  for await (const event of iterator) events.push(event);
  return events;
}

const data = toySplit(640, 1);
const test = toySplit(200, 2);
const quiet: TrainOptions = { log: () => {} };

describe('train', () => {
  it('streams batch, epoch and done events and learns', async () => {
    const model = buildSeedMlp({ seed: 1 });
    const events = await collect(train(model, data, { ...quiet, epochs: 2, test, progressIntervalMs: 0 }));
    const batches = events.filter((e) => e.type === 'batch');
    expect(batches.length).toBe(2 * 20);
    expect(batches[0]).toMatchObject({ epoch: 1, batch: 1, batches: 20 });
    expect(batches.every((e) => e.examplesPerSecond > 0 && e.loss > 0 && e.accuracy >= 0)).toBe(true);
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(epochs[1]!.loss).toBeLessThan(epochs[0]!.loss);
    const done = events.at(-1)!;
    expect(done).toMatchObject({ type: 'done', epochs: 2, loop: 'dense', backend: tf.getBackend() });
    if (done.type !== 'done') throw new Error('unreachable');
    expect(done.testAccuracy).toBeGreaterThan(0.9);
    expect(done.testAccuracy).toBe(epochs[1]!.testAccuracy);
  });

  it('throttles batch events', async () => {
    const events = await collect(
      train(buildSeedMlp(), data, { ...quiet, epochs: 1, progressIntervalMs: 60_000 }),
    );
    // Only the epoch's last batch is reported when the interval never elapses.
    expect(events.filter((e) => e.type === 'batch').map((e) => e.type === 'batch' && e.batch)).toEqual([20]);
  });

  it('is reproducible for a seed and differs for another', async () => {
    const run = async (shuffleSeed: number) => {
      const model = buildSeedMlp({ seed: 5 });
      await collect(train(model, data, { ...quiet, epochs: 2, seed: shuffleSeed }));
      return model.getWeights().map((w) => Array.from(w.dataSync()));
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
  });

  it.each([
    ['the dense loop', 'auto'],
    ['the generic loop', 'generic'],
  ] as const)('leaks no tensors with %s, also when cancelled', async (_, loop) => {
    const model = buildSeedMlp({ seed: 2 });
    const before = tf.memory().numTensors;
    await collect(train(model, data, { ...quiet, epochs: 1, test, loop, batchesPerEpoch: 5 }));
    expect(tf.memory().numTensors).toBe(before);
    const controller = new AbortController();
    const cancelled = collect(
      (async function* () {
        for await (const event of train(model, data, {
          ...quiet,
          loop,
          signal: controller.signal,
          progressIntervalMs: 0,
        })) {
          controller.abort();
          yield event;
        }
      })(),
    );
    await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains the small CNN on the current backend without leaks', async () => {
    const backend = tf.getBackend();
    const lines: string[] = [];
    const model = buildSmallCnn({ seed: 1 });
    const before = tf.memory().numTensors;
    const events = await collect(
      train(model, data, { epochs: 2, batchesPerEpoch: 6, log: (l) => lines.push(l) }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'done', loop: 'generic', backend });
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs[1]!.loss).toBeLessThan(epochs[0]!.loss);
    expect(lines).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('falls back to cpu, with a log line, for a model whose gradients wasm cannot compute', async () => {
    const backend = tf.getBackend();
    const lines: string[] = [];
    const model = tfl.sequential({
      name: 'depthwise',
      layers: [
        tfl.layers.depthwiseConv2d({
          inputShape: [28, 28, 1],
          kernelSize: 5,
          strides: 3,
          depthMultiplier: 2,
        }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const before = tf.memory().numTensors;
    const events = await collect(
      train(model, data, { epochs: 1, batchesPerEpoch: 3, log: (l) => lines.push(l) }),
    );
    if (backend === 'wasm') {
      expect(lines).toEqual([
        'argmax: training depthwise on cpu: the wasm backend has no DepthwiseConv2dNativeBackpropInput, DepthwiseConv2dNativeBackpropFilter kernel for its gradients',
      ]);
      expect(events.at(-1)).toMatchObject({ type: 'done', backend: 'cpu' });
    } else {
      expect(lines).toEqual([]);
      expect(events.at(-1)).toMatchObject({ type: 'done', backend });
    }
    expect(tf.getBackend()).toBe(backend);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options naming them', async () => {
    const model = buildSeedMlp();
    await expect(collect(train(model, data, { epochs: 0 }))).rejects.toThrow(InvalidArgumentError);
    await expect(collect(train(model, data, { batchSize: 2.5 }))).rejects.toThrow(/batchSize: received 2.5/);
    await expect(collect(train(model, data, { learningRate: -1 }))).rejects.toThrow(/learningRate/);
    await expect(collect(train(buildSmallCnn(), data, { loop: 'dense' }))).rejects.toThrow(
      /conv2d is a Conv2D/,
    );
  });
});
