import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors.ts';
import { evaluateObjective } from '../optimize/evaluateObjective.ts';
import { optimize } from '../optimize/optimize.ts';
import { measureRealism } from '../realism/measureRealism.ts';
import { isRealistic, realismBounds } from '../realism/realismCriteria.ts';
import type { OptimizationEvent, OptimizationResult, OptimizeOptions } from '../spec/types.ts';
import { type GenerativePrior, generativeLatentBox } from './generativePrior.ts';
import { decodeLatent, disposeLatentLayers, latentModel } from './latentModel.ts';
import { type PriorResult, priorRestarts } from './optimizeInPrior.ts';
import type { Prior } from './prior.ts';

/**
 * The latent box's half-width in standard deviations of the codes, the halvings of the ray's
 * bisection towards its centre (the class's mean code), and how many of the strongest answers get a
 * ray. Measured on Fashion-MNIST (seed MLP, classes 0, 5, 8): 2.5 σ gave answers realistic with room
 * to spare (0.37–0.40 of the box maximum), 4 σ 0.41 on average, 6 σ no more (0.41; the answers reach
 * the 99th percentile of the nearest-training distance and need the ray).
 */
export const generativeSearch = { sigmas: 4, shrinkSteps: 8, rays: 4 };

export interface GenerativeSearchInfo {
  /** The class whose codes made the latent box (undefined: all codes). */
  classIndex?: number;
  /** The latent box: the codes' mean ± sigmas standard deviations. */
  sigmas: number;
  lo: number[];
  hi: number[];
  /** The ray's fraction t of the kept answer (1: the search's own point; 0 no realistic point was found on a ray). */
  rayFraction: number;
  /** Whether the kept answer meets every realism criterion (class targets only; false otherwise). */
  realistic: boolean;
}

/**
 * `optimize` through the generative prior's latent code: the model preceded by the VAE's decoder
 * and the clip to the box (one ReLU network, see latentModel) searched over the latent box (a box
 * only, so the exact polish runs as on any ReLU MLP over a box). For a class target `k` the box is
 * class k's codes' and the answer is made realistic: of every start's answer, the strongest that
 * meets the realism criteria; if none does, each answer is shrunk towards the class's mean code
 * (centre + t·(z − centre), the largest realistic t of a bisection) and the strongest such point
 * is kept. Events carry decoded inputs.
 */
export async function* optimizeInGenerative(
  model: tfl.LayersModel,
  options: OptimizeOptions,
  prior: Prior,
  k: number | undefined,
  box: [number, number],
): AsyncGenerator<OptimizationEvent, void, undefined> {
  const generative = requireGenerative(prior);
  const extra = Object.keys(options.constraints ?? {}).filter((key) => key !== 'box');
  if (extra.length > 0)
    throw new InvalidArgumentError('constraints', extra.join(', '), 'only a box together with a prior');
  const started = performance.now();
  const { sigmas } = generativeSearch;
  const latentBox = generativeLatentBox(generative, k, sigmas);
  const composed = latentModel(model, generative.decoder, box);
  const decode = (z: ArrayLike<number>) => decodeLatent(generative.decoder, z, box);
  let found: OptimizationResult | undefined;
  try {
    for await (const event of optimize(composed, {
      ...options,
      restarts: options.restarts ?? priorRestarts,
      returnAllStarts: true,
      constraints: { box: { lo: latentBox.lo, hi: latentBox.hi } },
    })) {
      if (event.type === 'step') yield event.input ? { ...event, input: decode(event.input) } : event;
      else found = event.result;
    }
  } finally {
    // The composed model shares the model's layers: dispose only what it added.
    disposeLatentLayers(composed);
  }
  if (!found) return;
  // The polished best first, then every start's answer, strongest first.
  const answers = [
    found.input,
    ...[...(found.starts ?? [])].sort((a, b) => b.value - a.value).map((s) => s.input),
  ];
  const info = (rayFraction: number, realistic: boolean): GenerativeSearchInfo => ({
    ...(k !== undefined ? { classIndex: k } : {}),
    sigmas,
    lo: Array.from(latentBox.lo),
    hi: Array.from(latentBox.hi),
    rayFraction,
    realistic,
  });
  let kept: { latent: Float32Array; info: GenerativeSearchInfo } = {
    latent: found.input,
    info: info(1, false),
  };
  if (k !== undefined) {
    const chosen = await realisticAnswer(model, options, prior, k, answers, latentBox.centre, decode);
    if (chosen) kept = { latent: chosen.latent, info: info(chosen.t, true) };
  }
  const input = decode(kept.latent);
  const [scored] = await evaluateObjective(model, options.objective, [input]);
  const { starts, ...rest } = found;
  const result: PriorResult & { generativeSearch: GenerativeSearchInfo } = {
    ...rest,
    input,
    latent: kept.latent,
    value: scored!.value,
    outputs: scored!.outputs,
    shape: (model.inputs[0]!.shape as (number | null)[]).slice(1).map((d) => d ?? 1),
    seconds: (performance.now() - started) / 1000,
    generativeSearch: kept.info,
  };
  yield { type: 'done', result };
}

/**
 * The strongest realistic point among the answers; else the strongest realistic point of the rays
 * from `centre` through each answer (the largest realistic t of a bisection, checked where it ends:
 * realism is not monotone along a ray). Undefined when none is realistic.
 */
async function realisticAnswer(
  model: tfl.LayersModel,
  options: OptimizeOptions,
  prior: Prior,
  k: number,
  answers: Float32Array[],
  centre: Float32Array,
  decode: (z: ArrayLike<number>) => Float32Array,
): Promise<{ latent: Float32Array; t: number } | undefined> {
  const bounds = realismBounds(prior.realism);
  const realistic = (z: Float32Array) =>
    isRealistic(
      measureRealism(decode(z), prior.realism, prior.judges, prior.shape, k),
      bounds,
      prior.judges.length,
    );
  // answers are strongest first (after the polished best): the first realistic one wins.
  for (const z of answers) if (realistic(z)) return { latent: z, t: 1 };
  const points: { latent: Float32Array; t: number }[] = [];
  for (const z of answers.slice(0, generativeSearch.rays)) {
    const at = (t: number) => z.map((v, d) => centre[d]! + t * (v - centre[d]!));
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < generativeSearch.shrinkSteps; i++) {
      const mid = (lo + hi) / 2;
      if (realistic(at(mid))) lo = mid;
      else hi = mid;
    }
    if (realistic(at(lo))) points.push({ latent: at(lo), t: lo });
  }
  if (points.length === 0) return undefined;
  const scored = await evaluateObjective(
    model,
    options.objective,
    points.map((p) => decode(p.latent)),
  );
  let best = 0;
  for (let i = 1; i < points.length; i++) if (scored[i]!.value > scored[best]!.value) best = i;
  return points[best];
}

/** The prior's generative part, or a bad argument naming what is missing. */
export function requireGenerative(prior: Prior): GenerativePrior {
  if (!prior.generative)
    throw new InvalidArgumentError(
      'prior',
      prior.name,
      'a prior with its generative part (datasetPrior with generative)',
    );
  return prior.generative;
}
