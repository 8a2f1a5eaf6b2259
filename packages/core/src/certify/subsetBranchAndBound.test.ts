import { describe, expect, it } from 'vitest';
import { preActivations, singleLayerValue } from '../lp/singleLayerForm.ts';
import { seededRandom } from '../methods/random.ts';
import { logitsAt } from '../network/layerGraph.ts';
import { concaveCases, type ExactObjective } from '../objectives/exactObjective.ts';
import { randomGraph } from '../testing/testNetworks.ts';
import { compileCertifiedObjective } from './certifiedObjective.ts';
import { certifyGraph } from './certify.ts';
import { hiddenLayerForm } from './hiddenLayerForm.ts';
import { subsetBranchAndBound } from './subsetBranchAndBound.ts';
import { dualEvaluator, initialTheta, optimizeDual, subsetProblem } from './subsetDual.ts';

function formOf(seed: number, inputs: number, hidden: number, index = seed % 3) {
  const graph = randomGraph({ inputs, hidden: [hidden], outputs: 3, seed });
  const objective = compileCertifiedObjective(graph, { kind: 'logit', index }) as ExactObjective;
  const form = hiddenLayerForm(graph, concaveCases(graph, objective)[0]!);
  if (typeof form === 'string') throw new Error(form);
  return { graph, form };
}

function randomBox(random: () => number, n: number) {
  const lo = Float64Array.from({ length: n }, () => random() * 2 - 1.5);
  const hi = lo.map((l) => l + 0.2 + random() * 1.5);
  return { lo, hi };
}

/** Grid points of the box (plus every vertex), for up to 3 inputs. */
function grid(lo: Float64Array, hi: Float64Array, steps: number): Float64Array[] {
  const n = lo.length;
  const points: Float64Array[] = [];
  for (let k = 0; k < steps ** n; k++) {
    let rest = k;
    points.push(
      Float64Array.from({ length: n }, (_, i) => {
        const t = (rest % steps) / (steps - 1);
        rest = Math.floor(rest / steps);
        return lo[i]! + (hi[i]! - lo[i]!) * t;
      }),
    );
  }
  return points;
}

describe('hidden-layer form', () => {
  it('gives the same objective as the network', () => {
    const random = seededRandom(5);
    for (let seed = 0; seed < 10; seed++) {
      const { graph, form } = formOf(seed, 4, 9);
      for (let t = 0; t < 20; t++) {
        const x = Float64Array.from({ length: 4 }, () => random() * 3 - 1);
        expect(singleLayerValue(form, x)).toBeCloseTo(logitsAt(graph, x)[seed % 3]!, 10);
      }
    }
  });
});

