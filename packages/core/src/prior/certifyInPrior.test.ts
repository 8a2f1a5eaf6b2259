import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import type { ObjectiveSpec } from '../spec/types.ts';
import { randomReluMlp } from '../testing/randomReluMlp.ts';
import { certifyInPrior, inputRanges } from './certifyInPrior.ts';
import { optimizeInPrior, type PriorResult } from './optimizeInPrior.ts';
import type { SubspacePrior } from './subspacePrior.ts';

const inputs = 12;
const latent = 3;
const box: [number, number] = [0, 1];
let model: tfl.LayersModel;

beforeAll(async () => {
  await initBackend(undefined, () => {});
  model = randomReluMlp({ inputs, hidden: [10], classes: 3, seed: 11 });
});
afterAll(() => model.dispose());

/** A seeded affine decoder whose images often leave [0, 1], so the clip matters. */
function subspace(radius: number): SubspacePrior {
  let state = 12345;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const offset = Float32Array.from({ length: inputs }, () => 0.2 + 0.6 * random());
  const basis = Float32Array.from({ length: latent * inputs }, () => 0.8 * (random() - 0.5));
  return {
    decoder: { latent, size: inputs, offset, basis },
    lo: Float32Array.from([-1.5, -1, -2]),
    hi: Float32Array.from([1.5, 2, 1]),
    radius,
  };
}

/** The objective at latent w by plain float64 arithmetic: decode, clip, Dense(relu), Dense (pre-softmax). */
function objectiveAt(prior: SubspacePrior, w: ArrayLike<number>, objective: ObjectiveSpec): number {
  const { offset, basis } = prior.decoder;
  let h = Array.from(offset, (o, j) => {
    let v = o;
    for (let i = 0; i < latent; i++) v += w[i]! * basis[i * inputs + j]!;
    return Math.min(box[1], Math.max(box[0], v));
  });
  model.layers.forEach((layer, l) => {
    const [kernel, bias] = layer.getWeights().map((t) => t.dataSync());
    const units = bias!.length;
    const next = Array.from(bias!, (b, u) => h.reduce((sum, x, i) => sum + x * kernel![i * units + u]!, b));
    h = l < model.layers.length - 1 ? next.map((v) => Math.max(0, v)) : next;
  });
  if (objective.kind === 'logit') return h[objective.index]!;
  if (objective.kind === 'margin')
    return h[objective.index]! - Math.max(...h.filter((_, j) => j !== objective.index));
  throw new Error(`objectiveAt: ${objective.kind}`);
}

/** The largest objective over a 41³ grid of the bounds, points inside the ball only. */
function gridMaximum(prior: SubspacePrior, objective: ObjectiveSpec): number {
  const n = 40;
  let best = Number.NEGATIVE_INFINITY;
  const w = [0, 0, 0];
  for (let a = 0; a <= n; a++)
    for (let b = 0; b <= n; b++)
      for (let c = 0; c <= n; c++) {
        [a, b, c].forEach((t, i) => {
          w[i] = prior.lo[i]! + ((prior.hi[i]! - prior.lo[i]!) * t) / n;
        });
        if (Math.hypot(...w) > prior.radius) continue;
        best = Math.max(best, objectiveAt(prior, w, objective));
      }
  return best;
}

async function searched(prior: SubspacePrior, objective: ObjectiveSpec) {
  for await (const event of optimizeInPrior(model, { objective, steps: 60, seed: 3 }, prior, box))
    if (event.type === 'done') return event.result as PriorResult;
  throw new Error('no result');
}

describe('certifyInPrior', () => {
  const cases: [string, ObjectiveSpec, number][] = [
    ['logit, the ball wider than the bounds', { kind: 'logit', index: 0 }, 10],
    ['logit, the ball cutting the bounds', { kind: 'logit', index: 2 }, 1.3],
    ['margin, the ball cutting the bounds', { kind: 'margin', index: 1 }, 1.6],
  ];
  it.each(cases)(
    'bounds every point the search can reach (%s)',
    async (_, objective, radius) => {
      const prior = subspace(radius);
      const found = await searched(prior, objective);
      const certificate = await certifyInPrior(model, prior, box, {
        objective,
        incumbentLatent: found.latent,
        timeLimitSeconds: 20,
      });
      if (!certificate.supported) throw new Error(certificate.reason);
      const grid = gridMaximum(prior, objective);
      expect(certificate.upperBound).toBe(
        Math.max(
          certificate.bestValue,
          Math.min(certificate.boundsBy.latent, certificate.boundsBy.inputRanges),
        ),
      );
      expect(certificate.upperBound).toBeGreaterThanOrEqual(grid);
      expect(certificate.upperBound).toBeGreaterThanOrEqual(found.value - 1e-5);
      // Its best point is a real point of the searched set, scored independently.
      expect(certificate.bestValue).toBeCloseTo(objectiveAt(prior, certificate.latent, objective), 4);
      expect(certificate.bestValue).toBeLessThanOrEqual(certificate.upperBound);
      expect(Math.hypot(...certificate.latent)).toBeLessThanOrEqual(radius + 1e-5);
      expect(certificate.latent.every((w, i) => w >= prior.lo[i]! - 1e-6 && w <= prior.hi[i]! + 1e-6)).toBe(
        true,
      );
      if (radius > Math.hypot(...prior.lo.map((lo, i) => Math.max(-lo, prior.hi[i]!)))) {
        // The ball cuts nothing, so the bound is over exactly the searched set: small enough to prove.
        expect(certificate.proven).toBe(true);
        expect(certificate.bestValue).toBeGreaterThanOrEqual(grid - 1e-4);
      }
    },
    60_000,
  );
});

describe('inputRanges', () => {
  it('holds every decoded point of the searched set', () => {
    for (const radius of [10, 1.3]) {
      const prior = subspace(radius);
      const { lo, hi } = inputRanges(prior, box);
      const n = 12;
      for (let a = 0; a <= n; a++)
        for (let b = 0; b <= n; b++)
          for (let c = 0; c <= n; c++) {
            const w = [a, b, c].map((t, i) => prior.lo[i]! + ((prior.hi[i]! - prior.lo[i]!) * t) / n);
            if (Math.hypot(...w) > radius) continue;
            const x = Array.from(prior.decoder.offset, (o, j) => {
              let v = o;
              for (let i = 0; i < latent; i++) v += w[i]! * prior.decoder.basis[i * inputs + j]!;
              return Math.min(box[1], Math.max(box[0], v));
            });
            for (const [j, v] of x.entries()) {
              expect(v).toBeGreaterThanOrEqual(lo[j]!);
              expect(v).toBeLessThanOrEqual(hi[j]!);
            }
          }
      // The ball narrows the ranges when it cuts the bounds.
      if (radius < 2) expect(hi.some((h, j) => h - lo[j]! < 1 - 1e-6)).toBe(true);
    }
  });
});
