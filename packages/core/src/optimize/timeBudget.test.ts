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

  it('halves the starts until 80 steps fit, and predicts a step within the budget', () => {
    // 1.5 ms per start-step: 128 starts would take 80 × 0.19 s ≈ 15 s.
    const choice = fitBudget({ fixed: 2e-3, perStart: 1.5e-3 }, 3, defaults);
    expect(choice).toMatchObject({ steps: 80, restarts: 16 });
    expect(choice.secondsPerStep * choice.steps).toBeLessThanOrEqual(3);
    // Twice the starts would not have fitted.
    expect(1.2 * (2e-3 + 1.5e-3 * 32) * 80).toBeGreaterThan(3);
  });

  it('cuts the steps (to at least 20) once 8 starts do not fit 80 steps', () => {
    expect(fitBudget({ fixed: 0, perStart: 0.01 }, 3, defaults)).toMatchObject({ restarts: 8, steps: 31 });
    expect(fitBudget({ fixed: 1, perStart: 0.1 }, 3, defaults)).toMatchObject({ restarts: 8, steps: 20 });
  });

  it('never asks for more starts or steps than the defaults', () => {
    expect(fitBudget({ fixed: 0, perStart: 0 }, 3, { steps: 50, restarts: 1 })).toMatchObject({
      steps: 50,
      restarts: 1,
    });
  });
});
