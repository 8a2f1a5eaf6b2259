import type * as tfl from '@tensorflow/tfjs-layers';
import { evaluateObjective } from '../optimize/evaluateObjective.ts';
import type { ObjectiveSpec, OptimizationEvent, OptimizationResult, OptimizeOptions } from '../spec/types.ts';
import { type AffineDecoder, decodeLatent } from './latentModel.ts';
import { type ClassSearchInfo, optimizeForClass } from './optimizeForClass.ts';
import type { PriorResult } from './optimizeInPrior.ts';
import type { Prior } from './prior.ts';
import type { SubspacePrior } from './subspacePrior.ts';

/** The ball searched around the anchor, as a fraction of the class ball's radius. */
export const accentuation = { radiusFraction: 0.5 };

export interface AccentuationAnchor {
  /** Row of the prior's training images (prior.realism.train); null for the user's own reference image. */
  index: number | null;
  input: Float32Array;
  /** The objective at the anchor image itself. */
  value: number;
}

export interface AccentuationInfo {
  /** The anchor's training row; null when the user gave the anchor (a reference image). */
  anchorIndex: number | null;
  anchorValue: number;
  /** The anchor's projection onto the class subspace (class-subspace whitened coordinates): the search's centre. */
  anchorLatent: number[];
  /** The objective at that projection (decoded, clipped). */
  centreValue: number;
  /** Bound on ‖w − anchorLatent‖ (whitened units). */
  radius: number;
  /** False when no searched point beat the centre, which is then the answer. */
  improved: boolean;
}

/** The training image of class `k` the objective scores highest among those the prior holds. */
export async function accentuationAnchor(
  model: tfl.LayersModel,
  objective: ObjectiveSpec,
  prior: Prior,
  k: number,
): Promise<AccentuationAnchor> {
  const { train, trainLabels } = prior.realism;
  if (!trainLabels) throw new Error('accentuationAnchor: the prior has no training labels');
  const rows: number[] = [];
  for (let i = 0; i < train.count; i++) if (trainLabels[i] === k) rows.push(i);
  if (rows.length === 0) throw new Error(`accentuationAnchor: the prior holds no image of class ${k}`);
  const row = (i: number) => train.values.slice(i * train.size, (i + 1) * train.size);
  const scored = await evaluateObjective(model, objective, rows.map(row));
  let best = 0;
  for (let i = 1; i < scored.length; i++) if (scored[i]!.value > scored[best]!.value) best = i;
  return { index: rows[best]!, input: row(rows[best]!), value: scored[best]!.value };
}

/** A reference image given by the user as the anchor, with the objective at it. */
export async function referenceAnchor(
  model: tfl.LayersModel,
  objective: ObjectiveSpec,
  prior: Prior,
  reference: ArrayLike<number>,
): Promise<AccentuationAnchor> {
  const size = prior.shape.reduce((a, b) => a * b, 1);
  if (reference.length !== size)
    throw new Error(
      `accentuate: the reference has ${reference.length} values; the prior's images have ${size}`,
    );
  const input = Float32Array.from(reference);
  const [scored] = await evaluateObjective(model, objective, [input]);
  return { index: null, input, value: scored!.value };
}

/** x's whitened coordinates in a subspace: the basis rows are orthogonal (components scaled by σ). */
export function anchorLatent(decoder: AffineDecoder, x: ArrayLike<number>): Float32Array {
  const w = new Float32Array(decoder.latent);
  for (let i = 0; i < decoder.latent; i++) {
    let dot = 0;
    let norm = 0;
    for (let j = 0; j < decoder.size; j++) {
      const b = decoder.basis[i * decoder.size + j]!;
      dot += (x[j]! - decoder.offset[j]!) * b;
      norm += b * b;
    }
    w[i] = dot / norm;
  }
  return w;
}

/**
 * The class subspace moved onto the anchor's projection w0: x = clip(mean + wᵀ·basis) at w = w0 + v,
 * searched over v, so v = 0 is the anchor's projection, the ball ‖v‖ ≤ `radius` and the class's
 * per-coordinate bounds recentred on w0 (widened to hold it, should the anchor lie outside them).
 * The projection, not the anchor itself: the anchor's detail off the class subspace (the highest-
 * scoring images are unusual ones) kept the answers off the data manifold (2 of 3 Fashion-MNIST
 * classes unrealistic).
 */
export function anchoredSubspace(base: SubspacePrior, w0: Float32Array, radius: number): SubspacePrior {
  const { basis, size } = base.decoder;
  const shift = (j: number) => w0.reduce((sum, w, i) => sum + w * basis[i * size + j]!, 0);
  return {
    decoder: { ...base.decoder, offset: Float32Array.from(base.decoder.offset, (o, j) => o + shift(j)) },
    lo: base.lo.map((v, i) => Math.min(0, v - w0[i]!)),
    hi: base.hi.map((v, i) => Math.max(0, v - w0[i]!)),
    radius,
  };
}

/**
 * Feature accentuation (Hamblin et al. 2024): the class search for `k` (optimizeForClass: search,
 * then the ray and the realism-penalised search) started from a real image and kept near it: the
 * anchor is the user's `reference` image when given, else the prior's training image of class k
 * that scores highest; the set searched is the
 * class subspace moved onto it, within a fraction of the class ball's radius of its latent point,
 * and the ray shrinks towards the anchor's projection rather than the class mean. The answer is never
 * below that projection, the search's centre: when nothing found beats it, it is the answer. `latent` is reported in the class
 * subspace's coordinates (w0 + the search's w).
 */
export async function* accentuate(
  model: tfl.LayersModel,
  options: OptimizeOptions,
  prior: Prior,
  k: number,
  box: [number, number],
  reference?: ArrayLike<number>,
): AsyncGenerator<OptimizationEvent, void, undefined> {
  const started = performance.now();
  const anchor = reference
    ? await referenceAnchor(model, options.objective, prior, reference)
    : await accentuationAnchor(model, options.objective, prior, k);
  const base = prior.classSubspaces![k]!;
  const w0 = anchorLatent(base.decoder, anchor.input);
  const around = anchoredSubspace(base, w0, base.radius * accentuation.radiusFraction);
  const centre = decodeLatent(around.decoder, new Float32Array(w0.length), box);
  const [atCentre] = await evaluateObjective(model, options.objective, [centre]);
  for await (const event of optimizeForClass(model, options, prior, k, box, {
    base: around,
    radiusScales: [1],
  })) {
    if (event.type === 'step') {
      yield event;
      continue;
    }
    const found = event.result as PriorResult & { classSearch: ClassSearchInfo };
    const improved = found.value > atCentre!.value;
    const info: AccentuationInfo = {
      anchorIndex: anchor.index,
      anchorValue: anchor.value,
      anchorLatent: Array.from(w0),
      centreValue: atCentre!.value,
      radius: around.radius,
      improved,
    };
    const result: OptimizationResult & { latent: Float32Array; accentuation: AccentuationInfo } = {
      ...found,
      ...(improved
        ? {}
        : { input: centre, value: atCentre!.value, outputs: atCentre!.outputs, violation: 0 }),
      latent: improved ? found.latent.map((w, i) => w + w0[i]!) : Float32Array.from(w0),
      seconds: (performance.now() - started) / 1000,
      accentuation: info,
    };
    yield { type: 'done', result };
  }
}
