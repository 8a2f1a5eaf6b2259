import type * as tfl from '@tensorflow/tfjs-layers';
import { evaluateObjective } from '../optimize/evaluateObjective.ts';
import { measureRealism } from '../realism/measureRealism.ts';
import { isRealistic, realismBounds } from '../realism/realismCriteria.ts';
import type { OptimizationEvent, OptimizationResult, OptimizeOptions } from '../spec/types.ts';
import { decodeLatent } from './latentModel.ts';
import { optimizeInPrior, type PriorResult } from './optimizeInPrior.ts';
import type { Prior } from './prior.ts';
import { refineRealistic } from './realisticRefine.ts';
import type { SubspacePrior } from './subspacePrior.ts';

/**
 * The class search's radii, as multiples of the class's 95th-percentile norm (and of its per-
 * coordinate bounds), tried in turn while the answer stays realistic without shrinking (a larger
 * ball only helps then), the halvings of the ray's bisection, and whether the realism-penalised
 * search runs after it. Measured on Fashion-MNIST (bench/src/prior.ts, which also runs the ray
 * alone).
 */
export const classSearch = { radiusScales: [1.6, 2.5, 4], shrinkSteps: 8, refine: true };

export interface ClassSearchInfo {
  classIndex: number;
  /**
   * The multiple of the class's bounds searched (see classSearchSubspace), the ball that gives
   * (whitened units), and the ray's fraction t (0 when no point of the ray was realistic).
   */
  scale: number;
  radius: number;
  rayFraction: number;
  /** Whether the answer kept came from the realism-penalised search (refineRealistic) rather than the ray. */
  refined: boolean;
  realistic: boolean;
}

/**
 * The class subspace searched at `scale`: the ball and the per-coordinate bounds grown together (some
 * classes' answers meet the bounds before the ball).
 */
export function classSearchSubspace(base: SubspacePrior, scale: number): SubspacePrior {
  return {
    ...base,
    lo: base.lo.map((v) => v * scale),
    hi: base.hi.map((v) => v * scale),
    radius: base.radius * scale,
  };
}

/**
 * `optimize` for class `k` inside the class's own subspace (its mean and leading components, see
 * classSubspaces), then made realistic, since the norm bound alone does not say how far from every
 * real image an answer lands: the answer w is shrunk towards the class mean (t·w, the largest t of a
 * bisection whose image meets the realism criteria: nearest training image, manifold, judges), and a
 * realism-penalised search (refineRealistic) continues from w and from points of that ray; the
 * stronger realistic point is kept. While the answer needs no shrinking, a larger ball is searched.
 * Realism is cheap to measure (an exact nearest-neighbour search and three small forward passes), the
 * search is not: at most `radiusScales.length` searches. `base` replaces the class subspace (its
 * latent origin is where the ray shrinks to, see accentuate).
 */
export async function* optimizeForClass(
  model: tfl.LayersModel,
  options: OptimizeOptions,
  prior: Prior,
  k: number,
  box: [number, number],
  {
    base = prior.classSubspaces![k]!,
    radiusScales = classSearch.radiusScales,
  }: { base?: SubspacePrior; radiusScales?: number[] } = {},
): AsyncGenerator<OptimizationEvent, void, undefined> {
  const started = performance.now();
  const bounds = realismBounds(prior.realism);
  const realistic = (x: Float32Array) =>
    isRealistic(measureRealism(x, prior.realism, prior.judges, prior.shape, k), bounds, prior.judges.length);
  let best: { result: PriorResult; info: ClassSearchInfo } | undefined;
  let first: { result: PriorResult; info: ClassSearchInfo } | undefined;
  for (const scale of radiusScales) {
    const subspace = classSearchSubspace(base, scale);
    let found: PriorResult | undefined;
    for await (const event of optimizeInPrior(model, options, subspace, box)) {
      if (event.type === 'step') yield event;
      else found = event.result as PriorResult;
    }
    if (!found) return;
    first ??= {
      result: found,
      info: {
        classIndex: k,
        scale,
        radius: subspace.radius,
        rayFraction: 1,
        refined: false,
        realistic: false,
      },
    };
    const at = (t: number) => found.latent.map((w) => w * t);
    // The ray: t·w, the largest t of a bisection that is realistic (undefined: none is).
    let t: number | undefined = 1;
    if (!realistic(found.input)) {
      let lo = 0;
      let hi = 1;
      for (let i = 0; i < classSearch.shrinkSteps; i++) {
        const mid = (lo + hi) / 2;
        if (realistic(decodeLatent(subspace.decoder, at(mid), box))) lo = mid;
        else hi = mid;
      }
      // Realism is not monotone along the ray (a judge may change its mind): check where it ended.
      t = realistic(decodeLatent(subspace.decoder, at(lo), box)) ? lo : undefined;
    }
    const candidates: { latent: Float32Array; refined: boolean }[] = [];
    if (t !== undefined) candidates.push({ latent: at(t), refined: false });
    if (classSearch.refine && t !== 1) {
      // The ray gives up value along every coordinate at once; the penalised search moves only
      // where realism asks it to, from the answer and from points along the ray.
      const starts = [found.latent, ...(t ? [at(t)] : []), at(0.6), at(0.3)];
      for (const refined of refineRealistic(model, options.objective, prior, k, subspace, box, starts))
        if (refined) candidates.push({ latent: refined.latent, refined: true });
    }
    for (const { latent, refined } of candidates) {
      const input = decodeLatent(subspace.decoder, latent, box);
      const [scored] = await evaluateObjective(model, options.objective, [input]);
      const result: PriorResult = { ...found, input, latent, value: scored!.value, outputs: scored!.outputs };
      if (!best || result.value > best.result.value)
        best = {
          result,
          info: {
            classIndex: k,
            scale,
            radius: subspace.radius,
            rayFraction: t ?? 0,
            refined,
            realistic: true,
          },
        };
    }
    if (t !== 1) break;
  }
  const chosen = best ?? first!;
  const result: OptimizationResult & { classSearch: ClassSearchInfo } = {
    ...chosen.result,
    seconds: (performance.now() - started) / 1000,
    classSearch: chosen.info,
  };
  yield { type: 'done', result };
}
