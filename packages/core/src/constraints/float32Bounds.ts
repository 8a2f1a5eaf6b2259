import type { Bounds } from './box.ts';

/** Bounds as float32 values rounded inward, so clipping a float32 tensor to them never steps outside. */
export interface Bounds32 {
  lo: Float32Array;
  hi: Float32Array;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The next float32 after `v` towards +∞ (`up`) or −∞. */
function nextFloat32(v: number, up: boolean): number {
  f32[0] = v;
  if (v === 0) return up ? 1.401298464324817e-45 : -1.401298464324817e-45;
  i32[0] = i32[0]! + (v > 0 === up ? 1 : -1);
  return f32[0]!;
}

export function boundsToFloat32({ lo, hi }: Bounds): Bounds32 {
  const lo32 = new Float32Array(lo.length);
  const hi32 = new Float32Array(hi.length);
  for (let i = 0; i < lo.length; i++) {
    let l = Math.fround(lo[i]!);
    if (l < lo[i]!) l = nextFloat32(l, true);
    let h = Math.fround(hi[i]!);
    if (h > hi[i]!) h = nextFloat32(h, false);
    // A pinned input whose value float32 cannot hold: the nearest float32 (off by < 1e-7 relative).
    if (l > h) l = h = Math.fround(lo[i]!);
    lo32[i] = l;
    hi32[i] = h;
  }
  return { lo: lo32, hi: hi32 };
}
