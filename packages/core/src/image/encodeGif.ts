import * as gifencModule from 'gifenc';
import { assertFinite, InvalidArgumentError } from '../errors.ts';
import { chooseMapping, paletteOf } from './colormap.ts';
import { type ImageOptions, imageGeometry, levels, rasterize, upscale } from './rasterize.ts';

// Node loads gifenc's CommonJS build (everything under `default`), bundlers its ESM build (named).
const gifenc = (gifencModule.GIFEncoder ? gifencModule : gifencModule.default) as gifencModule.Gifenc;

export interface GifOptions extends ImageOptions {
  /** Display time of each frame in milliseconds (default 100; GIF stores hundredths of a second). */
  delayMs?: number;
  /** 0 (default): loop forever; −1: play once; n: repeat n times. */
  repeat?: number;
}

const maxFrames = 2000;

/**
 * The inputs of a run's steps (e.g. the `input` snapshots of its StepEvents) as an animated GIF. One
 * colour mapping covers every frame, so a colour means the same value throughout the animation.
 */
export function encodeGif(frames: readonly ArrayLike<number>[], options: GifOptions): Uint8Array {
  if (frames.length === 0 || frames.length > maxFrames) {
    throw new InvalidArgumentError('frames', `${frames.length} frames`, `1 to ${maxFrames} frames`);
  }
  const delay = options.delayMs ?? 100;
  if (!(Number.isFinite(delay) && delay >= 0 && delay <= 655_350)) {
    throw new InvalidArgumentError('delayMs', delay, 'milliseconds from 0 to 655350');
  }
  const repeat = options.repeat ?? 0;
  if (!Number.isInteger(repeat) || repeat < -1 || repeat > 65_535) {
    throw new InvalidArgumentError('repeat', repeat, 'an integer from -1 (once) to 65535; 0 loops forever');
  }
  const geometry = imageGeometry(frames[0]!.length, options);
  frames.forEach((frame, i) => {
    imageGeometry(frame.length, options);
    assertFinite(frame, `frame ${i}`);
  });
  const { width, height, channels, scale } = geometry;
  const mapping = chooseMapping(frames, channels, options);

  let palette: number[][];
  let indexed: Uint8Array[];
  if (channels === 1) {
    palette = paletteOf(mapping).map((rgb) => [...rgb]);
    indexed = frames.map((frame) => levels(frame, mapping));
  } else {
    // Quantise all frames together: one global palette keeps colours stable between frames.
    const rasters = frames.map((frame) => rasterize(frame, { ...options, scale: 1 }, mapping).rgba);
    const all = new Uint8Array(rasters.length * width * height * 4);
    rasters.forEach((rgba, i) => {
      all.set(rgba, i * rgba.length);
    });
    palette = gifenc.quantize(all, 256);
    indexed = rasters.map((rgba) => gifenc.applyPalette(rgba, palette));
  }

  const gif = gifenc.GIFEncoder();
  indexed.forEach((index, i) => {
    // The palette goes once, as the global colour table; later frames use it too.
    gif.writeFrame(upscale(index, width, height, 1, scale), width * scale, height * scale, {
      ...(i === 0 ? { palette } : {}),
      delay,
      repeat,
    });
  });
  gif.finish();
  return gif.bytes();
}
