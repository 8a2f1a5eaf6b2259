import { InvalidArgumentError } from '../errors.ts';

export type Rgb = readonly [number, number, number];

/**
 * How values become colours: `linear` maps [lo, hi] to black…white per channel (grayscale or RGB);
 * `diverging` maps [−limit, limit] to blue…white…red, for signed inputs such as perturbations.
 */
export type ValueMapping = { kind: 'linear'; lo: number; hi: number } | { kind: 'diverging'; limit: number };

export interface MappingOptions {
  /** Known range `[lo, hi]` of the values (e.g. the optimisation box). */
  range?: readonly [number, number];
  /** 'auto' (default): diverging for single-channel signed data, linear otherwise. */
  colormap?: 'auto' | 'gray' | 'diverging';
}

// Ends of ColorBrewer's RdBu scheme: readable on screen and in print, symmetric in lightness.
export const negativeColor: Rgb = [33, 102, 172];
export const zeroColor: Rgb = [255, 255, 255];
export const positiveColor: Rgb = [178, 24, 43];

/**
 * Chooses the mapping once for all the values an image (or every frame of a GIF) shows, so colours
 * mean the same across frames. Without a range: [0, 1] when the values fit in it, diverging around 0
 * when single-channel values are negative, else [min, max].
 */
export function chooseMapping(
  frames: readonly ArrayLike<number>[],
  channels: number,
  options: MappingOptions,
): ValueMapping {
  const colormap = options.colormap ?? 'auto';
  if (colormap !== 'auto' && colormap !== 'gray' && colormap !== 'diverging') {
    throw new InvalidArgumentError('colormap', colormap, "'auto', 'gray' or 'diverging'");
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const frame of frames) {
    for (let i = 0; i < frame.length; i++) {
      const v = frame[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const range = options.range;
  if (range && !(Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] < range[1])) {
    throw new InvalidArgumentError('range', `[${range[0]}, ${range[1]}]`, '[lo, hi] with finite lo < hi');
  }
  const signed = range ? range[0] < 0 && range[1] > 0 : min < 0;
  if (colormap === 'diverging' || (colormap === 'auto' && signed && channels === 1)) {
    if (channels !== 1) {
      throw new InvalidArgumentError('colormap', colormap, "'gray' or 'auto' for 3-channel images");
    }
    const limit = range ? Math.max(Math.abs(range[0]), Math.abs(range[1])) : Math.max(-min, max);
    return { kind: 'diverging', limit: limit > 0 ? limit : 1 };
  }
  if (range) return { kind: 'linear', lo: range[0], hi: range[1] };
  if (min >= 0 && max <= 1) return { kind: 'linear', lo: 0, hi: 1 };
  return { kind: 'linear', lo: min, hi: max > min ? max : min + 1 };
}

/** 0…255 for `value` in [lo, hi], clamped. */
export function linearLevel(value: number, lo: number, hi: number): number {
  const t = (value - lo) / (hi - lo);
  return Math.round(255 * Math.min(1, Math.max(0, t)));
}

/** Palette position 0…255 of `value` on the diverging scale (0 lands on 128, white). */
export function divergingLevel(value: number, limit: number): number {
  const t = Math.min(1, Math.max(-1, value / limit));
  return 128 + Math.round(t * (t < 0 ? 128 : 127));
}

/** The colour of diverging level 0…255: blue at 0, white at 128, red at 255. */
export function divergingColor(level: number): Rgb {
  const t = level < 128 ? (128 - level) / 128 : (level - 128) / 127;
  const end = level < 128 ? negativeColor : positiveColor;
  const channel = (c: 0 | 1 | 2) => Math.round(zeroColor[c] + (end[c] - zeroColor[c]) * t);
  return [channel(0), channel(1), channel(2)];
}

/** The 256-colour palette of a single-channel mapping (gray ramp or diverging scale). */
export function paletteOf(mapping: ValueMapping): Rgb[] {
  return Array.from({ length: 256 }, (_, level) =>
    mapping.kind === 'diverging' ? divergingColor(level) : ([level, level, level] as const),
  );
}
