import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { tapModel } from '../network/modelTaps.ts';
import { buildObjective } from '../objectives/buildObjective.ts';
import { measureRealism, type Realism } from '../realism/measureRealism.ts';
import { quantile } from '../realism/percentile.ts';
import { isRealistic, realismBounds } from '../realism/realismCriteria.ts';
import type { ObjectiveSpec } from '../spec/types.ts';
import { decodeLatent } from './latentModel.ts';
import type { Prior } from './prior.ts';
import type { SubspacePrior } from './subspacePrior.ts';

/**
 * Gradient steps, how often the nearest training images (the distance penalty's targets) and the
 * realism of every start are measured again, Adam's step (whitened units), the penalties' weights,
 * the judges' required log-probability margin, and the share of the realism bounds aimed at (a
 * little inside them, so the exact measure agrees). Measured on Fashion-MNIST (bench/src/prior.ts).
 */
export const refineSettings = {
  steps: 60,
  anchorEvery: 6,
  learningRate: 0.08,
  distanceWeight: 4,
  judgeWeight: 4,
  judgeMargin: 1,
  inside: 0.97,
  /** With `distinct`: the weight of the penalty on pairs of starts nearer than the held-out median nearest distance. */
  distinctWeight: 1,
};

export interface RefinedPoint {
  latent: Float32Array;
  input: Float32Array;
  /** The objective at `input` (float32 forward pass, as the search reports it). */
  value: number;
  realism: Realism;
}

/**
 * Continues a search for class `k` inside `subspace` with realism as penalties: the distance to each
 * start's nearest training image (held fixed between measurements, so it is an upper bound on the
 * true nearest distance) beyond the held-out 99th percentile, and every judge's log-probability
 * margin for `k` below `judgeMargin` (the judges are differentiable models stored with the prior).
 * Every few steps each start's realism is measured exactly; each start's best point that meets every
 * criterion is returned (undefined where none did). With `distinct`, pairs of starts nearer than a
 * typical distance between real images (the held-out median nearest-training distance) are pushed
 * apart too, for several different answers from one run.
 */
