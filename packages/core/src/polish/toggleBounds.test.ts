import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { preActivations, singleLayerForm, singleLayerLps } from '../lp/singleLayerForm.ts';
import { solveLp } from '../lp/solveLp.ts';
import { extractDenseRelu } from '../network/denseReluChain.ts';
import { compileExactObjective } from '../objectives/exactObjective.ts';
import type { ConstraintSpec } from '../spec/types.ts';
import { linearDomainFor } from '../testing/feasibleSets.ts';
import { randomReluMlp } from '../testing/randomReluMlp.ts';
import { toggleBounds } from './toggleBounds.ts';

beforeAll(async () => {
  await initBackend('cpu', () => {});
});

const inputs = 10;

describe('toggleBounds', () => {
  for (const [name, constraints] of [
    ['the box', {}],
    [
      'an L∞ ball and a linear row',
      {
        linf: { reference: Array.from({ length: inputs }, (_, i) => (i % 4) / 4), epsilon: 0.3 },
        linear: [{ weights: 'mean', sense: '<=', bound: 0.4 }],
      },
    ],
  ] as [string, ConstraintSpec][]) {
    it(`gives a finite upper bound on the value of every toggled LP over ${name}`, async () => {
      const model = randomReluMlp({ inputs, hidden: [16], classes: 4, seed: 5 });
      const extraction = extractDenseRelu(model);
      if ('unsupported' in extraction) throw new Error(extraction.unsupported);
      const objective = compileExactObjective(extraction.network, { kind: 'logit', index: 1 });
      const domain = linearDomainFor(constraints, inputs);
      if ('unsupported' in objective || 'unsupported' in domain) throw new Error('unsupported');
      const form = singleLayerForm(extraction.network, objective)!;
      const lpFor = singleLayerLps(form, domain);
      const z = preActivations(
        form,
        Float64Array.from(domain.lo, (lo, i) => (lo + domain.hi[i]!) / 2),
      );
      const counted = Uint8Array.from(z, (v, j) => (form.c[j]! > 0 && v > 0 ? 1 : 0));
      const base = lpFor((j) => counted[j] === 1);
      const solution = await solveLp(base);
      expect(solution.status).toBe('optimal');
      const bound = toggleBounds(form, base, solution, counted)!;
      let checked = 0;
      for (let j = 0; j < form.units; j++) {
        if (!(form.c[j]! > 0)) {
          expect(bound([j])).toBe(Number.NEGATIVE_INFINITY);
          continue;
        }
        const toggled = await solveLp(lpFor((i) => (i === j ? counted[i] !== 1 : counted[i] === 1)));
        expect(toggled.status).toBe('optimal');
        expect(Number.isFinite(bound([j]))).toBe(true);
        expect(toggled.objective).toBeLessThanOrEqual(bound([j]) + 1e-7);
        checked++;
      }
      expect(checked).toBeGreaterThan(3);
      model.dispose();
    });
  }
});
