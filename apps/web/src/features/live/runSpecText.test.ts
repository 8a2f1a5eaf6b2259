import { describe, expect, it } from 'vitest';
import { type RunSpecFields, runSizeText } from './runSpecText.ts';

const spec = (counts: Pick<RunSpecFields, 'steps' | 'restarts' | 'timeBudgetSeconds'>): RunSpecFields => ({
  objective: { kind: 'logit', index: 1, layer: null, channel: null },
  method: 'projected-adam',
  seed: null,
  prior: 'NONE',
  accentuate: null,
  diverse: null,
  constraints: {
    box: { lo: 0, hi: 1 },
    linf: null,
    l2: null,
    mask: null,
    linear: null,
    quantizeLevels: null,
  },
  ...counts,
});

describe('runSizeText', () => {
  it('says the counts asked for, or what the time budget chose once it has', () => {
    expect(runSizeText(spec({ steps: 200, restarts: 16, timeBudgetSeconds: null }), null)).toBe(
      '200 steps × 16 restarts',
    );
    const budgeted = spec({ steps: null, restarts: null, timeBudgetSeconds: 3 });
    expect(runSizeText(budgeted, null)).toBe('steps and restarts fitted to a 3 s time budget');
    expect(runSizeText(budgeted, { steps: 80, restarts: 64 })).toBe(
      '80 steps × 64 restarts, fitted to a 3 s time budget',
    );
    expect(runSizeText(budgeted, { seconds: 3, steps: 80, restarts: 128, secondsPerStep: 0.000611 })).toBe(
      '80 steps × 128 restarts, fitted to a 3 s time budget (~0.61 ms a step)',
    );
  });
});
