import { describe, expect, it } from 'vitest';
import { imageStrip } from './imageStrip.ts';

describe('imageStrip', () => {
  it('puts images side by side with a gap of the fill value', () => {
    const a = [1, 2, 3, 4]; // 2×2
    const b = [5, 6, 7, 8];
    const { values, shape } = imageStrip([a, b], [2, 2, 1], 1, 0);
    expect(shape).toEqual([2, 5, 1]);
    expect(Array.from(values)).toEqual([1, 2, 0, 5, 6, 3, 4, 0, 7, 8]);
  });
  it('keeps channels together', () => {
    const { values, shape } = imageStrip(
      [
        [1, 2],
        [3, 4],
      ],
      [1, 1, 2],
      0,
      9,
    );
    expect(shape).toEqual([1, 2, 2]);
    expect(Array.from(values)).toEqual([1, 2, 3, 4]);
  });
});
