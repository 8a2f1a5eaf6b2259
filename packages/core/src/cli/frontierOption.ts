import { InvalidArgumentError } from '../errors.ts';
import { classTarget } from '../prior/optimizeWithPrior.ts';
import type { Prior } from '../prior/prior.ts';
import type { FrontierPoint } from '../prior/realismFrontier.ts';
import type { ObjectiveSpec } from '../spec/types.ts';

/** `--frontier`: the class the target names, when the prior has its subspace; else a bad argument. */
export function frontierClass(prior: Prior, target: ObjectiveSpec): number {
  const k = classTarget(target);
  if (k === undefined || !prior.classSubspaces?.[k])
    throw new InvalidArgumentError(
      '--frontier',
      true,
      'a class target (logit:K, prob:K, logprob:K or margin:K) and a prior with class subspaces',
    );
  return k;
}

/** RESULT.json's `frontier`: each point's t, value (and its fraction of `boxMax` when given), image and realism. */
export function frontierRecord(points: FrontierPoint[], boxMax?: number) {
  return points.map(({ t, value, input, realism, realistic }) => ({
    t,
    value,
    ...(boxMax !== undefined ? { fraction: value / boxMax } : {}),
    input: Array.from(input),
    realism,
    realistic,
  }));
}
