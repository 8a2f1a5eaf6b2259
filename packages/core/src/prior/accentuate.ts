import type * as tfl from '@tensorflow/tfjs-layers';
import { evaluateObjective } from '../optimize/evaluateObjective.ts';
import type { ObjectiveSpec, OptimizationEvent, OptimizationResult, OptimizeOptions } from '../spec/types.ts';
import type { AffineDecoder } from './latentModel.ts';
import { type ClassSearchInfo, optimizeForClass } from './optimizeForClass.ts';
import type { PriorResult } from './optimizeInPrior.ts';
import type { Prior } from './prior.ts';
import type { SubspacePrior } from './subspacePrior.ts';

/** The ball searched around the anchor, as a fraction of the class ball's radius. */
export const accentuation = { radiusFraction: 0.5 };

export interface AccentuationAnchor {
  /** Row of the prior's training images (prior.realism.train). */
  index: number;
  input: Float32Array;
  /** The objective at the anchor image itself. */
  value: number;
}

export interface AccentuationInfo {
  anchorIndex: number;
  anchorValue: number;
  /** The anchor's projection onto the class subspace (class-subspace whitened coordinates). */
  anchorLatent: number[];
  /** Bound on ‖w − anchorLatent‖ (whitened units). */
  radius: number;
  /** False when no searched point beat the anchor, which is then the answer. */
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
 * The class subspace moved onto the anchor: x = anchor + (w − w0)ᵀ·basis, so latent 0 is the anchor
 * image itself (its detail outside the subspace kept), the ball ‖w − w0‖ ≤ `radius` and the class's
 * per-coordinate bounds recentred on w0 (widened to hold it, should the anchor lie outside them).
 */
export function anchoredSubspace(
  base: SubspacePrior,
  anchor: Float32Array,
  w0: Float32Array,
  radius: number,
): SubspacePrior {
  return {
    decoder: { ...base.decoder, offset: Float32Array.from(anchor) },
    lo: base.lo.map((v, i) => Math.min(0, v - w0[i]!)),
    hi: base.hi.map((v, i) => Math.max(0, v - w0[i]!)),
    radius,
  };
}

/**
 * Feature accentuation (Hamblin et al. 2024): the class search for `k` (optimizeForClass: search,
 * then the ray and the realism-penalised search) started from a real image and kept near it: the
 * anchor is the prior's training image of class k that scores highest, the set searched is the
 * class subspace moved onto it, within a fraction of the class ball's radius of its latent point,
 * and the ray shrinks towards the anchor rather than the class mean. The answer is never below the
 * anchor: when nothing found beats it, the anchor is the answer. `latent` is reported in the class
 * subspace's coordinates (w0 + the search's w).
 */
export async function* accentuate(
  model: tfl.LayersModel,
  options: OptimizeOptions,
  prior: Prior,
  k: number,
  box: [number, number],
): AsyncGenerator<OptimizationEvent, void, undefined> {
  const started = performance.now();
  const anchor = await accentuationAnchor(model, options.objective, prior, k);
  const base = prior.classSubspaces![k]!;
  const w0 = anchorLatent(base.decoder, anchor.input);
  const around = anchoredSubspace(base, anchor.input, w0, base.radius * accentuation.radiusFraction);
  for await (const event of optimizeForClass(model, options, prior, k, box, {
    base: around,
    radiusScales: [1],
  })) {
    if (event.type === 'step') {
      yield event;
      continue;
    }
    const found = event.result as PriorResult & { classSearch: ClassSearchInfo };
    const improved = found.value > anchor.value;
    const [atAnchor] = improved ? [] : await evaluateObjective(model, options.objective, [anchor.input]);
    const info: AccentuationInfo = {
      anchorIndex: anchor.index,
      anchorValue: anchor.value,
      anchorLatent: Array.from(w0),
      radius: around.radius,
      improved,
    };
    const result: OptimizationResult & { latent: Float32Array; accentuation: AccentuationInfo } = {
      ...found,
      ...(atAnchor
        ? { input: anchor.input, value: atAnchor.value, outputs: atAnchor.outputs, violation: 0 }
        : {}),
      latent: improved ? found.latent.map((w, i) => w + w0[i]!) : Float32Array.from(w0),
      seconds: (performance.now() - started) / 1000,
      accentuation: info,
    };
    yield { type: 'done', result };
  }
}
