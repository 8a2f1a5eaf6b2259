import { PNG } from 'pngjs';

/**
 * A PNG as a flat grey input of `height × width` values, bytes 0–255 mapped onto `range` (luminance
 * times alpha: transparent pixels count as black, the dark background of MNIST-style images). The
 * inverse of encodePng for a grey image at scale 1; no resizing, so a wrong size is an error.
 */
export function decodeGreyPng(
  bytes: Uint8Array,
  size: { height: number; width: number },
  range: readonly [number, number] = [0, 1],
): Float32Array {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (png.width !== size.width || png.height !== size.height)
    throw new Error(`the image is ${png.width}×${png.height}; ${size.width}×${size.height} is needed`);
  const [lo, hi] = range;
  const out = new Float32Array(png.width * png.height);
  for (let p = 0; p < out.length; p++) {
    const [r, g, b, a] = png.data.subarray(p * 4, p * 4 + 4);
    const grey = (0.299 * r! + 0.587 * g! + 0.114 * b!) / 255;
    out[p] = lo + grey * (a! / 255) * (hi - lo);
  }
  return out;
}
