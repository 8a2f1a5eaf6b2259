import { describe, expect, it } from 'vitest';
import { confirmStepCost, defaultStarts, fitBudget } from './timeBudget.ts';

const defaults = { steps: 80, restarts: 128 };

describe('fitBudget', () => {
  it('keeps the default 128 starts × 80 steps when they fit (a small MLP: ~1 ms a step)', () => {
    expect(fitBudget({ fixed: 1e-3, perStart: 1e-5 }, 3, defaults)).toMatchObject({
      steps: 80,
      restarts: 128,
    });
  });

  it('cuts to the best 48 starts after 3 steps, 24 after 9 and 8 after 23, goes on to 120 steps, with as many starts as then fit', () => {
    // 2 ms per start-step: 128 starts would take 80 × 0.26 s ≈ 21 s; 128 with the cuts ≈ 3.8 s.
    const cost = { fixed: 2e-3, perStart: 2e-3 };
    const choice = fitBudget(cost, 3.6, defaults);
    expect(choice).toMatchObject({
      steps: 120,
      restarts: 64,
      keepBest: [
        { after: 3, starts: 48 },
        { after: 9, starts: 24 },
        { after: 23, starts: 8 },
      ],
    });
    const step = (starts: number) => cost.fixed + cost.perStart * starts;
    const run = (starts: number) => 3 * step(starts) + 6 * step(48) + 14 * step(24) + 97 * step(8);
    expect(run(64)).toBeLessThanOrEqual(3.6);
    expect(run(128)).toBeGreaterThan(3.6);
    expect(choice.secondsPerStep * 120).toBeCloseTo(run(64), 9);
  });

  it('keeps 128 starts with the cuts when those fit', () => {
    const step = (starts: number) => 2e-3 + 1.5e-3 * starts;
    expect(3 * step(128) + 6 * step(48) + 14 * step(24) + 97 * step(8)).toBeLessThanOrEqual(3);
    expect(fitBudget({ fixed: 2e-3, perStart: 1.5e-3 }, 3, defaults)).toMatchObject({
      steps: 120,
      restarts: 128,
    });
  });

  it('leaves out the cuts that would keep every start: 16 starts go to the best 8 after 23 steps', () => {
    const cost = { fixed: 0, perStart: 0.01 };
    const step = (starts: number) => cost.perStart * starts;
    const run16 = 23 * step(16) + 97 * step(8);
    const choice = fitBudget(cost, run16, defaults);
    expect(choice).toMatchObject({ steps: 120, restarts: 16, keepBest: [{ after: 23, starts: 8 }] });
    expect(choice.secondsPerStep * 120).toBeCloseTo(run16, 9);
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

describe('confirmStepCost', () => {
  const times = (seconds: number) => {
    const calls: number[] = [];
    const timeFull = () => {
      calls.push(1);
      return seconds;
    };
    return { calls, timeFull };
  };

  it('times a full batch where the estimate says the default run fits but takes over a quarter of the budget', () => {
    // Estimated 128 starts: 2 + 128 × 0.2 = 27.6 ms a step, 2.2 s of a 4 s budget: uncut by this estimate.
    const estimate = { fixed: 2e-3, perStart: 2e-4 };
    expect(fitBudget(estimate, 4, defaults).keepBest).toBeUndefined();
    const slow = times(0.15);
    const cost = confirmStepCost(estimate, 4, defaults, slow.timeFull);
    expect(slow.calls).toHaveLength(1);
    expect(cost.fixed + 128 * cost.perStart).toBeCloseTo(0.15, 10);
    // The full batch's 150 ms a step (12 s for 128 × 80) makes the budget cut.
    expect(fitBudget(cost, 4, defaults).keepBest).toEqual([
      { after: 3, starts: 48 },
      { after: 9, starts: 24 },
      { after: 23, starts: 8 },
    ]);
    // A full batch no slower than the estimate leaves it as it was.
    expect(confirmStepCost(estimate, 4, defaults, times(0.02).timeFull)).toEqual(estimate);
  });

  it('times nothing where the estimate already cuts, or the run is small beside the budget', () => {
    for (const estimate of [
      { fixed: 5e-3, perStart: 6e-4 }, // 82 ms a step: 6.6 s, over the budget
      { fixed: 1e-3, perStart: 1e-5 }, // the seed MLP: 0.18 s
    ]) {
      const timer = times(1);
      expect(confirmStepCost(estimate, 4, defaults, timer.timeFull)).toEqual(estimate);
      expect(timer.calls).toHaveLength(0);
    }
  });
});

describe('defaultStarts', () => {
  it('gives small dense networks 8× the starts, and the seed MLP and any convolutional network the default', () => {
    // 50-16-16-24-9: 1,721 weights; the seed MLP (784-128-10): 101,770; a small CNN's weights are few.
    expect(defaultStarts(128, 1721, true)).toBe(1024);
    expect(defaultStarts(128, 10_000, true)).toBe(1024);
    expect(defaultStarts(128, 10_001, true)).toBe(128);
    expect(defaultStarts(128, 101_770, true)).toBe(128);
    expect(defaultStarts(128, 1721, false)).toBe(128);
  });
});
