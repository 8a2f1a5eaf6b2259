import { describe, expect, it } from 'vitest';
import { negativeColor, positiveColor } from './colormap.ts';
import { encodeGif } from './encodeGif.ts';

interface GifFrame {
  delayMs: number;
  width: number;
  height: number;
  /** Colours of the decoded pixels, row-major. */
  pixels: number[][];
}

/** A minimal GIF89a reader (global palette, LZW), enough to check what encodeGif wrote. */
function readGif(bytes: Uint8Array) {
  const header = new TextDecoder().decode(bytes.subarray(0, 6));
  const width = bytes[6]! | (bytes[7]! << 8);
  const height = bytes[8]! | (bytes[9]! << 8);
  const flags = bytes[10]!;
  let at = 13;
  const palette: number[][] = [];
  if (flags & 0x80) {
    const size = 2 << (flags & 7);
    for (let i = 0; i < size; i++) palette.push(Array.from(bytes.subarray(at + i * 3, at + i * 3 + 3)));
    at += size * 3;
  }
  const subBlocks = () => {
    const parts: number[] = [];
    for (let n = bytes[at++]!; n > 0; n = bytes[at++]!) {
      parts.push(...bytes.subarray(at, at + n));
      at += n;
    }
    return Uint8Array.from(parts);
  };
  const frames: GifFrame[] = [];
  let delayMs = 0;
  let repeat: number | undefined;
  for (;;) {
    const block = bytes[at++];
    if (block === 0x3b) break;
    if (block === 0x21) {
      const label = bytes[at++];
      const data = subBlocks();
      if (label === 0xf9) delayMs = (data[1]! | (data[2]! << 8)) * 10;
      if (label === 0xff) repeat = data[12]! | (data[13]! << 8);
    } else if (block === 0x2c) {
      const w = bytes[at + 4]! | (bytes[at + 5]! << 8);
      const h = bytes[at + 6]! | (bytes[at + 7]! << 8);
      expect(bytes[at + 8]! & 0x80).toBe(0); // no local palette: frames share the global one
      at += 9;
      const minCodeSize = bytes[at++]!;
      const indices = lzwDecode(subBlocks(), minCodeSize, w * h);
      frames.push({ delayMs, width: w, height: h, pixels: Array.from(indices, (i) => palette[i]!) });
    } else {
      throw new Error(`unexpected block 0x${block?.toString(16)} at ${at - 1}`);
    }
  }
  return { header, width, height, palette, frames, repeat };
}

function lzwDecode(data: Uint8Array, minCodeSize: number, count: number): number[] {
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  let size = minCodeSize + 1;
  let dict: number[][] = [];
  const reset = () => {
    dict = Array.from({ length: clear + 2 }, (_, i) => [i]);
    size = minCodeSize + 1;
  };
  reset();
  const out: number[] = [];
  let previous: number[] | undefined;
  let bit = 0;
  while (out.length < count && bit + size <= data.length * 8) {
    let code = 0;
    for (let i = 0; i < size; i++, bit++) code |= ((data[bit >> 3]! >> (bit & 7)) & 1) << i;
    if (code === clear) {
      reset();
      previous = undefined;
      continue;
    }
    if (code === end) break;
    const entry = dict[code] ?? [...previous!, previous![0]!];
    out.push(...entry);
    if (previous) dict.push([...previous, entry[0]!]);
    previous = entry;
    if (dict.length === 1 << size && size < 12) size++;
  }
  return out;
}

describe('encodeGif', () => {
  it('writes one frame per step, upscaled, with the delay and looping', () => {
    const steps = [
      [0, 0, 0, 0],
      [0, 1, 0, 0],
      [1, 1, 0.5, 0],
    ];
    const gif = readGif(encodeGif(steps, { shape: [2, 2], range: [0, 1], scale: 2, delayMs: 250 }));
    expect(gif.header).toBe('GIF89a');
    expect([gif.width, gif.height]).toEqual([4, 4]);
    expect(gif.repeat).toBe(0);
    expect(gif.frames).toHaveLength(3);
    for (const frame of gif.frames) {
      expect([frame.width, frame.height, frame.delayMs]).toEqual([4, 4, 250]);
    }
    const last = gif.frames[2]!.pixels;
    expect(last[0]).toEqual([255, 255, 255]);
    expect(last[2 * 4 + 0]).toEqual([128, 128, 128]);
    expect(last[3 * 4 + 3]).toEqual([0, 0, 0]);
    expect(gif.frames[1]!.pixels[1 * 4 + 3]).toEqual([255, 255, 255]);
    expect(gif.frames[0]!.pixels.every((p) => p.join() === '0,0,0')).toBe(true);
  });

  it('uses one diverging scale for all frames of signed data', () => {
    // Frame 1 alone would span ±0.5; on the shared scale (±2) its 0.5 is pale, not full red.
    const gif = readGif(
      encodeGif(
        [
          [-2, 0, 2],
          [0, 0.5, 0],
        ],
        { shape: [1, 3] },
      ),
    );
    expect(gif.frames[0]!.pixels).toEqual([[...negativeColor], [255, 255, 255], [...positiveColor]]);
    const pale = gif.frames[1]!.pixels[1]!;
    pale.forEach((c, i) => {
      expect(Math.abs(c - (255 + 0.25 * (positiveColor[i]! - 255)))).toBeLessThanOrEqual(2);
    });
  });

  it('quantises RGB frames to one palette', () => {
    const red = [1, 0, 0];
    const blue = [0, 0, 1];
    const gif = readGif(
      encodeGif(
        [
          [...red, ...blue],
          [...blue, ...red],
        ],
        { shape: [1, 2, 3], range: [0, 1] },
      ),
    );
    expect(gif.frames[0]!.pixels).toEqual([
      [255, 0, 0],
      [0, 0, 255],
    ]);
    expect(gif.frames[1]!.pixels).toEqual([
      [0, 0, 255],
      [255, 0, 0],
    ]);
  });

  it('rejects no frames, frames of the wrong size and NaN, naming the argument', () => {
    expect(() => encodeGif([], { shape: [1, 2] })).toThrow(/^frames: /);
    expect(() => encodeGif([[0, 1], [0]], { shape: [1, 2] })).toThrow(
      /values.length: received 1; expected 2/,
    );
    expect(() => encodeGif([[0, Number.NaN]], { shape: [1, 2] })).toThrow(/frame 0: 1 value/);
    expect(() => encodeGif([[0, 1]], { shape: [1, 2], delayMs: -1 })).toThrow(/^delayMs: /);
  });
});
