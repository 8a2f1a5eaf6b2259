/**
 * RGBA pixels (already resized to the model's width × height) as a flat model input, channels last:
 * one channel → luminance, three → RGB; 0..255 mapped onto the box [lo, hi]. Transparent pixels count as
 * black, like the dark background of MNIST-style images; `invert` suits dark-on-light drawings.
 */
export function rgbaToInput(
  rgba: ArrayLike<number>,
  pixels: number,
  channels: number,
  range: readonly [number, number],
  invert = false,
): number[] {
  if (channels !== 1 && channels !== 3)
    throw new Error(`reference images need 1 or 3 channels; this model's input has ${channels}`);
  if (rgba.length !== pixels * 4)
    throw new Error(`expected ${pixels * 4} RGBA values; received ${rgba.length}`);
  const [lo, hi] = range;
  const out: number[] = [];
  const put = (byte: number, alpha: number) => {
    const v = (byte / 255) * (alpha / 255);
    out.push(lo + (invert ? 1 - v : v) * (hi - lo));
  };
  for (let p = 0; p < pixels; p++) {
    const r = rgba[p * 4]!;
    const g = rgba[p * 4 + 1]!;
    const b = rgba[p * 4 + 2]!;
    const a = rgba[p * 4 + 3]!;
    if (channels === 1) put(0.299 * r + 0.587 * g + 0.114 * b, a);
    else for (const c of [r, g, b]) put(c, a);
  }
  return out;
}

/** The model input as RGBA for a preview: the reverse mapping (first channel as grey when not RGB). */
export function inputToRgba(
  input: readonly number[],
  pixels: number,
  channels: number,
  range: readonly [number, number],
) {
  const [lo, hi] = range;
  const rgba = new Uint8ClampedArray(pixels * 4);
  const byte = (v: number) => Math.round(((v - lo) / (hi - lo || 1)) * 255);
  for (let p = 0; p < pixels; p++) {
    const base = p * channels;
    const [r, g, b] =
      channels === 3
        ? [input[base]!, input[base + 1]!, input[base + 2]!]
        : [input[base]!, input[base]!, input[base]!];
    rgba.set([byte(r), byte(g), byte(b), 255], p * 4);
  }
  return rgba;
}

/** Height, width and channels of an image-like input shape ([H, W] or [H, W, C]); null otherwise. */
export function imageShape(
  inputShape: readonly number[],
): { height: number; width: number; channels: number } | null {
  const [height, width, channels = 1] = inputShape;
  if (!height || !width || inputShape.length > 3) return null;
  return { height, width, channels };
}
