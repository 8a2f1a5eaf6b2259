/**
 * Plain-loop forward operations (channels-last, batch of one) for checking imported models against
 * an independent computation. Written for clarity, not speed. Test support only.
 */
export interface Image {
  height: number;
  width: number;
  channels: number;
  data: Float32Array;
}

export function dense(x: Float32Array, kernel: Float32Array, bias: Float32Array): Float32Array {
  const units = bias.length;
  const out = new Float32Array(units);
  for (let j = 0; j < units; j++) {
    let sum = bias[j] as number;
    for (let i = 0; i < x.length; i++) sum += (x[i] as number) * (kernel[i * units + j] as number);
    out[j] = sum;
  }
  return out;
}

/** Keras Conv2D, padding 'valid', stride 1; kernel [kh, kw, in, out]. */
export function conv2dValid(
  x: Image,
  kernel: Float32Array,
  kh: number,
  kw: number,
  bias: Float32Array,
): Image {
  const filters = bias.length;
  const height = x.height - kh + 1;
  const width = x.width - kw + 1;
  const data = new Float32Array(height * width * filters);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++)
      for (let f = 0; f < filters; f++) {
        let sum = bias[f] as number;
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++)
            for (let ch = 0; ch < x.channels; ch++)
              sum +=
                (x.data[((r + i) * x.width + (c + j)) * x.channels + ch] as number) *
                (kernel[((i * kw + j) * x.channels + ch) * filters + f] as number);
        data[(r * width + c) * filters + f] = sum;
      }
  return { height, width, channels: filters, data };
}

/** Keras MaxPooling2D(2), padding 'valid'. */
export function maxPool2(x: Image): Image {
  const height = Math.floor(x.height / 2);
  const width = Math.floor(x.width / 2);
  const data = new Float32Array(height * width * x.channels);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++)
      for (let ch = 0; ch < x.channels; ch++) {
        let best = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 2; j++)
            best = Math.max(best, x.data[((2 * r + i) * x.width + (2 * c + j)) * x.channels + ch] as number);
        data[(r * width + c) * x.channels + ch] = best;
      }
  return { height, width, channels: x.channels, data };
}

export function relu(x: Float32Array): Float32Array {
  return x.map((v) => Math.max(0, v));
}

export function softmax(x: Float32Array): Float32Array {
  const max = Math.max(...x);
  const exp = x.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / sum);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}
