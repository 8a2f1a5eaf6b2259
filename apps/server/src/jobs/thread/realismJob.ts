import {
  classTarget,
  type FrontierPoint,
  isRealistic,
  measureRealism,
  type OptimizeOptions,
  type Prior,
  realismBounds,
  realismChecks,
} from '@argmax/core';
import type { RealismMessage } from './realismMessages.ts';

/** Measures a run's answer against its dataset's prior (see the README's "Realism"). */
export function realismMessage(
  prior: Prior,
  dataset: string,
  input: Float32Array,
  objective: OptimizeOptions['objective'],
  frontier: FrontierPoint[] | null,
): RealismMessage {
  const target = classTarget(objective);
  const realism = measureRealism(input, prior.realism, prior.judges, prior.shape, target);
  const bounds = realismBounds(prior.realism);
  const { index } = realism.nearestTraining;
  const { values, size } = prior.realism.train;
  return {
    type: 'realism',
    dataset,
    targetClass: target ?? null,
    realism,
    nearestInput: values.slice(index * size, (index + 1) * size),
    bounds,
    checks: realismChecks(realism, bounds, prior.judges.length),
    realistic: isRealistic(realism, bounds, prior.judges.length),
    frontier,
  };
}
