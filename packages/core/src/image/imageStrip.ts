/**
 * Images of one shape `[H, W, C]` (flat, channels last) side by side, left to right, `gap` columns of
 * `fill` between them: one image of shape `[H, n·W + (n − 1)·gap, C]` (a strip PNG of several answers).
 */
export function imageStrip(
  images: ArrayLike<number>[],
  shape: readonly number[],
  gap: number,
  fill: number,
): { values: Float32Array; shape: number[] } {
  const [height, width, channels = 1] = shape as [number, number, number?];
  const n = images.length;
  const stripWidth = n * width + Math.max(0, n - 1) * gap;
  const values = new Float32Array(height * stripWidth * channels).fill(fill);
  images.forEach((image, i) => {
    const left = i * (width + gap);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let c = 0; c < channels; c++)
          values[(y * stripWidth + left + x) * channels + c] = image[(y * width + x) * channels + c]!;
  });
  return { values, shape: shape.length === 3 ? [height, stripWidth, channels] : [height, stripWidth] };
}
