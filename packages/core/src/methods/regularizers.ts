import * as tf from '@tensorflow/tfjs-core';
import type { RegularizerSpec } from '../spec/types.ts';
import type { ImageShape } from './imageShape.ts';

/**
 * The penalty subtracted from the objective, per start (`[B]`), or undefined when there is none.
 * L2: weight · mean(x²). Total variation: weight · mean |neighbour differences| (images only).
 */
export function penaltyOf(
  spec: RegularizerSpec,
  image: ImageShape | undefined,
): ((x: tf.Tensor2D) => tf.Tensor1D) | undefined {
  const l2 = spec.l2 ?? 0;
  const tv = spec.tv ?? 0;
  if (l2 === 0 && tv === 0) return undefined;
  return (x) => {
    let penalty = tf.zeros([x.shape[0]]) as tf.Tensor1D;
    if (l2 > 0) penalty = tf.add(penalty, tf.mul(tf.mean(tf.square(x), 1), l2));
    if (tv > 0 && image) penalty = tf.add(penalty, tf.mul(totalVariation(x, image), tv));
    return penalty;
  };
}

function totalVariation(x: tf.Tensor2D, { height: h, width: w, channels: c }: ImageShape): tf.Tensor1D {
  const images = tf.reshape(x, [-1, h, w, c]);
  const down = tf.abs(
    tf.sub(
      tf.slice(images, [0, 1, 0, 0], [-1, h - 1, -1, -1]),
      tf.slice(images, [0, 0, 0, 0], [-1, h - 1, -1, -1]),
    ),
  );
  const right = tf.abs(
    tf.sub(
      tf.slice(images, [0, 0, 1, 0], [-1, -1, w - 1, -1]),
      tf.slice(images, [0, 0, 0, 0], [-1, -1, w - 1, -1]),
    ),
  );
  return tf.add(tf.mean(down, [1, 2, 3]), tf.mean(right, [1, 2, 3])) as tf.Tensor1D;
}

/** Separable Gaussian blur of every image in `x` (edges reflected, so borders do not darken). */
export function gaussianBlur(
  x: tf.Tensor2D,
  sigma: number,
  { height: h, width: w, channels: c }: ImageShape,
): tf.Tensor2D {
  const radius = Math.min(Math.ceil(2 * sigma), h - 1, w - 1);
  if (radius < 1) return tf.clone(x);
  const taps = Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
  );
  const total = taps.reduce((a, b) => a + b, 0);
  const weights = taps.flatMap((t) => new Array<number>(c).fill(t / total));
  const vertical = tf.tensor4d(weights, [2 * radius + 1, 1, c, 1]);
  const horizontal = tf.tensor4d(weights, [1, 2 * radius + 1, c, 1]);
  const padded = tf.mirrorPad(
    tf.reshape(x, [-1, h, w, c]) as tf.Tensor4D,
    [
      [0, 0],
      [radius, radius],
      [radius, radius],
      [0, 0],
    ],
    'reflect',
  );
  const blurred = tf.depthwiseConv2d(
    tf.depthwiseConv2d(padded, vertical, 1, 'valid'),
    horizontal,
    1,
    'valid',
  );
  return tf.reshape(blurred, x.shape) as tf.Tensor2D;
}

/** Every image in `x` shifted by (dy, dx) pixels, edges reflected (jitter, for robust visualisations). */
export function shiftImages(
  x: tf.Tensor2D,
  dy: number,
  dx: number,
  { height: h, width: w, channels: c }: ImageShape,
): tf.Tensor2D {
  const pad = Math.max(Math.abs(dy), Math.abs(dx));
  if (pad === 0) return x;
  const padded = tf.mirrorPad(
    tf.reshape(x, [-1, h, w, c]) as tf.Tensor4D,
    [
      [0, 0],
      [pad, pad],
      [pad, pad],
      [0, 0],
    ],
    'reflect',
  );
  return tf.reshape(tf.slice(padded, [0, pad - dy, pad - dx, 0], [-1, h, w, c]), x.shape) as tf.Tensor2D;
}
