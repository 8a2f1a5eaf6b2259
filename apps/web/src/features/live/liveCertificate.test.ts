import { describe, expect, it } from 'vitest';
import { applyBoundEvent, type BoundEventData, describeCertificate, formatGap } from './liveCertificate.ts';
import { applyRunEvent, emptyLiveRun } from './liveRunState.ts';

const bound = (index: number, upperBound: number, bestValue: number | null): BoundEventData => ({
  __typename: 'RunBoundEvent',
  index,
  certificateStatus: 'RUNNING',
  upperBound,
  bestValue,
  gap: bestValue === null ? null : (upperBound - bestValue) / Math.abs(upperBound),
  method: 'crown',
  seconds: index,
  proven: null,
  reason: null,
});

describe('applyBoundEvent', () => {
  it('builds the bound history once per point, then keeps it under the final word', () => {
    let s = applyRunEvent(emptyLiveRun, bound(0, 200, null), 0);
    s = applyRunEvent(s, bound(1, 100, 50), 0);
    // A repeat (a late joiner's replay overlapping the live stream) changes nothing.
    s = applyRunEvent(s, bound(1, 100, 50), 0);
    s = applyRunEvent(s, bound(2, 80, 56), 0);
    expect(s.certificate?.history.map((p) => p.upperBound)).toEqual([200, 100, 80]);
    expect(s.certificate).toMatchObject({ status: 'RUNNING', upperBound: 80, bestValue: 56 });
    s = applyRunEvent(
      s,
      { ...bound(3, 80, 80), certificateStatus: 'DONE', gap: 0, proven: true, seconds: 2.5 },
      0,
    );
    expect(s.certificate).toMatchObject({ status: 'DONE', proven: true, gap: 0, seconds: 2.5 });
    expect(s.certificate?.history).toHaveLength(3);
    expect(describeCertificate(s.certificate)).toBe('0 % (proven optimal)');
  });

  it('says why there is no certificate instead of a number', () => {
    const unsupported = applyBoundEvent(null, {
      ...bound(0, 0, null),
      certificateStatus: 'UNSUPPORTED',
      upperBound: null,
      method: null,
      seconds: null,
      reason: 'objective: prob is not linear in the logits',
    });
    expect(unsupported).toMatchObject({ status: 'UNSUPPORTED', upperBound: null, history: [] });
    expect(describeCertificate(unsupported)).toBe(
      'no certificate: objective: prob is not linear in the logits',
    );
    expect(describeCertificate(null)).toBe('no certificate');
  });

  it('reads the gap as a percentage', () => {
    expect(formatGap(0.70465583)).toBe('70.5 %');
    expect(formatGap(0.000123)).toBe('0.0123 %');
    expect(formatGap(null)).toBe('—');
    expect(describeCertificate({ ...applyBoundEvent(null, bound(0, 100, 50)) })).toBe('50 % (running)');
  });
});
