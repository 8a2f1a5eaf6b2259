import * as tf from '@tensorflow/tfjs-core';
import type { FeasibleSet } from '../constraints/feasibleSet.ts';
import type { ImageShape } from './imageShape.ts';

/**
 * How projected-adam represents its inputs. `pixel`: θ is x, projected after every step. `sigmoid`:
 * x = lo + (hi − lo)·σ(θ), inside the bounds by construction. `fourier`: θ holds 2-D cosine (DCT)
 * coefficients scaled by 1/frequency (smooth, natural-looking images), then the same sigmoid.
 */
export interface Parameterization {
  /** θ representing the feasible inputs `x` (`[B, D]`). */
  encode(x: tf.Tensor2D): tf.Tensor2D;
  /** The inputs θ represents, inside the bounds (differentiable). */
  decode(theta: tf.Tensor2D): tf.Tensor2D;
  /** θ is x itself, so projecting θ keeps x feasible. */
  direct: boolean;
  dispose(): void;
}

export function makeParameterization(
  kind: 'pixel' | 'sigmoid' | 'fourier',
  set: FeasibleSet,
  image: ImageShape | undefined,
): Parameterization {
  if (kind === 'pixel') {
    return { encode: (x) => tf.clone(x), decode: (theta) => theta, direct: true, dispose: () => {} };
  }
  const size = set.input.size;
  const lo = tf.tensor2d(set.bounds32.lo, [1, size]);
  const range = tf.tensor2d(
    set.bounds32.hi.map((h, i) => h - set.bounds32.lo[i]!),
    [1, size],
  );
  const squash = (s: tf.Tensor2D) => tf.add(lo, tf.mul(range, tf.sigmoid(s))) as tf.Tensor2D;
  const unsquash = (x: tf.Tensor2D) =>
    tf.tidy(() => {
      const u = tf.clipByValue(tf.divNoNan(tf.sub(x, lo), range), 1e-4, 1 - 1e-4);
      return tf.log(tf.div(u, tf.sub(1, u))) as tf.Tensor2D;
    });
  if (kind === 'sigmoid') {
    return { encode: unsquash, decode: squash, direct: false, dispose: () => tf.dispose([lo, range]) };
  }
  const basis = cosineBasis(image!);
  return {
    encode: (x) => tf.tidy(() => tf.div(basis.forward(unsquash(x)), basis.scale) as tf.Tensor2D),
    decode: (theta) => squash(basis.inverse(tf.mul(theta, basis.scale) as tf.Tensor2D)),
    direct: false,
    dispose: () => {
      tf.dispose([lo, range]);
      basis.dispose();
    },
  };
}

/** Orthonormal 2-D DCT of every channel of every image, as two small matrix products. */
function cosineBasis({ height: h, width: w, channels: c }: ImageShape) {
  const matrix = (n: number) => {
    const m = new Float32Array(n * n);
    for (let k = 0; k < n; k++) {
      const alpha = Math.sqrt((k === 0 ? 1 : 2) / n);
      for (let i = 0; i < n; i++) m[k * n + i] = alpha * Math.cos((Math.PI * (2 * i + 1) * k) / (2 * n));
    }
    return tf.tensor2d(m, [n, n]);
  };
  const mh = matrix(h);
  const mw = matrix(w);
  const mhT = tf.transpose(mh);
  const mwT = tf.transpose(mw);
  // Coefficient (kh, kw) has frequency √((kh/2h)² + (kw/2w)²) cycles per pixel; the DC term keeps scale 1.
  const floor = 1 / (2 * Math.max(h, w));
  const scaleValues = new Float32Array(h * w * c);
  for (let kh = 0; kh < h; kh++) {
    for (let kw = 0; kw < w; kw++) {
      const f = Math.hypot(kh / (2 * h), kw / (2 * w));
      scaleValues.fill(floor / Math.max(f, floor), (kh * w + kw) * c, (kh * w + kw + 1) * c);
    }
  }
  const scale = tf.tensor2d(scaleValues, [1, h * w * c]);
  /** Aᵀ · X · B for every [h, w] channel image X of x ([N, h·w·c], channels last). */
  const separable = (x: tf.Tensor2D, a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D => {
    const n = x.shape[0];
    const channelsFirst = tf.transpose(tf.reshape(x, [n, h, w, c]), [0, 3, 1, 2]);
    const right = tf.reshape(tf.matMul(tf.reshape(channelsFirst, [n * c * h, w]), b), [n * c, h, w]);
    const left = tf.matMul(tf.reshape(tf.transpose(right, [0, 2, 1]), [n * c * w, h]), a);
    return tf.reshape(tf.transpose(tf.reshape(left, [n, c, w, h]), [0, 3, 2, 1]), [n, h * w * c]);
  };
  return {
    scale,
    forward: (x: tf.Tensor2D) => separable(x, mhT, mwT),
    inverse: (coefficients: tf.Tensor2D) => separable(coefficients, mh, mw),
    dispose: () => tf.dispose([mh, mw, mhT, mwT, scale]),
  };
}
