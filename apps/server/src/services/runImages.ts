import { pngDataUrl } from '@argmax/core/image/encodePng';

/** Live frames and stored snapshots as PNG data URLs; 28×28 inputs are drawn at 4× for the dashboard. */
export function inputToPngDataUrl(
  input: ArrayLike<number>,
  inputShape: readonly number[],
  range: [number, number],
): string | null {
  const shape = inputShape.length === 3 && inputShape[2] !== 1 && inputShape[2] !== 3 ? null : inputShape;
  if (!shape || shape.length < 2) return null;
  const scale = Math.max(1, Math.min(8, Math.floor(112 / (shape[0] ?? 112))));
  return pngDataUrl(input, { shape, scale, range });
}