export function refineRealistic(
  model: tfl.LayersModel,
  objective: ObjectiveSpec,
  prior: Prior,
  k: number,
  subspace: SubspacePrior,
  box: [number, number],
  starts: Float32Array[],
  {
    distinct = false,
    settings = refineSettings,
  }: { distinct?: boolean; settings?: typeof refineSettings } = {},
): (RefinedPoint | undefined)[] {
  const { decoder, lo, hi, radius } = subspace;
  const bounds = realismBounds(prior.realism);
  const size = decoder.size;
  const count = starts.length;
  const network = tapModel(model);
  const compiled = buildObjective(network, objective);
  const train = prior.realism.train;
  const anchors = new Float32Array(count * size);
  const best: (RefinedPoint | undefined)[] = starts.map(() => undefined);
  const apart = quantile(prior.realism.heldOutNearest, 0.05);

  /** Measures every start exactly: keeps its best realistic point, moves its anchor. */
  const measure = (latents: Float32Array, values: Float32Array) => {
    for (let b = 0; b < count; b++) {
      const latent = latents.slice(b * decoder.latent, (b + 1) * decoder.latent);
      const input = decodeLatent(decoder, latent, box);
      const realism = measureRealism(input, prior.realism, prior.judges, prior.shape, k);
      const row = realism.nearestTraining.index;
      anchors.set(train.values.subarray(row * size, (row + 1) * size), b * size);
      const kept = best[b];
      if (isRealistic(realism, bounds, prior.judges.length) && (!kept || values[b]! > kept.value))
        best[b] = { latent, input, value: values[b]!, realism };
    }
  };

  const initial = tf.tensor2d(concat(starts), [count, decoder.latent]);
  const w = tf.variable(initial);
  initial.dispose();
  const offset = tf.tensor2d(decoder.offset, [1, size]);
  const basis = tf.tensor2d(decoder.basis, [decoder.latent, size]);
  const loBound = tf.tensor2d(lo, [1, decoder.latent]);
  const hiBound = tf.tensor2d(hi, [1, decoder.latent]);
  const classes = (prior.judges[0]?.model.outputs[0]?.shape[1] as number | undefined) ?? k + 1;
  const notK = tf.tidy(() => tf.mul(tf.oneHot(tf.tensor1d([k], 'int32'), classes), 1e9));
  const optimizer = tf.train.adam(settings.learningRate);
  const decode = (latent: tf.Tensor) =>
    tf.clipByValue(tf.add(offset, tf.matMul(latent, basis)), box[0], box[1]);
  const highDistance = bounds.nearestHigh * settings.inside;
  try {
    for (let step = 0; step <= settings.steps; step++) {
      if (step % settings.anchorEvery === 0 || step === settings.steps) {
        const [latents, values] = tf.tidy(() => [w.clone(), compiled.evaluate(decode(w)).value]);
        measure(latents!.dataSync() as Float32Array, values!.dataSync() as Float32Array);
        tf.dispose([latents!, values!]);
        if (step === settings.steps) break;
      }
      const anchor = tf.tensor2d(anchors, [count, size]);
      optimizer.minimize(
        () =>
          tf.tidy(() => {
            const x = decode(w);
            const value = compiled.evaluate(x).value;
            const distance = tf.sqrt(tf.add(tf.sum(tf.square(tf.sub(x, anchor)), 1), 1e-9));
            let penalty = tf.mul(tf.square(tf.relu(tf.sub(distance, highDistance))), settings.distanceWeight);
            const image = tf.reshape(x, [count, ...prior.shape]);
            for (const judge of prior.judges) {
              const logp = tf.log(tf.add(judge.model.apply(image) as tf.Tensor2D, 1e-20));
              const own = tf.squeeze(tf.slice(logp, [0, k], [count, 1]), [1]);
              const other = tf.max(tf.sub(logp, notK), 1);
              const shortfall = tf.relu(tf.sub(settings.judgeMargin, tf.sub(own, other)));
              penalty = tf.add(penalty, tf.mul(shortfall, settings.judgeWeight));
            }
            let total = tf.sum(tf.sub(value, penalty));
            if (distinct && count > 1) {
              // Pairwise distances from the Gram matrix; the diagonal (0) is masked out.
              const squares = tf.sum(tf.square(x), 1, true);
              const gram = tf.matMul(x, x, false, true);
              // 1e-9 after the relu: sqrt's slope stays finite on the diagonal (0 · ∞ would be NaN).
              const pairs = tf.sqrt(
                tf.add(tf.relu(tf.sub(tf.add(squares, tf.transpose(squares)), tf.mul(gram, 2))), 1e-9),
              );
              const near = tf.square(tf.relu(tf.sub(apart, pairs)));
              const offDiagonal = tf.sub(1, tf.eye(count));
              total = tf.sub(total, tf.mul(tf.sum(tf.mul(near, offDiagonal)), settings.distinctWeight / 2));
            }
            return tf.neg(total) as tf.Scalar;
          }),
        false,
        // Only the latent points move: the model's and the judges' weights are variables too.
        [w],
      );
      anchor.dispose();
      // Back into the searched set: the per-coordinate bounds, then the ball (a shrink towards 0,
      // which stays within bounds that contain 0).
      tf.tidy(() => {
        const clamped = tf.minimum(tf.maximum(w, loBound), hiBound);
        const norm = tf.norm(clamped, 2, 1, true);
        w.assign(tf.mul(clamped, tf.minimum(1, tf.div(radius, tf.add(norm, 1e-12)))));
      });
    }
  } finally {
    optimizer.dispose();
    tf.dispose([w, offset, basis, loBound, hiBound, notK]);
    network.dispose();
  }
  return best;
}

function concat(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const row of rows) {
    out.set(row, at);
    at += row.length;
  }
  return out;
}
