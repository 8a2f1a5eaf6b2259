import { buildSeedMlp, type ImageSplit, initBackend, loadFashionMnist, train } from '@argmax/core';
import * as tf from '@tensorflow/tfjs-core';
import { type BenchRow, type BenchSuite, benchRow } from './benchRow.ts';
import { cpuClock } from './cpuClock.ts';

const batchSize = 32;

interface Measured {
  /** Wall seconds per full epoch (scaled from the batches run). */
  seconds: number;
  /** Process CPU seconds per full epoch: less sensitive to other work on the machine. */
  cpuSeconds: number;
  batches: number;
}

/** Seconds per epoch of `train()` on the seed model (the lean loop unless `loop` says otherwise). */
async function ourLoop(data: ImageSplit, batches: number, loop: 'auto' | 'generic'): Promise<Measured> {
  const model = buildSeedMlp({ seed: 42 });
  const cpuUsed = cpuClock();
  let seconds = 0;
  for await (const event of train(model, data, {
    epochs: 1,
    seed: 42,
    batchesPerEpoch: batches,
    loop,
    log: () => {},
  }))
    if (event.type === 'epoch') seconds = event.seconds;
  const cpuSeconds = cpuUsed();
  tf.dispose(model.getWeights());
  const scale = data.count / batchSize / batches;
  return { seconds: seconds * scale, cpuSeconds: cpuSeconds * scale, batches };
}

/** Seconds per epoch of Keras-style `model.fit` (Adam 1e-3, sparse categorical cross-entropy, batch 32). */
async function modelFit(data: ImageSplit, batches: number): Promise<Measured> {
  const model = buildSeedMlp({ seed: 42 });
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const count = Math.min(data.count, batches * batchSize);
  const [x, y] = tf.tidy(() => [
    tf.div(tf.tensor(data.images.subarray(0, count * 784), [count, 28, 28, 1], 'float32'), 255),
    tf.tensor1d(data.labels.subarray(0, count), 'float32'),
  ]);
  const cpuUsed = cpuClock();
  const started = performance.now();
  await model.fit(x!, y!, { batchSize, epochs: 1, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuUsed();
  tf.dispose([x!, y!, ...model.getWeights()]);
  model.optimizer.dispose();
  const scale = data.count / count;
  return { seconds: seconds * scale, cpuSeconds: cpuSeconds * scale, batches };
}

/**
 * Seed-model training time per epoch (60,000 Fashion-MNIST images, batch 32): the lean loop on
 * wasm and on cpu, tfjs's autodiff + tf.train.adam through the same `train()` on wasm, and
 * `model.fit` on wasm as the baseline of every ratio (and on cpu for reference). Quick mode runs a
 * fraction of an epoch and scales; so does full mode for the slow cpu `model.fit`.
 */
export const trainingSuite: BenchSuite = {
  name: 'training',
  async run({ quick, log }) {
    const info = await initBackend(undefined, log);
    const initial = tf.getBackend();
    const data = (await loadFashionMnist()).train;
    const full = data.count / batchSize;
    const budget = (batches: number) => Math.min(full, quick ? Math.ceil(batches / 10) : batches);
    const measured: { case: string; backend: string; result: Measured }[] = [];
    const measure = async (name: string, backend: string, run: () => Promise<Measured>) => {
      await tf.setBackend(backend);
      const result = await run();
      log(
        `training ${name} on ${backend}: ${result.seconds.toFixed(2)} s/epoch (cpu ${result.cpuSeconds.toFixed(2)} s; ` +
          `${result.batches} batches measured)`,
      );
      measured.push({ case: name, backend, result });
    };
    try {
      if (info.name === 'wasm') {
        // Warm-up: first calls compile kernels and JIT the loops.
        await ourLoop(data, 50, 'auto');
        await measure('lean loop', 'wasm', () => ourLoop(data, budget(full), 'auto'));
        await measure('model.fit', 'wasm', () => modelFit(data, budget(full)));
        await measure('autodiff + tf.train.adam', 'wasm', () => ourLoop(data, budget(300), 'generic'));
      }
      await measure('lean loop', 'cpu', () => ourLoop(data, budget(quick ? 300 : full), 'auto'));
      await measure('model.fit', 'cpu', () => modelFit(data, budget(100)));
    } finally {
      await tf.setBackend(initial);
    }
    const baseline = measured.find((m) => m.case === 'model.fit' && m.backend === 'wasm')?.result.seconds;
    return measured.flatMap(({ case: name, backend, result }): BenchRow[] => {
      const note = `${result.batches} of ${full} batches measured${result.batches < full ? ', scaled' : ''}`;
      const row = { suite: 'training', case: `seed-mlp ${name} (${backend})`, unit: 's' } as const;
      return [
        benchRow({ ...row, metric: 'epoch time', value: result.seconds, baseline, note }),
        { ...row, metric: 'epoch cpu time', value: result.cpuSeconds, note },
      ];
    });
  },
};
