import type * as tfl from '@tensorflow/tfjs-layers';
import { certify } from '../certify/certify.ts';
import { generativeLatentBox } from './generativePrior.ts';
import { decodeLatent, disposeLatentLayers, latentModel } from './latentModel.ts';
import { requireGenerative } from './optimizeInGenerative.ts';
import type { Prior } from './prior.ts';
import { type PriorCertificate, type PriorCertifyOptions, smallerPriorBound } from './priorCertificate.ts';
import type { ReluDecoder } from './reluDecoder.ts';

/**
 * An upper bound on the objective over every input the generative prior's search can return (the
 * decoder's images of the latent box, clipped), the smaller of two sound ones, each given half the
 * time:
 * - the model on latent codes (decoder, clip and model: one ReLU network, latentModel) certified
 *   over the latent box; its best point is a point of that box;
 * - the model itself certified over each input value's range on the box, found by interval
 *   arithmetic through the decoder (decoderInputRanges): looser per value, but the model's own
 *   search applies.
 * `k` and `sigmas`: the latent box the search used (class k's codes, or all codes' when undefined;
 * its half-width in standard deviations).
 */
export async function certifyInGenerative(
  model: tfl.LayersModel,
  prior: Prior,
  k: number | undefined,
  box: [number, number],
  sigmas: number,
  options: PriorCertifyOptions,
): Promise<PriorCertificate | { supported: false; reason: string }> {
  const generative = requireGenerative(prior);
  const { lo, hi } = generativeLatentBox(generative, k, sigmas);
  const { incumbentLatent, ...rest } = options;
  const half = (options.timeLimitSeconds ?? 10) / 2;
  const byRanges = await certify(model, {
    ...rest,
    timeLimitSeconds: half,
    constraints: { box: decoderInputRanges(generative.decoder, lo, hi, box) },
    ...(incumbentLatent ? { incumbent: decodeLatent(generative.decoder, incumbentLatent, box) } : {}),
  });
  if (!byRanges.supported) return byRanges;
  const composed = latentModel(model, generative.decoder, box);
  try {
    const result = await certify(composed, {
      ...rest,
      timeLimitSeconds: half,
      constraints: { box: { lo, hi } },
      ...(incumbentLatent ? { incumbent: incumbentLatent } : {}),
    });
    if (!result.supported) return result;
    return smallerPriorBound(
      result,
      byRanges,
      (w) => decodeLatent(generative.decoder, w, box),
      options.tolerance ?? 1e-4,
      `the VAE decoder's images of its ${generative.decoder.latent} latent codes within ${k === undefined ? 'all training codes' : `class ${k}'s codes`}' mean ± ${sigmas} standard deviations, clipped to [${box.join(', ')}]; or every input value within its range over that set`,
    );
  } finally {
    // The composed model shares the model's layers: dispose only what it added.
    disposeLatentLayers(composed);
  }
}

/**
 * Each decoded input value's range over the latent box [lo, hi], by interval arithmetic through the
 * decoder's layers (float64, widened by a float32 allowance per layer) and clipped to the box: every
 * decoded image lies inside.
 */
export function decoderInputRanges(
  decoder: ReluDecoder,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  box: [number, number],
): { lo: Float64Array; hi: Float64Array } {
  let low = Float64Array.from(lo);
  let high = Float64Array.from(hi);
  const affine = (kernel: Float32Array, bias: Float32Array, units: number, relu: boolean) => {
    const nextLow = Float64Array.from(bias);
    const nextHigh = Float64Array.from(bias);
    const magnitude = Float64Array.from(bias, Math.abs);
    for (let i = 0; i < low.length; i++) {
      const l = low[i]!;
      const h = high[i]!;
      const row = i * units;
      for (let u = 0; u < units; u++) {
        const w = kernel[row + u]!;
        nextLow[u] = nextLow[u]! + Math.min(w * l, w * h);
        nextHigh[u] = nextHigh[u]! + Math.max(w * l, w * h);
        magnitude[u] = magnitude[u]! + Math.abs(w) * Math.max(Math.abs(l), Math.abs(h));
      }
    }
    for (let u = 0; u < units; u++) {
      // float32 evaluation differs from this float64 sum by far less than 1e-5 of the terms' magnitude.
      const slack = 1e-5 * (1 + magnitude[u]!);
      nextLow[u] = nextLow[u]! - slack;
      nextHigh[u] = nextHigh[u]! + slack;
      if (relu) {
        nextLow[u] = Math.max(0, nextLow[u]!);
        nextHigh[u] = Math.max(0, nextHigh[u]!);
      }
    }
    low = nextLow;
    high = nextHigh;
  };
  for (const layer of decoder.hidden) affine(layer.kernel, layer.bias, layer.units, true);
  affine(decoder.basis, decoder.offset, decoder.size, false);
  return {
    lo: low.map((v) => Math.min(box[1], Math.max(box[0], v))),
    hi: high.map((v) => Math.max(box[0], Math.min(box[1], v))),
  };
}
