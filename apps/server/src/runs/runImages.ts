import { pngDataUrl } from '@argmax/core';

/**
 * Live frames and stored snapshots as PNG data URLs at 1 pixel per input: a 28×28 frame is ~0.5 KB, and
 * clients upscale it themselves (CSS `image-rendering: pixelated`), which keeps 100 subscribers cheap.
 */
export function inputToPngDataUrl(
  input: ArrayLike<number>,
  inputShape: readonly number[],
  range: [number, number],
): string | null {
  const shape = inputShape.length === 3 && inputShape[2] !== 1 && inputShape[2] !== 3 ? null : inputShape;
  if (!shape || shape.length < 2) return null;
  return pngDataUrl(input, { shape, range });
}
