import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { singleLayerForm } from '../lp/singleLayerForm.ts';
import { extractDenseRelu } from '../network/denseReluChain.ts';
import { compileExactObjective, evaluateExactObjective } from '../objectives/exactObjective.ts';
import { linearDomainFor } from '../testing/feasibleSets.ts';
import { randomReluMlp } from '../testing/randomReluMlp.ts';
import { maximizeExactly } from './exactMilp.ts';
import { singleLayerSearch } from './singleLayerSearch.ts';

beforeAll(async () => {
  await initBackend('cpu', () => {});
});

const inputs = 8;

describe('singleLayerSearch on one-ReLU-layer MLPs (exact optimum by MILP)', () => {
  it('climbs from the box centre to within 0.1 % of the MILP optimum in most seeds, never above it', async () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const gaps: number[] = [];
    for (const seed of seeds) {
      const model = randomReluMlp({ inputs, hidden: [32], classes: 5, seed });
      const extraction = extractDenseRelu(model);
      if ('unsupported' in extraction) throw new Error(extraction.unsupported);
      const { network } = extraction;
      const objective = compileExactObjective(network, { kind: 'logit', index: 3 });
      const domain = linearDomainFor({}, inputs);
      if ('unsupported' in objective || 'unsupported' in domain) throw new Error('unsupported');
      const exact = await maximizeExactly(network, objective, domain, { timeLimitSeconds: 60 });
      expect(exact.status).toBe('optimal');
      const evaluate = (x: Float64Array) => evaluateExactObjective(network, objective, x);
      const start = new Float64Array(inputs).fill(0.5);
      const found = await singleLayerSearch(
        singleLayerForm(network, objective)!,
        domain,
        evaluate,
        { x: start, feasible: true },
        () => Number.POSITIVE_INFINITY,
        undefined,
      );
      if (!found) throw new Error('no point found');
      expect(found.value).toBeCloseTo(evaluate(found.x), 12);
      expect(found.value).toBeGreaterThanOrEqual(evaluate(start));
      expect(found.value).toBeLessThanOrEqual(exact.value + 1e-6);
      for (const v of found.x) expect(v >= 0 && v <= 1).toBe(true);
      gaps.push((exact.value - found.value) / Math.abs(exact.value));
      model.dispose();
    }
    const reached = gaps.filter((gap) => gap <= 1e-3).length;
    expect(reached, `relative gaps ${gaps.map((g) => g.toExponential(1)).join(', ')}`).toBeGreaterThanOrEqual(
      seeds.length - 1,
    );
  });
});
