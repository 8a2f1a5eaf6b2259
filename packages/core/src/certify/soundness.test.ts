import { describe, expect, it } from 'vitest';
import { seededRandom } from '../methods/random.ts';
import { intervalBounds } from '../network/intervalBounds.ts';
import { logitsAt } from '../network/layerGraph.ts';
import { concaveCases, type ExactObjective, evaluateExactObjective } from '../objectives/exactObjective.ts';
import type { ConstraintSpec, ObjectiveSpec } from '../spec/types.ts';
import { feasibleSetFor } from '../testing/feasibleSets.ts';
import { randomGraph, sampledMaximum } from '../testing/testNetworks.ts';
import { evaluateBound, initialParameters } from './boundOptimizer.ts';
import { compileCertifiedObjective } from './certifiedObjective.ts';
import { certifyGraph } from './certify.ts';
import { addSlopeLine, slopeLine, slopeRow } from './inputSlopes.ts';
import { crownIntermediateBounds } from './linearRelaxation.ts';
import { certifyRegion } from './region.ts';
import type { Certificate } from './types.ts';

/** A varied problem per seed: region kind, objective kind and network shape all rotate. */
function problemFor(seed: number, inputs: number) {
  const random = seededRandom(seed * 7 + 3);
  const reference = Array.from({ length: inputs }, () => random());
  const regions: ConstraintSpec[] = [
    {},
    { box: { lo: -1, hi: 2 } },
    { linf: { reference, epsilon: 0.15 + 0.2 * random() } },
    { linear: [{ weights: Array.from({ length: inputs }, () => random() - 0.3), sense: '<=', bound: 0.4 }] },
    { mask: { fixed: Array.from({ length: inputs }, (_, i) => i === 0), reference } },
  ];
  const k = seed % 3;
  const objectives: ObjectiveSpec[] = [
    { kind: 'logit', index: k },
    { kind: 'margin', index: k },
    {
      kind: 'sum',
      terms: [
        { weight: 0.5, objective: { kind: 'logit', index: k } },
        { weight: -1, objective: { kind: 'margin', index: (k + 1) % 3 } },
      ],
    },
  ];
  return {
    constraints: regions[seed % regions.length]!,
    objective: objectives[Math.floor(seed / regions.length) % objectives.length]!,
  };
}

function compiled(graph: ReturnType<typeof randomGraph>, spec: ObjectiveSpec, constraints: ConstraintSpec) {
  const objective = compileCertifiedObjective(graph, spec) as ExactObjective;
  const region = certifyRegion(feasibleSetFor(constraints, graph.inputSize));
  return { objective, region };
}

function expectCertificate(result: Awaited<ReturnType<typeof certifyGraph>>): Certificate {
  if (!result.supported) throw new Error(result.reason);
  return result;
}

describe('bounds are never below a sampled value', () => {
  it('IBP, CROWN and α-CROWN with per-input slopes, 60 random nets, regions and objectives', async () => {
    for (let seed = 0; seed < 60; seed++) {
      const inputs = 2 + (seed % 2);
      const graph = randomGraph({
        inputs,
        hidden: seed % 4 === 0 ? [10] : [7, 6],
        outputs: 3,
        seed,
        ...(seed % 5 === 4 ? { leaky: 0.1 } : {}),
      });
      const { constraints, objective: spec } = problemFor(seed, inputs);
      const { objective, region } = compiled(graph, spec, constraints);
      const sampled = sampledMaximum(graph, objective, region, { steps: inputs === 2 ? 61 : 17, seed });

      const bounds = intervalBounds(graph, region.lo, region.hi);
      crownIntermediateBounds(graph, bounds);
      for (const c of concaveCases(graph, objective)) {
        const problem = { graph, bounds, region, objective: c };
        const plain = evaluateBound({ ...problem, inputSlopes: false }, initialParameters(problem));
        // Each case only bounds its own piece of the objective; the max over cases bounds the objective.
        const piece = Math.max(
          ...sampled.samples.map((x) => {
            const logits = logitsAt(graph, x);
            let v = 0;
            c.base.forEach((w, i) => {
              v += w * logits[i]!;
            });
            for (const m of c.mins)
              v += m.weight * Math.min(...m.options.map((d) => d.reduce((s, w, i) => s + w * logits[i]!, 0)));
            return v;
          }),
        );
        expect(plain.bound, `seed ${seed} plain CROWN`).toBeGreaterThanOrEqual(piece);
      }

      const certificate = expectCertificate(
        await certifyGraph(graph, { objective: spec, constraints, search: 'bounds', timeLimitSeconds: 5 }),
      );
      expect(certificate.bounds.ibp, `seed ${seed} IBP`).toBeGreaterThanOrEqual(sampled.value);
      expect(certificate.bounds.crown, `seed ${seed} α-CROWN`).toBeGreaterThanOrEqual(sampled.value);
      expect(certificate.upperBound, `seed ${seed} certificate`).toBeGreaterThanOrEqual(sampled.value);
      expect(certificate.bestValue).toBeLessThanOrEqual(certificate.upperBound);
    }
  });

  it('the per-input-slope line lies above its ReLU on the whole box, for any slopes', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + (trial % 5);
      const graph = randomGraph({ inputs: n, hidden: [3], outputs: 2, seed: trial });
      const op = graph.ops[0]!;
      if (op.kind !== 'affine') throw new Error('expected an affine first op');
      const lo = Float64Array.from({ length: n }, () => random() - 0.8);
      const hi = lo.map((l) => l + random() * 1.5);
      const row = slopeRow(op, trial % 3);
      const rho = Float64Array.from({ length: n }, () => (trial % 4 === 0 ? Math.round(random()) : random()));
      const line = slopeLine(row, rho, lo, hi);
      const A = new Float64Array(n);
      const c = addSlopeLine(A, row, rho, 1, line);
      for (let k = 0; k < 300; k++) {
        const x = lo.map((l, i) => (k < 2 ** n ? ((k >> i) & 1 ? hi[i]! : l) : l + (hi[i]! - l) * random()));
        let z = row.bias;
        row.weights.forEach((w, i) => {
          z += w * x[i]!;
        });
        let g = c;
        A.forEach((a, i) => {
          g += a * x[i]!;
        });
        expect(g).toBeGreaterThanOrEqual(Math.max(0, z));
      }
    }
  });
});

