import { describe, expect, it } from 'vitest';
import { Prng } from './prng.ts';

describe('Prng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const sa = Array.from({ length: 100 }, () => a.nextUint32());
    expect(Array.from({ length: 100 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 100 }, () => c.nextUint32())).not.toEqual(sa);
    const floats = Array.from({ length: 1000 }, () => a.next());
    expect(floats.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('shuffles into a permutation, deterministically, with every position reachable', () => {
    const shuffled = new Prng(7).shuffle(Uint32Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(shuffled).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(new Prng(7).shuffle(Uint32Array.from({ length: 1000 }, (_, i) => i)))).toEqual(
      Array.from(shuffled),
    );
    const fixedPoints = shuffled.filter((v, i) => v === i).length;
    expect(fixedPoints).toBeLessThan(10);
  });

  it('draws integers below n roughly uniformly', () => {
    const prng = new Prng(3);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[prng.nextInt(10)]++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});