describe('unit-subset bound', () => {
  it('is above every input of its branch for any multipliers, phases and grouping (200 cases)', () => {
    const random = seededRandom(17);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + (trial % 2);
      const { form } = formOf(trial, n, 5 + (trial % 6));
      const { lo, hi } = randomBox(random, n);
      const problem = subsetProblem(form, lo, hi);
      const units = problem.positive.length;
      const phase = Int8Array.from({ length: units }, () => (random() < 0.3 ? (random() < 0.5 ? 1 : -1) : 0));
      const free = Array.from({ length: units }, (_, p) => p).filter((p) => phase[p] === 0);
      const groups: Int32Array[] = [];
      for (let i = 0; i < free.length; ) {
        const size = 1 + Math.floor(random() * 3);
        groups.push(Int32Array.from(free.slice(i, i + size)));
        i += size;
      }
      const theta = initialTheta(problem, groups.length).map(() => (random() - 0.5) * 4);
      const node = { phase, groups, theta };
      const bound = dualEvaluator(problem, node).evaluate(theta, undefined, 0);
      const inBranch = (x: Float64Array) =>
        Array.from(problem.positive).every((j, p) => {
          if (phase[p] === 0) return true;
          const z = preActivations(form, x)[j]!;
          return phase[p]! > 0 ? z >= 0 : z <= 0;
        });
      let sampled = Number.NEGATIVE_INFINITY;
      for (const x of grid(lo, hi, n === 2 ? 41 : 15))
        if (inBranch(x)) sampled = Math.max(sampled, singleLayerValue(form, x));
      expect(bound, `trial ${trial}`).toBeGreaterThanOrEqual(sampled - 1e-9 * (1 + Math.abs(sampled)));
      // Optimising the multipliers keeps it sound and never returns more than where it started.
      const optimised = optimizeDual(problem, node, { temperatures: [1e-3], iterations: 30 });
      expect(optimised.bound, `trial ${trial} optimised`).toBeGreaterThanOrEqual(
        sampled - 1e-9 * (1 + Math.abs(sampled)),
      );
      expect(optimised.bound).toBeLessThanOrEqual(bound);
    }
  });

  it('its smoothed value has the gradient L-BFGS is given (central differences)', () => {
    const random = seededRandom(29);
    for (let trial = 0; trial < 10; trial++) {
      const n = 4;
      const { form } = formOf(trial + 70, n, 12);
      const { lo, hi } = randomBox(random, n);
      const problem = subsetProblem(form, lo, hi);
      const units = problem.positive.length;
      const phase = Int8Array.from({ length: units }, (_, p) => (p === 0 ? 1 : p === 1 ? -1 : 0));
      const free = Array.from({ length: units }, (_, p) => p).filter((p) => phase[p] === 0);
      const groups = [Int32Array.from(free.slice(0, 3)), Int32Array.from(free.slice(3))];
      const theta = initialTheta(problem, groups.length).map(() => (random() - 0.5) * 2);
      const evaluator = dualEvaluator(problem, { phase, groups, theta });
      const tau = 0.3;
      const grad = new Float64Array(theta.length);
      evaluator.evaluate(theta, grad, tau);
      const h = 1e-6;
      for (let k = 0; k < theta.length; k++) {
        const up = Float64Array.from(theta);
        const down = Float64Array.from(theta);
        up[k]! += h;
        down[k]! -= h;
        const numeric =
          (evaluator.evaluate(up, undefined, tau) - evaluator.evaluate(down, undefined, tau)) / (2 * h);
        expect(grad[k]!, `trial ${trial}, parameter ${k}`).toBeCloseTo(numeric, 4);
      }
    }
  });

  it('whole groups are exact: with every unit in one group (all weights positive) it is the maximum', () => {
    const random = seededRandom(3);
    for (let seed = 0; seed < 20; seed++) {
      const n = 2;
      // Negative-weight units are bounded through relu(z) ≥ α·z, which is exact only jointly with
      // the positive ones' envelope; with none, the single group's subsets are the whole problem.
      const raw = formOf(seed + 40, n, 8).form;
      const form = { ...raw, c: raw.c.map(Math.abs) };
      const { lo, hi } = randomBox(random, n);
      const problem = subsetProblem(form, lo, hi);
      const units = problem.positive.length;
      const node = {
        phase: new Int8Array(units),
        groups: [Int32Array.from({ length: units }, (_, p) => p)],
        theta: initialTheta(problem, 1),
      };
      const result = optimizeDual(problem, node, { temperatures: [1e-3, 1e-4, 1e-5], iterations: 200 });
      let sampled = Number.NEGATIVE_INFINITY;
      for (const x of grid(lo, hi, 201)) sampled = Math.max(sampled, singleLayerValue(form, x));
      const scale = Math.max(1, Math.abs(sampled));
      expect(result.bound, `seed ${seed}`).toBeGreaterThanOrEqual(sampled - 1e-9 * scale);
      // Exact up to the dual's convergence and the grid's resolution.
      expect(result.bound - sampled, `seed ${seed}`).toBeLessThan(2e-2 * scale);
    }
  });
});

describe('subset branch and bound', () => {
  it('closes small problems at their optimum (against the proven MILP optimum), in one thread or two', async () => {
    for (let seed = 200; seed < 212; seed++) {
      const threads = 1 + (seed % 2);
      const n = 3;
      const { graph, form } = formOf(seed, n, 10);
      const lo = new Float64Array(n);
      const hi = new Float64Array(n).fill(1);
      let incumbent = Number.NEGATIVE_INFINITY;
      const result = await subsetBranchAndBound({
        form,
        lo,
        hi,
        incumbent,
        consider: (x) => {
          const v = singleLayerValue(form, x);
          incumbent = Math.max(incumbent, v);
          return v;
        },
        deadline: performance.now() + 20_000,
        tolerance: 1e-4,
        shouldStop: () => false,
        groupSize: 3,
        threads,
      });
      const exact = await certifyGraph(graph, {
        objective: { kind: 'logit', index: seed % 3 },
        search: 'milp',
        timeLimitSeconds: 20,
      });
      if (!exact.supported) throw new Error(exact.reason);
      expect(exact.proven).toBe(true);
      const scale = Math.max(1, Math.abs(exact.bestValue));
      const label = `seed ${seed}, ${threads} thread(s)`;
      expect(result.complete, label).toBe(true);
      expect(result.bound, label).toBeGreaterThanOrEqual(exact.bestValue - 1e-6 * scale);
      expect(result.bound - exact.bestValue, label).toBeLessThan(1e-2 * scale);
    }
  });

  it('certify (default search) on one-hidden-layer networks stays above the proven optimum', async () => {
    for (let seed = 300; seed < 306; seed++) {
      const graph = randomGraph({ inputs: 12, hidden: [24], outputs: 3, seed });
      const objective = { kind: 'logit' as const, index: seed % 3 };
      const progress: string[] = [];
      const auto = await certifyGraph(graph, {
        objective,
        timeLimitSeconds: 4,
        onProgress: (p) => progress.push(p.method),
      });
      const exact = await certifyGraph(graph, { objective, search: 'milp', timeLimitSeconds: 30 });
      if (!auto.supported || !exact.supported) throw new Error('unsupported');
      expect(exact.proven).toBe(true);
      expect(auto.upperBound, `seed ${seed}`).toBeGreaterThanOrEqual(exact.bestValue);
      expect(auto.bestValue).toBeLessThanOrEqual(exact.upperBound);
      expect(progress).toContain('bab');
    }
  });
});
