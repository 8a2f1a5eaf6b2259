import { describe, expect, it } from 'vitest';
import { preActivations, singleLayerValue } from '../lp/singleLayerForm.ts';
import { seededRandom } from '../methods/random.ts';
import { concaveCases, type ExactObjective } from '../objectives/exactObjective.ts';
import { randomGraph } from '../testing/testNetworks.ts';
import { compileCertifiedObjective } from './certifiedObjective.ts';
import { hiddenLayerForm } from './hiddenLayerForm.ts';
import { subsetProblem } from './subsetDual.ts';
import { solveLeafLp } from './subsetLeafLp.ts';

describe('subset search leaves', () => {
  it('are solved exactly: the bound is sound on a grid and met by the LP optimum (60 leaves)', async () => {
    const random = seededRandom(11);
    let solved = 0;
    for (let trial = 0; trial < 60; trial++) {
      const n = 2;
      const graph = randomGraph({ inputs: n, hidden: [8], outputs: 3, seed: 500 + trial });
      const objective = compileCertifiedObjective(graph, {
        kind: 'logit',
        index: trial % 3,
      }) as ExactObjective;
      const form = hiddenLayerForm(graph, concaveCases(graph, objective)[0]!);
      if (typeof form === 'string') throw new Error(form);
      const lo = Float64Array.from({ length: n }, () => random() * 2 - 1.5);
      const hi = lo.map((l) => l + 0.5 + random() * 1.5);
      const problem = subsetProblem(form, lo, hi);
      const phase = Int8Array.from(problem.positive, () => (random() < 0.5 ? 1 : -1));
      const leaf = await solveLeafLp(problem, { phase, groups: [], theta: new Float64Array(0) }, 5);
      const inLeaf = (x: ArrayLike<number>, slack: number) => {
        const z = preActivations(form, x);
        return Array.from(problem.positive).every((j, p) =>
          phase[p]! > 0 ? z[j]! >= -slack : z[j]! <= slack,
        );
      };
      let sampled = Number.NEGATIVE_INFINITY;
      for (let a = 0; a <= 100; a++) {
        for (let b = 0; b <= 100; b++) {
          const x = [lo[0]! + ((hi[0]! - lo[0]!) * a) / 100, lo[1]! + ((hi[1]! - lo[1]!) * b) / 100];
          if (inLeaf(x, 0)) sampled = Math.max(sampled, singleLayerValue(form, x));
        }
      }
      if (!leaf) {
        // HiGHS found the leaf empty: so must the grid be.
        expect(sampled, `trial ${trial}`).toBe(Number.NEGATIVE_INFINITY);
        continue;
      }
      solved++;
      const scale = 1 + Math.abs(leaf.bound);
      expect(leaf.bound, `trial ${trial}`).toBeGreaterThanOrEqual(sampled - 1e-9 * scale);
      expect(inLeaf(leaf.x, 1e-7)).toBe(true);
      expect(leaf.bound - singleLayerValue(form, leaf.x), `trial ${trial}`).toBeLessThan(1e-6 * scale);
    }
    expect(solved).toBeGreaterThan(20);
  });
});
