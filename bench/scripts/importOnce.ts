/**
 * Bench helper, run as its own fresh process per model so its peak resident set belongs to that
 * import alone: warms up the tfjs backend and h5wasm, imports the model REPEATS times and prints one
 * JSON line. `peakBytes` is the process's high-water mark (maxRSS) after the first import, `baseBytes`
 * its resident set just before it; their difference is the import's peak memory (an upper bound when
 * warming up peaked as high, which `warmPeakBytes` shows).
 * Usage: node --expose-gc --import tsx scripts/importOnce.ts MODEL_PATH REPEATS
 */
import { importModel, initBackend } from '@argmax/core';
import * as tf from '@tensorflow/tfjs-core';
import { ready } from 'h5wasm';

const [path, repeats = '1'] = process.argv.slice(2);
if (!path) throw new Error('usage: importOnce.ts MODEL_PATH REPEATS');
await initBackend(undefined, () => {});
await ready;
globalThis.gc?.();
const baseBytes = process.memoryUsage().rss;
const warmPeakBytes = process.resourceUsage().maxRSS * 1024;
const tensorBytesBefore = tf.memory().numBytes;
const seconds: number[] = [];
let tensorBytes = 0;
let parameters = 0;
let peakBytes = 0;
for (let i = 0; i < Number(repeats); i++) {
  const started = performance.now();
  const imported = await importModel(path);
  seconds.push((performance.now() - started) / 1000);
  tensorBytes = tf.memory().numBytes - tensorBytesBefore;
  parameters = imported.parameterCount;
  imported.model.dispose();
  // The first import's peak: later ones add the garbage of the earlier ones.
  if (i === 0) peakBytes = process.resourceUsage().maxRSS * 1024;
}
process.stdout.write(
  `${JSON.stringify({ seconds, baseBytes, warmPeakBytes, peakBytes, tensorBytes, parameters })}\n`,
);
