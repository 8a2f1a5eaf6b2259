import { describe, expect, it } from 'vitest';
import { mergeCurves } from './useStoredCurve.ts';

describe('mergeCurves', () => {
  it('joins stored history and live steps in step order, one point per step', () => {
    const stored = [0, 10, 20, 30].map((step) => ({ step, objective: step }));
    const live = [
      { step: 0, objective: 0 },
      { step: 30, objective: 31 },
      { step: 31, objective: 32 },
    ];
    expect(mergeCurves(stored, live)).toEqual([
      { step: 0, objective: 0 },
      { step: 10, objective: 10 },
      { step: 20, objective: 20 },
      { step: 30, objective: 31 },
      { step: 31, objective: 32 },
    ]);
  });
});
