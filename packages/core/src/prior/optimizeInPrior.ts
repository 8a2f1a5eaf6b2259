import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors.ts';
import { optimize } from '../optimize/optimize.ts';
import type { OptimizationEvent, OptimizationResult, OptimizeOptions, StartResult } from '../spec/types.ts';
import { decodeLatent, disposeLatentLayers, latentModel } from './latentModel.ts';
import type { SubspacePrior } from './subspacePrior.ts';

/** Starts per run inside the subspace, unless asked otherwise. */
export const priorRestarts = 16;

export interface PriorResult extends OptimizationResult {
  /** The whitened subspace coordinates the answer was found at (`input` is their decoded image; `violation` is theirs, against the prior's bounds). */
  latent: Float32Array;
  /** Every start's answer, decoded, with its latent point. */
  starts?: (StartResult & { latent: Float32Array })[];
}

/**
 * `optimize` inside the data subspace: the model preceded by the subspace decoder (one ReLU network
 * from latent coordinates w to outputs, see latentModel), searched over w in the prior's per-
 * coordinate bounds ∩ the ball ‖w‖ ≤ radius, which the feasible set projects onto exactly. Every
 * method, the exact polish and the quantisation-free result work unchanged; events carry decoded
 * inputs. Input constraints of `options` (box, balls, masks) are not supported with a prior.
 */
export async function* optimizeInPrior(
  model: tfl.LayersModel,
  options: OptimizeOptions,
  subspace: SubspacePrior,
  box: [number, number],
): AsyncGenerator<OptimizationEvent, void, undefined> {
  const { constraints } = options;
  const extra = Object.keys(constraints ?? {}).filter((key) => key !== 'box');
  if (extra.length > 0)
    throw new InvalidArgumentError('constraints', extra.join(', '), 'only a box together with a prior');
  const composed = latentModel(model, subspace.decoder, box);
  const decode = (w: Float32Array) => decodeLatent(subspace.decoder, w, box);
  try {
    for await (const event of optimize(composed, {
      ...options,
      // A 30-dimensional ball ∩ box: a few starts find what 128 do (bench/src/prior.ts), and the exact
      // polish needs linear constraints (the ball is not), so it is not asked for.
      restarts: options.restarts ?? priorRestarts,
      polish: false,
      constraints: {
        box: { lo: subspace.lo, hi: subspace.hi },
        l2: { reference: new Float32Array(subspace.decoder.latent), epsilon: subspace.radius },
      },
    })) {
      if (event.type === 'step') {
        yield event.input ? { ...event, input: decode(event.input) } : event;
        continue;
      }
      const { starts, ...result } = event.result;
      const decoded: PriorResult = {
        ...result,
        input: decode(result.input),
        shape: (model.inputs[0]!.shape as (number | null)[]).slice(1).map((d) => d ?? 1),
        latent: result.input,
        ...(starts ? { starts: starts.map((s) => ({ ...s, input: decode(s.input), latent: s.input })) } : {}),
      };
      yield { type: 'done', result: decoded };
    }
  } finally {
    // The composed model shares the model's layers: dispose only what it added.
    disposeLatentLayers(composed);
  }
}
