import { describe, expect, it } from 'vitest';
import { fitBudget } from './timeBudget.ts';

const defaults = { steps: 80, restarts: 128 };

describe('fitBudget', () => {
  it('keeps the default 128 starts × 80 steps when they fit (a small MLP: ~1 ms a step)', () => {
    expect(fitBudget({ fixed: 1e-3, perStart: 1e-5 }, 3, defaults)).toMatchObject({
      steps: 80,
      restarts: 128,
    });
  });

  it('cuts to the best 48 starts after 3 steps, 24 after 9 and 8 after 23, with as many starts as then fit', () => {
    // 2 ms per start-step: 128 starts would take 80 × 0.26 s ≈ 21 s; 128 with the cuts ≈ 3.1 s.
    const cost = { fixed: 2e-3, perStart: 2e-3 };
    const choice = fitBudget(cost, 3, defaults);
    expect(choice).toMatchObject({
      steps: 80,
      restarts: 64,
      keepBest: [
        { after: 3, starts: 48 },
        { after: 9, starts: 24 },
        { after: 23, starts: 8 },
      ],
    });
    const step = (starts: number) => cost.fixed + cost.perStart * starts;
    const run = (starts: number) => 3 * step(starts) + 6 * step(48) + 14 * step(24) + 57 * step(8);
    expect(run(64)).toBeLessThanOrEqual(3);
    expect(run(128)).toBeGreaterThan(3);
    expect(choice.secondsPerStep * 80).toBeCloseTo(run(64), 9);
  });

  it('keeps 128 starts with the cuts when those fit', () => {
    const step = (starts: number) => 2e-3 + 1.5e-3 * starts;
    expect(3 * step(128) + 6 * step(48) + 14 * step(24) + 57 * step(8)).toBeLessThanOrEqual(3);
    expect(fitBudget({ fixed: 2e-3, perStart: 1.5e-3 }, 3, defaults)).toMatchObject({
      steps: 80,
      restarts: 128,
    });
  });

  it('leaves out the cuts that would keep every start: 16 starts go to the best 8 after 23 steps', () => {
    const cost = { fixed: 0, perStart: 0.01 };
    const step = (starts: number) => cost.perStart * starts;
    const run16 = 23 * step(16) + 57 * step(8);
    const choice = fitBudget(cost, run16, defaults);
    expect(choice).toMatchObject({ steps: 80, restarts: 16, keepBest: [{ after: 23, starts: 8 }] });
    expect(choice.secondsPerStep * 80).toBeCloseTo(run16, 9);
  });

  it('without the cut (every start wanted), halves the starts until 80 steps fit', () => {
    const choice = fitBudget({ fixed: 2e-3, perStart: 1.5e-3 }, 3, defaults, false);
    expect(choice).toMatchObject({ steps: 80, restarts: 16 });
    expect(choice.keepBest).toBeUndefined();
    expect(choice.secondsPerStep * choice.steps).toBeLessThanOrEqual(3);
    expect((2e-3 + 1.5e-3 * 32) * 80).toBeGreaterThan(3);
  });

  it('cuts the steps (to at least 20), and no start, once 16 starts cut to 8 do not fit 80 steps', () => {
    const slow = fitBudget({ fixed: 0, perStart: 0.01 }, 3, defaults);
    expect(slow).toMatchObject({ restarts: 8, steps: 37 });
    expect(slow.keepBest).toBeUndefined();
    expect(fitBudget({ fixed: 1, perStart: 0.1 }, 3, defaults)).toMatchObject({ restarts: 8, steps: 20 });
  });

  it('never asks for more starts or steps than the defaults', () => {
    expect(fitBudget({ fixed: 0, perStart: 0 }, 3, { steps: 50, restarts: 1 })).toMatchObject({
      steps: 50,
      restarts: 1,
    });
  });
});
