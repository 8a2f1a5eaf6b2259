import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { negativeColor, positiveColor } from './colormap.ts';
import { encodePng, pngDataUrl } from './encodePng.ts';

const decode = (bytes: Uint8Array) => PNG.sync.read(Buffer.from(bytes));
const pixel = (png: PNG, x: number, y: number) => {
  const at = (y * png.width + x) * 4;
  return Array.from(png.data.subarray(at, at + 4));
};

describe('encodePng', () => {
  it('draws values in a known range as gray, upscaled by nearest neighbour', () => {
    const png = decode(encodePng([0, 0.5, 1, 0.25], { shape: [2, 2], range: [0, 1], scale: 3 }));
    expect([png.width, png.height]).toEqual([6, 6]);
    // Each input pixel fills a 3×3 block, with no blending at the block edges.
    for (const [x, y] of [
      [0, 0],
      [2, 2],
    ])
      expect(pixel(png, x!, y!)).toEqual([0, 0, 0, 255]);
    for (const [x, y] of [
      [3, 0],
      [5, 2],
    ])
      expect(pixel(png, x!, y!)).toEqual([128, 128, 128, 255]);
    expect(pixel(png, 0, 3)).toEqual([255, 255, 255, 255]);
    expect(pixel(png, 5, 5)).toEqual([64, 64, 64, 255]);
  });

  it('keeps the model input order: row-major, rows top to bottom', () => {
    const png = decode(encodePng([1, 0, 0, 0, 0, 0], { shape: [2, 3, 1], range: [0, 1] }));
    expect([png.width, png.height]).toEqual([3, 2]);
    expect(pixel(png, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(png, 2, 0)).toEqual([0, 0, 0, 255]);
    expect(pixel(png, 0, 1)).toEqual([0, 0, 0, 255]);
  });

  it('clamps values outside the range instead of wrapping', () => {
    const png = decode(encodePng([-3, 7], { shape: [1, 2], range: [0, 1] }));
    expect([...pixel(png, 0, 0), ...pixel(png, 1, 0)]).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });

  it('draws signed values blue–white–red, symmetric around 0', () => {
    const png = decode(encodePng([-2, -1, 0, 1, 2], { shape: [1, 5] }));
    expect(pixel(png, 0, 0)).toEqual([...negativeColor, 255]);
    expect(pixel(png, 2, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(png, 4, 0)).toEqual([...positiveColor, 255]);
    const [r1, , b1] = pixel(png, 1, 0);
    const [r3, , b3] = pixel(png, 3, 0);
    expect(b1!).toBeGreaterThan(r1!);
    expect(r3!).toBeGreaterThan(b3!);
    // Halfway to the ends: lighter than the ends, darker than white.
    expect(r3!).toBeLessThan(255);
    expect(r3!).toBeGreaterThan(positiveColor[0]);
  });

  it('uses the diverging map for a signed range even when the values happen to be positive', () => {
    const png = decode(encodePng([0, 0.5], { shape: [1, 2], range: [-0.5, 0.5] }));
    expect(pixel(png, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(png, 1, 0)).toEqual([...positiveColor, 255]);
  });

  it('draws 3-channel inputs as RGB', () => {
    const png = decode(encodePng([1, 0, 0, 0, 0.5, 1], { shape: [1, 2, 3], range: [0, 1], scale: 2 }));
    expect([png.width, png.height]).toEqual([4, 2]);
    expect(pixel(png, 1, 1)).toEqual([255, 0, 0, 255]);
    expect(pixel(png, 2, 0)).toEqual([0, 128, 255, 255]);
  });

  it('rejects bad shapes, scales, ranges and NaN, naming the argument', () => {
    expect(() => encodePng([1, 2, 3], { shape: [2, 2] })).toThrow(/values.length: received 3; expected 4/);
    expect(() => encodePng([1, 2], { shape: [2] })).toThrow(/^shape: /);
    expect(() => encodePng([1, 2, 3, 4], { shape: [1, 2, 2] })).toThrow(/shape: .*1 or 3 channels/);
    expect(() => encodePng([1, 2], { shape: [1, 2], scale: 1.5 })).toThrow(/scale: received 1.5/);
    expect(() => encodePng([1, 2], { shape: [1, 2], range: [1, 0] })).toThrow(/range: /);
    expect(() => encodePng([1, Number.NaN], { shape: [1, 2] })).toThrow(/NaN/);
  });

  it('makes a data URL holding the same PNG', () => {
    const url = pngDataUrl([0, 1], { shape: [1, 2], range: [0, 1] });
    expect(url).toMatch(/^data:image\/png;base64,/);
    const png = decode(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
    expect(pixel(png, 1, 0)).toEqual([255, 255, 255, 255]);
  });
});