describe('exact search', () => {
  it('branch and bound and the MILP prove the same optimum; its input reproduces it; bounds are ordered', async () => {
    for (let seed = 100; seed < 118; seed++) {
      const inputs = 2 + (seed % 2);
      const graph = randomGraph({ inputs, hidden: [12, 10], outputs: 3, seed });
      const { constraints, objective: spec } = problemFor(seed, inputs);
      const { objective, region } = compiled(graph, spec, constraints);
      const sampled = sampledMaximum(graph, objective, region, { steps: inputs === 2 ? 81 : 21, seed });
      const results = [];
      for (const search of ['bab', 'milp'] as const) {
        const certificate = expectCertificate(
          await certifyGraph(graph, { objective: spec, constraints, search, timeLimitSeconds: 20 }),
        );
        const label = `seed ${seed} ${search}`;
        expect(certificate.proven, label).toBe(true);
        expect(certificate.upperBound, label).toBeGreaterThanOrEqual(sampled.value);
        // Proven optimal: no sample beats it (beyond the tolerance of the proof).
        expect(certificate.bestValue, label).toBeGreaterThanOrEqual(
          sampled.value - 1e-4 * Math.max(1, Math.abs(sampled.value)),
        );
        const reproduced = evaluateExactObjective(graph, objective, certificate.input);
        expect(reproduced, label).toBe(certificate.bestValue);
        expect(certificate.bounds.ibp, label).toBeGreaterThanOrEqual(certificate.bestValue);
        expect(certificate.bounds.crown, label).toBeGreaterThanOrEqual(certificate.bestValue);
        results.push(certificate);
      }
      const [bab, milp] = results as [Certificate, Certificate];
      expect(Math.abs(bab.bestValue - milp.bestValue), `seed ${seed}`).toBeLessThanOrEqual(
        2e-4 * Math.max(1, Math.abs(milp.bestValue)),
      );
    }
  });

  it('on 3-hidden-layer nets (splits in every layer re-derive the later bounds), branch and bound proves the MILP optimum', async () => {
    for (let seed = 200; seed < 212; seed++) {
      const inputs = 2 + (seed % 3);
      const graph = randomGraph({ inputs, hidden: [8, 7, 6], outputs: 3, seed });
      const { constraints, objective: spec } = problemFor(seed, inputs);
      const { objective, region } = compiled(graph, spec, constraints);
      const sampled = sampledMaximum(graph, objective, region, { steps: inputs === 2 ? 81 : 21, seed });
      const [bab, milp] = await Promise.all(
        (['bab', 'milp'] as const).map(async (search) =>
          expectCertificate(
            await certifyGraph(graph, { objective: spec, constraints, search, timeLimitSeconds: 20 }),
          ),
        ),
      );
      for (const [label, certificate] of [
        [`seed ${seed} bab`, bab!],
        [`seed ${seed} milp`, milp!],
      ] as const) {
        expect(certificate.proven, label).toBe(true);
        expect(certificate.upperBound, label).toBeGreaterThanOrEqual(sampled.value);
        expect(evaluateExactObjective(graph, objective, certificate.input), label).toBe(
          certificate.bestValue,
        );
      }
      // Each proof's bound is above the other's optimum, and the optima agree.
      expect(bab!.upperBound, `seed ${seed}`).toBeGreaterThanOrEqual(milp!.bestValue);
      expect(milp!.upperBound, `seed ${seed}`).toBeGreaterThanOrEqual(bab!.bestValue);
      expect(Math.abs(bab!.bestValue - milp!.bestValue), `seed ${seed}`).toBeLessThanOrEqual(
        2e-4 * Math.max(1, Math.abs(milp!.bestValue)),
      );
    }
  });
});
