import { PNG } from 'pngjs';
import { type ImageOptions, rasterize } from './rasterize.ts';

/**
 * An input (flat, channels last) as a PNG, upscaled by nearest neighbour: grayscale for values in a
 * known range, blue–white–red for signed single-channel values (see chooseMapping).
 */
export function encodePng(values: ArrayLike<number>, options: ImageOptions): Uint8Array {
  const raster = rasterize(values, options);
  const png = new PNG({ width: raster.width, height: raster.height });
  png.data = Buffer.from(raster.rgba.buffer, raster.rgba.byteOffset, raster.rgba.byteLength);
  // Gray images store one byte per pixel; colour ones three (the alpha channel is always opaque).
  return PNG.sync.write(png, { colorType: raster.gray ? 0 : 2, inputColorType: 6, inputHasAlpha: true });
}

/** The same PNG as a `data:` URL, for embedding in HTML or JSON. */
export function pngDataUrl(values: ArrayLike<number>, options: ImageOptions): string {
  return `data:image/png;base64,${Buffer.from(encodePng(values, options)).toString('base64')}`;
}
