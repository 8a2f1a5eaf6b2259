// gifenc ships no types. Its CommonJS build (what Node loads) exports these under `default`, its ESM
// build (what bundlers load) as named exports; encodeGif.ts accepts either.
declare module 'gifenc' {
  export type Palette = number[][];

  export interface GifEncoder {
    writeFrame(
      index: Uint8Array,
      width: number,
      height: number,
      options?: {
        palette?: Palette;
        delay?: number;
        repeat?: number;
        transparent?: boolean;
        dispose?: number;
      },
    ): void;
    finish(): void;
    bytes(): Uint8Array;
  }

  export interface Gifenc {
    GIFEncoder(options?: { initialCapacity?: number; auto?: boolean }): GifEncoder;
    quantize(
      rgba: Uint8Array | Uint8ClampedArray,
      maxColors: number,
      options?: { format?: 'rgb565' | 'rgb444' | 'rgba4444' },
    ): Palette;
    applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette, format?: string): Uint8Array;
  }

  export const GIFEncoder: Gifenc['GIFEncoder'] | undefined;
  const gifenc: Gifenc | Gifenc['GIFEncoder'];
  export default gifenc;
}
