import * as tf from '@tensorflow/tfjs-core';
import { Prng } from '../training/prng.ts';
import type { ImageSample } from './imageSample.ts';
import type { ReluDecoder } from './reluDecoder.ts';

/**
 * A variational autoencoder's recipe: a ReLU MLP encoder (one hidden layer) to a diagonal Gaussian
 * posterior of `latent` dimensions, a ReLU MLP decoder (`hidden` units per layer) with a linear output.
 * The likelihood is Gaussian with standard deviation `noise` per value (the squared error over
 * 2·noise²), on the linear output: no sigmoid, so the decoder clipped to the box by ReLUs is a ReLU
 * network (see latentModel).
 */
export interface VaeSettings {
  latent: number;
  /** Units of each hidden layer, encoder and decoder alike. */
  hidden: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  noise: number;
  /** Train on at most this many examples (evenly spaced). */
  examples: number;
  seed: number;
}

export interface TrainedVae {
  decoder: ReluDecoder;
  /** `[count, latent]`: every training example's posterior mean (its code). */
  codes: Float32Array;
  /** Mean squared error per value of the posterior means' reconstructions (clipped to [0, 1]) in the last epoch. */
  reconstructionError: number;
  epochs: number;
  seconds: number;
}

interface Dense {
  kernel: tf.Variable;
  bias: tf.Variable;
}

/**
 * Trains the VAE on `train` (minibatch Adam, examples shuffled each epoch by a seeded generator) and
 * returns the decoder as plain arrays and the training examples' codes. Progress once per epoch.
 */
export async function trainVae(
  train: ImageSample,
  settings: VaeSettings,
  options: { onProgress?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<TrainedVae> {
  const started = performance.now();
  const { latent, hidden, batchSize, noise } = settings;
  const size = train.size;
  const prng = new Prng(settings.seed);
  const dense = (inputs: number, units: number): Dense => {
    // Glorot uniform from the seeded generator: the same seed gives the same decoder.
    const limit = Math.sqrt(6 / (inputs + units));
    const values = new Float32Array(inputs * units);
    for (let i = 0; i < values.length; i++) values[i] = (prng.next() * 2 - 1) * limit;
    const initial = [tf.tensor2d(values, [inputs, units]), tf.zeros([units])];
    const layer = { kernel: tf.variable(initial[0]!), bias: tf.variable(initial[1]!) };
    // A variable holds its own copy: the initial tensors would stay behind.
    tf.dispose(initial);
    return layer;
  };
  const chain = (sizes: number[]) => sizes.slice(1).map((units, i) => dense(sizes[i]!, units));
  const encoder = chain([size, ...hidden]);
  const toMean = dense(hidden.at(-1) ?? size, latent);
  const toLogVariance = dense(hidden.at(-1) ?? size, latent);
  const decoder = chain([latent, ...hidden, size]);
  const layers = [...encoder, toMean, toLogVariance, ...decoder];
  const variables = layers.flatMap((l) => [l.kernel, l.bias]);
  const apply = (x: tf.Tensor2D, stack: Dense[], reluLast: boolean) =>
    stack.reduce((h, { kernel, bias }, i) => {
      const y = tf.add(tf.matMul(h, kernel), bias) as tf.Tensor2D;
      return i < stack.length - 1 || reluLast ? tf.relu(y) : y;
    }, x);
  const encode = (x: tf.Tensor2D) => {
    const h = apply(x, encoder, true);
    return { mean: apply(h, [toMean], false), logVariance: apply(h, [toLogVariance], false) };
  };
  const optimizer = tf.train.adam(settings.learningRate);
  const count = Math.min(train.count, settings.examples);
  const rows = Array.from({ length: count }, (_, i) => Math.floor((i * train.count) / count));
  const batch = new Float32Array(batchSize * size);
  let reconstructionError = Number.NaN;
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      for (let i = rows.length - 1; i > 0; i--) {
        const j = Math.floor(prng.next() * (i + 1));
        [rows[i], rows[j]] = [rows[j]!, rows[i]!];
      }
      let lossSum = 0;
      let batches = 0;
      for (let start = 0; start + batchSize <= count; start += batchSize) {
        if (options.signal?.aborted) throw new Error('cancelled');
        for (let b = 0; b < batchSize; b++)
          batch.set(train.values.subarray(rows[start + b]! * size, (rows[start + b]! + 1) * size), b * size);
        const x = tf.tensor2d(batch, [batchSize, size]);
        const epsilon = tf.randomNormal([batchSize, latent], 0, 1, 'float32', prng.nextUint32());
        const loss = optimizer.minimize(
          () =>
            tf.tidy(() => {
              const { mean, logVariance } = encode(x);
              const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), epsilon)) as tf.Tensor2D;
              const y = apply(z, decoder, false);
              const reconstruction = tf.div(tf.sum(tf.square(tf.sub(x, y)), 1), 2 * noise * noise);
              const kl = tf.mul(
                tf.sum(tf.sub(tf.add(tf.square(mean), tf.exp(logVariance)), tf.add(logVariance, 1)), 1),
                0.5,
              );
              return tf.mean(tf.add(reconstruction, kl)) as tf.Scalar;
            }),
          true,
          variables,
        );
        lossSum += (await loss!.data())[0]!;
        tf.dispose([x, epsilon, loss!]);
        batches++;
        // Let other work (a server's requests, a cancel) run between batches.
        if (batches % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      options.onProgress?.(
        `vae epoch ${epoch + 1}/${settings.epochs}: loss ${(lossSum / Math.max(1, batches)).toFixed(1)} per example`,
      );
    }
    // Every training example's code (the posterior mean) and the reconstruction error it gives.
    const codes = new Float32Array(train.count * latent);
    let squares = 0;
    for (let start = 0; start < train.count; start += 1000) {
      const n = Math.min(1000, train.count - start);
      const [mean, error] = tf.tidy(() => {
        const x = tf.tensor2d(train.values.subarray(start * size, (start + n) * size), [n, size]);
        const { mean } = encode(x);
        const y = tf.clipByValue(apply(mean, decoder, false), 0, 1);
        return [mean, tf.sum(tf.square(tf.sub(x, y)))];
      });
      codes.set(await mean!.data(), start * latent);
      squares += (await error!.data())[0]!;
      tf.dispose([mean!, error!]);
    }
    reconstructionError = squares / (train.count * size);
    const plain = await Promise.all(
      decoder.map(async ({ kernel, bias }) => ({
        kernel: new Float32Array(await kernel.data()),
        bias: new Float32Array(await bias.data()),
      })),
    );
    const last = plain.at(-1)!;
    return {
      decoder: {
        latent,
        size,
        hidden: plain.slice(0, -1).map((l) => ({ units: l.bias.length, kernel: l.kernel, bias: l.bias })),
        offset: last.bias,
        basis: last.kernel,
      },
      codes,
      reconstructionError,
      epochs: settings.epochs,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    optimizer.dispose();
    tf.dispose(variables);
  }
}
