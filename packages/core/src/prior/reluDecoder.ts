/**
 * A ReLU MLP decoder from latent codes to model inputs: hidden Dense + ReLU layers, then an affine map
 * (x = offset + hᵀ · basis). Clipped to the box by ReLUs (see latentModel), decoder and model stay one
 * ReLU network, which the optimiser's exact polish and the certifier take as they are. The affine
 * decoder of a subspace is the case with no hidden layer.
 */
export interface ReluDecoder {
  /** Latent dimensions. */
  latent: number;
  /** Model input values per example. */
  size: number;
  /** Hidden layers in order; `kernel` row-major `[inputs, units]` (the previous layer's units, or `latent`). */
  hidden: DenseRelu[];
  /** `size` values. */
  offset: Float32Array;
  /** Row-major `[last hidden units (or latent), size]`. */
  basis: Float32Array;
}

export interface DenseRelu {
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
}

/** The decoder's input to its final affine map for latent `z`: the last hidden layer's activations. */
export function hiddenActivations(decoder: ReluDecoder, z: ArrayLike<number>): Float32Array {
  let h = Float32Array.from(z);
  for (const { units, kernel, bias } of decoder.hidden) {
    const next = Float32Array.from(bias);
    for (let i = 0; i < h.length; i++) {
      const hi = h[i]!;
      if (hi === 0) continue;
      const row = i * units;
      for (let u = 0; u < units; u++) next[u] = next[u]! + hi * kernel[row + u]!;
    }
    for (let u = 0; u < units; u++) next[u] = Math.max(0, next[u]!);
    h = next;
  }
  return h;
}
