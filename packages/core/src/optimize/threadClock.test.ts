import { describe, expect, it } from 'vitest';
import { stepClock } from './threadClock.ts';

describe('stepClock', () => {
  it('advances while this thread works, never backwards', () => {
    const clock = stepClock();
    const readings = [clock()];
    let sum = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 2e6; i++) sum += Math.sqrt(i);
      readings.push(clock());
    }
    expect(sum).toBeGreaterThan(0);
    for (let i = 1; i < readings.length; i++) expect(readings[i]).toBeGreaterThanOrEqual(readings[i - 1]!);
    expect(readings.at(-1)!).toBeGreaterThan(readings[0]!);
  });
});
