/**
 * A sample of real inputs to build a prior from: any source (a built-in dataset, a team's upload)
 * becomes this plain array. Values are the model's input values (pixels in [0, 1] for the datasets).
 */
export interface ImageSample {
  /** `count * size` values, example after example, in the model's flat input order. */
  values: Float32Array;
  count: number;
  /** Values per example. */
  size: number;
  /** Input shape without the batch axis (its product is `size`), e.g. [28, 28, 1]. */
  shape: number[];
  /** Class index per example, when known (needed for the judges and class references). */
  labels?: Uint8Array;
}

/** Example `i` of the sample (a view, no copy). */
export function exampleOf(sample: ImageSample, i: number): Float32Array {
  return sample.values.subarray(i * sample.size, (i + 1) * sample.size);
}

/** Bytes 0..255 as pixels in [0, 1] (byte / 255, the seed models' scaling). */
export function bytesToSample(
  bytes: Uint8Array,
  count: number,
  shape: number[],
  labels?: Uint8Array,
): ImageSample {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(count * size);
  for (let i = 0; i < values.length; i++) values[i] = bytes[i]! / 255;
  return { values, count, size, shape: [...shape], ...(labels ? { labels: labels.subarray(0, count) } : {}) };
}

/** At most `limit` examples, evenly spaced (class-sorted data keeps every class); the whole sample when smaller. */
export function evenlySpaced(sample: ImageSample, limit: number): ImageSample {
  if (sample.count <= limit) return sample;
  const values = new Float32Array(limit * sample.size);
  const labels = sample.labels ? new Uint8Array(limit) : undefined;
  for (let i = 0; i < limit; i++) {
    const from = Math.floor((i * sample.count) / limit);
    values.set(exampleOf(sample, from), i * sample.size);
    if (labels) labels[i] = sample.labels![from]!;
  }
  return { ...sample, values, count: limit, ...(labels ? { labels } : {}) };
}
