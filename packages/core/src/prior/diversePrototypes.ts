import type * as tfl from '@tensorflow/tfjs-layers';
import { quantile } from '../realism/percentile.ts';
import type { OptimizeOptions } from '../spec/types.ts';
import { classSearch, classSearchSubspace } from './optimizeForClass.ts';
import { optimizeInPrior, type PriorResult } from './optimizeInPrior.ts';
import type { Prior } from './prior.ts';
import { type RefinedPoint, refineRealistic } from './realisticRefine.ts';

/**
 * Up to `count` different realistic answers for class `k` from one search in the class subspace (at
 * the class search's first scale): its best starts that lie at least a typical distance between real
 * images apart (the held-out median nearest-training distance; the best ones fill up when too few
 * do), then refined together (refineRealistic), each from itself and from a point of its ray, with a
 * penalty on pairs that come nearer than that.
 * Starts that end with no realistic point are left out; the rest come strongest first.
 */
export async function diversePrototypes(
  model: tfl.LayersModel,
  options: OptimizeOptions,
  prior: Prior,
  k: number,
  box: [number, number],
  count: number,
): Promise<RefinedPoint[]> {
  const subspace = classSearchSubspace(prior.classSubspaces![k]!, classSearch.radiusScales[0]!);
  let found: PriorResult | undefined;
  for await (const event of optimizeInPrior(model, { ...options, returnAllStarts: true }, subspace, box))
    if (event.type === 'done') found = event.result as PriorResult;
  if (!found) return [];
  const ranked = [...(found.starts ?? [{ ...found, latent: found.latent }])].sort(
    (a, b) => b.value - a.value,
  );
  const apart = quantile(prior.realism.heldOutNearest, 0.05);
  const picked: typeof ranked = [];
  for (const start of ranked) {
    if (picked.length < count && picked.every((p) => distance(p.input, start.input) >= apart))
      picked.push(start);
  }
  for (const start of ranked) if (picked.length < count && !picked.includes(start)) picked.push(start);
  // Each start refined from itself and from a point on its ray towards the class mean (nearer to
  // realistic); the better of the two is its prototype.
  const refined = refineRealistic(
    model,
    options.objective,
    prior,
    k,
    subspace,
    box,
    picked.flatMap((s) => [s.latent, s.latent.map((w) => w * 0.6)]),
    { distinct: true },
  );
  const points = picked.map((_, i) => {
    const [own, ray] = [refined[2 * i], refined[2 * i + 1]];
    return own && (!ray || own.value >= ray.value) ? own : ray;
  });
  return points.filter((p): p is RefinedPoint => p !== undefined).sort((a, b) => b.value - a.value);
}

function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum);
}
