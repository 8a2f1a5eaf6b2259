import { assertFinite, InvalidArgumentError } from '../errors.ts';
import {
  chooseMapping,
  divergingLevel,
  linearLevel,
  type MappingOptions,
  paletteOf,
  type ValueMapping,
} from './colormap.ts';

export interface ImageOptions extends MappingOptions {
  /** `[H, W]`, `[H, W, 1]` or `[H, W, 3]` (channels last, the model's input order). */
  shape: readonly number[];
  /** Integer nearest-neighbour upscaling factor, 1…64 (default 1). */
  scale?: number;
}

export interface ImageGeometry {
  height: number;
  width: number;
  channels: 1 | 3;
  scale: number;
}

const maxScale = 64;
const maxPixels = 1 << 24;

/** Validates shape and scale against the number of values; errors name the argument. */
export function imageGeometry(length: number, options: ImageOptions): ImageGeometry {
  const { shape } = options;
  const [height, width, channels = 1] = shape;
  const positive = (d: number | undefined) => Number.isInteger(d) && (d as number) > 0;
  if (shape.length < 2 || shape.length > 3 || !positive(height) || !positive(width) || !positive(channels)) {
    throw new InvalidArgumentError('shape', `[${shape.join(', ')}]`, '[H, W], [H, W, 1] or [H, W, 3]');
  }
  if (channels !== 1 && channels !== 3) {
    throw new InvalidArgumentError('shape', `[${shape.join(', ')}]`, '1 or 3 channels (last dim)');
  }
  if (height! * width! * channels !== length) {
    throw new InvalidArgumentError(
      'values.length',
      length,
      `${height! * width! * channels} (shape [${shape.join(', ')}])`,
    );
  }
  const scale = options.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1 || scale > maxScale) {
    throw new InvalidArgumentError('scale', scale, `an integer from 1 to ${maxScale}`);
  }
  if (height! * width! * scale * scale > maxPixels) {
    throw new InvalidArgumentError('scale', scale, `at most ${maxPixels} output pixels`);
  }
  return { height: height!, width: width!, channels, scale };
}

/** One palette level (0…255) per pixel at scale 1, for single-channel images. */
export function levels(values: ArrayLike<number>, mapping: ValueMapping): Uint8Array {
  return Uint8Array.from(values as ArrayLike<number>, (v) =>
    mapping.kind === 'diverging' ? divergingLevel(v, mapping.limit) : linearLevel(v, mapping.lo, mapping.hi),
  );
}

/** Repeats each pixel `scale`×`scale` times (nearest neighbour); `stride` bytes per pixel. */
export function upscale(
  pixels: Uint8Array,
  width: number,
  height: number,
  stride: number,
  scale: number,
): Uint8Array {
  if (scale === 1) return pixels;
  const outWidth = width * scale;
  const out = new Uint8Array(outWidth * height * scale * stride);
  for (let y = 0; y < height * scale; y++) {
    const sy = Math.floor(y / scale);
    for (let x = 0; x < outWidth; x++) {
      const from = (sy * width + Math.floor(x / scale)) * stride;
      const to = (y * outWidth + x) * stride;
      for (let c = 0; c < stride; c++) out[to + c] = pixels[from + c]!;
    }
  }
  return out;
}

export interface Raster {
  width: number;
  height: number;
  /** RGBA, row-major, alpha always 255. */
  rgba: Uint8Array;
  mapping: ValueMapping;
  /** True when every pixel is gray (r = g = b): single-channel linear mapping. */
  gray: boolean;
}

/** Values → upscaled RGBA pixels, with the mapping chosen for them (or for `frames` when given). */
export function rasterize(values: ArrayLike<number>, options: ImageOptions, mapping?: ValueMapping): Raster {
  const geometry = imageGeometry(values.length, options);
  assertFinite(values, 'image values');
  const { width, height, channels, scale } = geometry;
  const chosen = mapping ?? chooseMapping([values], channels, options);
  const rgba = new Uint8Array(width * height * 4);
  if (channels === 1) {
    const palette = paletteOf(chosen);
    levels(values, chosen).forEach((level, p) => {
      rgba.set(palette[level]!, p * 4);
      rgba[p * 4 + 3] = 255;
    });
  } else {
    if (chosen.kind !== 'linear') throw new InvalidArgumentError('colormap', 'diverging', 'gray for RGB');
    for (let p = 0; p < width * height; p++) {
      for (let c = 0; c < 3; c++) rgba[p * 4 + c] = linearLevel(values[p * 3 + c]!, chosen.lo, chosen.hi);
      rgba[p * 4 + 3] = 255;
    }
  }
  return {
    width: width * scale,
    height: height * scale,
    rgba: upscale(rgba, width, height, 4, scale),
    mapping: chosen,
    gray: channels === 1 && chosen.kind === 'linear',
  };
}
