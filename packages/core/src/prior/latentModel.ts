import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hiddenActivations, type ReluDecoder } from './reluDecoder.ts';

/** An affine map from latent coordinates to model inputs: x = offset + wᵀ · basis. */
export interface AffineDecoder {
  /** Latent dimensions. */
  latent: number;
  /** Model input values per example. */
  size: number;
  /** `size` values. */
  offset: Float32Array;
  /** Row-major `[latent, size]`: row i is the input change per unit of latent coordinate i. */
  basis: Float32Array;
}

/** A decoder latentModel composes: affine (a subspace) or a ReLU MLP (a generative prior). */
export type LatentDecoder = AffineDecoder | ReluDecoder;

/** The decoder's hidden layers (none for an affine one). */
function hiddenOf(decoder: LatentDecoder): ReluDecoder['hidden'] {
  return 'hidden' in decoder ? decoder.hidden : [];
}

/**
 * `model` preceded by the decoder and a clip of every input value to [lo, hi]: one network from
 * latent coordinates to the model's outputs (a ReLU decoder's hidden layers first). The clip is written as ReLUs (clip(y) = lo +
 * relu(y − lo) − relu(y − hi)), so a ReLU MLP stays a ReLU MLP (`Dense(relu) → Dense(linear) →
 * the model's layers`) and the exact polish and the certifier work on it unchanged. The model's own
 * layers are reused (shared weights, nothing copied): dispose the model, not this one.
 */
export function latentModel(
  model: tfl.LayersModel,
  decoder: LatentDecoder,
  box: [number, number],
): tfl.LayersModel {
  const { latent, size, offset, basis } = decoder;
  const hidden = hiddenOf(decoder);
  // Rows of the final affine map: the last hidden layer's units, or the latent coordinates.
  const rows = hidden.at(-1)?.units ?? latent;
  const [lo, hi] = box;
  const kernel = new Float32Array(rows * 2 * size);
  const bias = new Float32Array(2 * size);
  for (let i = 0; i < rows; i++) {
    const row = i * 2 * size;
    kernel.set(basis.subarray(i * size, (i + 1) * size), row);
    kernel.set(basis.subarray(i * size, (i + 1) * size), row + size);
  }
  for (let j = 0; j < size; j++) {
    bias[j] = offset[j]! - lo;
    bias[size + j] = offset[j]! - hi;
  }
  // [I; −I] recombines the two halves; the bias puts back lo.
  const recombine = new Float32Array(2 * size * size);
  for (let j = 0; j < size; j++) {
    recombine[j * size + j] = 1;
    recombine[(size + j) * size + j] = -1;
  }
  const z = tfl.input({ shape: [latent], name: 'latent' });
  let h: tfl.SymbolicTensor = z;
  for (const [i, layer] of hidden.entries())
    h = tfl.layers
      .dense({ units: layer.units, activation: 'relu', name: `prior_hidden_${i}` })
      .apply(h) as tfl.SymbolicTensor;
  const halves = tfl.layers
    .dense({ units: 2 * size, activation: 'relu', name: 'prior_decode' })
    .apply(h) as tfl.SymbolicTensor;
  const clipped = tfl.layers
    .dense({ units: size, activation: 'linear', name: 'prior_clip' })
    .apply(halves) as tfl.SymbolicTensor;
  const shape = (model.inputs[0]!.shape as (number | null)[]).slice(1) as number[];
  let x = tfl.layers
    .reshape({ targetShape: shape, name: 'prior_image' })
    .apply(clipped) as tfl.SymbolicTensor;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    x = layer.apply(x) as tfl.SymbolicTensor;
  }
  const composed = tfl.model({ inputs: z, outputs: x, name: `${model.name}_on_prior` });
  const weights = [
    ...hidden.map((layer, i) => ({
      name: `prior_hidden_${i}`,
      values: [
        tf.tensor2d(layer.kernel, [i === 0 ? latent : hidden[i - 1]!.units, layer.units]),
        tf.tensor1d(layer.bias),
      ],
    })),
    { name: 'prior_decode', values: [tf.tensor2d(kernel, [rows, 2 * size]), tf.tensor1d(bias)] },
    {
      name: 'prior_clip',
      values: [tf.tensor2d(recombine, [2 * size, size]), tf.tensor1d(new Float32Array(size).fill(lo))],
    },
  ];
  for (const { name, values } of weights) composed.getLayer(name).setWeights(values);
  tf.dispose(weights.flatMap((w) => w.values));
  return composed;
}

/** Frees what latentModel added to `model` (the model's own layers are shared and stay). */
export function disposeLatentLayers(composed: tfl.LayersModel): void {
  for (const layer of composed.layers)
    if (/^prior_(hidden_\d+|decode|clip)$/.test(layer.name)) layer.dispose();
}

/** The input the decoder and clip give for latent `w` (what the composed model sees). */
export function decodeLatent(
  decoder: LatentDecoder,
  w: ArrayLike<number>,
  box: [number, number],
): Float32Array {
  const h = 'hidden' in decoder ? hiddenActivations(decoder, w) : w;
  const x = Float32Array.from(decoder.offset);
  for (let i = 0; i < h.length; i++) {
    const wi = h[i]!;
    if (wi === 0) continue;
    const row = i * decoder.size;
    for (let j = 0; j < decoder.size; j++) x[j] = x[j]! + wi * decoder.basis[row + j]!;
  }
  for (let j = 0; j < x.length; j++) x[j] = Math.min(box[1], Math.max(box[0], x[j]!));
  return x;
}
