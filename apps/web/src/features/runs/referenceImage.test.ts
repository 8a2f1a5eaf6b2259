import { describe, expect, it } from 'vitest';
import { inputToRgba, rgbaToInput } from './referenceImage.ts';

describe('rgbaToInput', () => {
  it('maps grey levels onto the box, with transparency as black and optional inversion', () => {
    const rgba = [255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 0];
    expect(rgbaToInput(rgba, 3, 1, [0, 1])).toEqual([1, 0, 0]);
    expect(rgbaToInput(rgba, 3, 1, [-1, 1])).toEqual([1, -1, -1]);
    expect(rgbaToInput(rgba, 3, 1, [0, 1], true)).toEqual([0, 1, 1]);
  });

  it('uses luminance for one channel and keeps RGB for three', () => {
    const red = [255, 0, 0, 255];
    expect(rgbaToInput(red, 1, 1, [0, 1])[0]).toBeCloseTo(0.299, 3);
    expect(rgbaToInput(red, 1, 3, [0, 1])).toEqual([1, 0, 0]);
  });

  it('refuses channel counts it cannot fill and mismatched sizes', () => {
    expect(() => rgbaToInput([0, 0, 0, 255], 1, 4, [0, 1])).toThrow(/1 or 3 channels/);
    expect(() => rgbaToInput([0, 0, 0], 1, 1, [0, 1])).toThrow(/expected 4 RGBA values; received 3/);
  });

  it('round-trips through the preview mapping', () => {
    const input = [0, 0.5, 1];
    expect(Array.from(inputToRgba(input, 3, 1, [0, 1]).filter((_, i) => i % 4 === 0))).toEqual([0, 128, 255]);
  });
});
