import {
  classSearch,
  classTarget,
  type OptimizationEvent,
  type OptimizeOptions,
  type Prior,
} from '@argmax/core';

/**
 * A class search in a prior runs up to `classSearch.radiusScales.length` searches, each numbering its steps
 * from 0; a run's steps are one sequence (stored by number, replayed in order), so each search continues
 * where the last ended, out of the most steps all `searches` could take.
 */
export async function* numberedSteps(
  events: AsyncIterable<OptimizationEvent>,
  searches: number,
): AsyncGenerator<OptimizationEvent, void, undefined> {
  let offset = 0;
  let last = -1;
  for await (const event of events) {
    if (event.type !== 'step') {
      yield event;
      continue;
    }
    if (event.step + offset <= last) offset = last + 1;
    last = event.step + offset;
    yield { ...event, step: last, steps: event.steps * searches };
  }
}

/** How many searches `optimizeWithPrior` may run: several for a class subspace, else one. */
export function searchesOf(prior: Prior, objective: OptimizeOptions['objective']): number {
  const k = classTarget(objective);
  return k !== undefined && prior.classSubspaces?.[k] ? classSearch.radiusScales.length : 1;
}
