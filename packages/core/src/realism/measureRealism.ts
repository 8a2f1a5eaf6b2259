import { type Judge, judgeLabels } from './judges.ts';
import { nearestExample } from './nearestExample.ts';
import { percentileOf } from './percentile.ts';
import { coordinatesOf, type RealismReference } from './realismReference.ts';

/** How a result compares with real data (see the README's "Realism" section). */
export interface Realism {
  /** The nearest training example: its row, class, distance (L2) and where that distance falls among held-out real examples' own nearest-training distances (percent). */
  nearestTraining: { index: number; label?: number; distance: number; percentile: number };
  /** Distance off the data's leading principal components, and its percentile among held-out real examples'. */
  manifold: { components: number; distance: number; percentile: number };
  /** Independent classifiers' labels, and how many agree with `target` when one was given. */
  judges: { name: string; label: number; probability: number }[];
  judgesAgreeing?: number;
}

/** A pure function of the input and the prior's reference and judges (no I/O). */
export function measureRealism(
  input: Float32Array,
  reference: RealismReference,
  judges: Judge[],
  shape: number[],
  target?: number,
): Realism {
  const count = reference.components.length / reference.mean.length;
  const at = coordinatesOf(reference.mean, reference.components, count, input);
  const nearest = nearestExample(reference.train, input, at);
  const labels = judgeLabels(judges, input, shape);
  return {
    nearestTraining: {
      index: nearest.index,
      ...(reference.trainLabels ? { label: reference.trainLabels[nearest.index]! } : {}),
      distance: nearest.distance,
      percentile: percentileOf(reference.heldOutNearest, nearest.distance),
    },
    manifold: {
      components: count,
      distance: at.residual,
      percentile: percentileOf(reference.heldOutResidual, at.residual),
    },
    judges: labels,
    ...(target !== undefined ? { judgesAgreeing: labels.filter((j) => j.label === target).length } : {}),
  };
}
