import type * as tfl from '@tensorflow/tfjs-layers';
import type { OptimizeOptions } from '../spec/types.ts';
import { optimizeForClass } from './optimizeForClass.ts';
import { optimizeInGenerative } from './optimizeInGenerative.ts';
import { optimizeInPrior } from './optimizeInPrior.ts';
import type { Prior, PriorMethod } from './prior.ts';

/**
 * The optimisation events with a prior: with `method` 'vae', through the generative prior's latent
 * code (optimizeInGenerative); else, for a class target (logit, prob, logprob, margin of class K),
 * inside that class's own subspace, shrunk until realistic (optimizeForClass), when the prior has class
 * subspaces; else inside the data subspace.
 */
export function optimizeWithPrior(
  model: tfl.LayersModel,
  options: OptimizeOptions,
  prior: Prior,
  box: [number, number],
  method: PriorMethod = 'subspace',
) {
  const k = classTarget(options.objective);
  if (method === 'vae') return optimizeInGenerative(model, options, prior, k, box);
  return k !== undefined && prior.classSubspaces?.[k]
    ? optimizeForClass(model, options, prior, k, box)
    : optimizeInPrior(model, options, prior.subspace, box);
}

/** The class a target is about (logit, prob, logprob or margin of class K); undefined for units and channels. */
export function classTarget(target: OptimizeOptions['objective']): number | undefined {
  const classKinds = ['logit', 'prob', 'logprob', 'margin'];
  return classKinds.includes(target.kind) && 'index' in target ? target.index : undefined;
}
