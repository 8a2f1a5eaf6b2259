import { describe, expect, it } from 'vitest';
import { singleLayerValue } from '../lp/singleLayerForm.ts';
import { seededRandom } from '../methods/random.ts';
import { intervalBounds } from '../network/intervalBounds.ts';
import { forwardLayerGraph } from '../network/layerGraph.ts';
import { concaveCases, type ExactObjective } from '../objectives/exactObjective.ts';
import type { ConstraintSpec } from '../spec/types.ts';
import { feasibleSetFor } from '../testing/feasibleSets.ts';
import { randomGraph } from '../testing/testNetworks.ts';
import { compileCertifiedObjective } from './certifiedObjective.ts';
import { hiddenLayerForm } from './hiddenLayerForm.ts';
import { crownIntermediateBounds } from './linearRelaxation.ts';
import { phaseThenSubsetSearch } from './phaseThenSubsetSearch.ts';
import { certifyRegion } from './region.ts';

function setup(inputs: number, hidden: number, seed: number, constraints: ConstraintSpec) {
  const graph = randomGraph({ inputs, hidden: [hidden], outputs: 3, seed });
  const objective = compileCertifiedObjective(graph, { kind: 'logit', index: 0 }) as ExactObjective;
  const c = concaveCases(graph, objective)[0]!;
  const form = hiddenLayerForm(graph, c);
  if (typeof form === 'string') throw new Error(form);
  const region = certifyRegion(feasibleSetFor(constraints, inputs));
  const bounds = intervalBounds(graph, region.lo, region.hi);
  crownIntermediateBounds(graph, bounds);
  return { graph, c, form, region, bounds };
}

async function search(problem: ReturnType<typeof setup>, seconds: number) {
  const { graph, c, form, region, bounds } = problem;
  let best = Number.NEGATIVE_INFINITY;
  const result = await phaseThenSubsetSearch({
    graph,
    region,
    objective: c,
    rootBounds: bounds,
    form,
    incumbent: best,
    consider: (x) => {
      const v = singleLayerValue(form, x);
      best = Math.max(best, v);
      return v;
    },
    deadline: performance.now() + seconds * 1000,
    tolerance: 1e-4,
    shouldStop: () => false,
  });
  return { ...result, best };
}

describe('phase search, then subset search', () => {
  it('a small region the phase search proves quickly never reaches the subset search', async () => {
    const problem = setup(3, 10, 1, { linf: { reference: [0.5, 0.5, 0.5], epsilon: 0.1 } });
    const result = await search(problem, 10);
    expect(result.searches).toEqual(['phase']);
    expect(result.bound - result.best).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(result.best)));
  });

  it('where the phase search stalls the subset search takes over, and the bound stays sound', async () => {
    const problem = setup(40, 48, 7, {});
    const result = await search(problem, 3);
    expect(result.searches).toEqual(['phase', 'subsets']);
    // Never below any input's value: random inputs and box vertices.
    const random = seededRandom(9);
    let sampled = result.best;
    for (let k = 0; k < 3000; k++) {
      const x = Float64Array.from({ length: 40 }, () => (k % 2 ? random() : Math.round(random())));
      sampled = Math.max(sampled, forwardLayerGraph(problem.graph, x).at(-1)![0]!);
    }
    expect(result.bound).toBeGreaterThanOrEqual(sampled);
  });
});
