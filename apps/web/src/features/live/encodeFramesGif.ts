import { applyPalette, GIFEncoder, quantize } from 'gifenc';

/** Decodes a PNG data URL into RGBA pixels, upscaled by `scale` with nearest-neighbour sampling. */
export async function decodeImage(dataUrl: string, scale: number): Promise<ImageData> {
  const img = new Image();
  img.src = dataUrl;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth * scale;
  canvas.height = img.naturalHeight * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gives no 2D canvas, so the GIF cannot be drawn');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

/** Frames (same size) as a looping GIF; one palette for all so colours stay put between frames. */
export function encodeFramesGif(frames: readonly ImageData[], delayMs = 80): Uint8Array {
  const first = frames[0];
  if (!first) throw new Error('no frames to put in the GIF');
  const all = new Uint8ClampedArray(frames.length * first.data.length);
  frames.forEach((f, i) => {
    all.set(f.data, i * first.data.length);
  });
  const palette = quantize(all, 256);
  const gif = GIFEncoder();
  frames.forEach((f, i) => {
    const last = i === frames.length - 1;
    gif.writeFrame(applyPalette(f.data, palette), f.width, f.height, {
      ...(i === 0 ? { palette, repeat: 0 } : {}),
      delay: last ? delayMs * 10 : delayMs,
    });
  });
  gif.finish();
  return gif.bytes();
}
