import type { ImageSplit } from '../data/dataset.ts';

const byteToUnit = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/**
 * Fills `x` (`[n, features]`, pixels scaled to [0, 1]) and optionally `xT` (`[features, n]`) and
 * `labels` with the examples `order[start .. start+n)` of `split`. Returns n (the last batch of an
 * epoch may be short).
 */
export function fillBatch(
  split: ImageSplit,
  order: Uint32Array,
  start: number,
  batchSize: number,
  x: Float32Array,
  labels: Int32Array,
  xT?: Float32Array,
): number {
  const features = split.images.length / split.count;
  const n = Math.min(batchSize, order.length - start);
  for (let i = 0; i < n; i++) {
    const example = order[start + i]!;
    const offset = example * features;
    labels[i] = split.labels[example]!;
    for (let f = 0; f < features; f++) x[i * features + f] = byteToUnit[split.images[offset + f]!]!;
  }
  if (xT)
    for (let f = 0; f < features; f++) {
      const row = f * n;
      for (let i = 0; i < n; i++) xT[row + i] = x[i * features + f]!;
    }
  return n;
}
