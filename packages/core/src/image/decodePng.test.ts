import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeGreyPng } from './decodePng.ts';
import { encodePng } from './encodePng.ts';

describe('decodeGreyPng', () => {
  it('reads back what encodePng wrote for a grey image at scale 1, mapped onto the range', () => {
    const values = Float32Array.from({ length: 12 }, (_, i) => i / 11);
    const png = encodePng(values, { shape: [3, 4], scale: 1, range: [0, 1] });
    const back = decodeGreyPng(png, { height: 3, width: 4 });
    for (const [i, v] of values.entries()) expect(back[i]).toBeCloseTo(Math.round(v * 255) / 255, 6);
    const signed = decodeGreyPng(png, { height: 3, width: 4 }, [-1, 1]);
    for (const [i, v] of back.entries()) expect(signed[i]).toBeCloseTo(-1 + 2 * v, 6);
  });

  it('weighs colour by luminance and alpha, and refuses another size', () => {
    const png = new PNG({ width: 2, height: 1 });
    png.data = Buffer.from([255, 0, 0, 255, 255, 255, 255, 0]);
    const bytes = PNG.sync.write(png);
    expect(Array.from(decodeGreyPng(bytes, { height: 1, width: 2 }))).toEqual([expect.closeTo(0.299, 5), 0]);
    expect(() => decodeGreyPng(bytes, { height: 2, width: 2 })).toThrow(/2×1; 2×2 is needed/);
  });
});
