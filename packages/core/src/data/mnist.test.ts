import { describe, expect, it } from 'vitest';
import type { LoadProgress } from './dataset.ts';
import { parseIdxBytes } from './idx.ts';
import { loadMnist, mnistClassNames } from './mnist.ts';

describe('loadMnist', () => {
  it('loads the original 60,000 / 10,000 split with every digit present', async () => {
    const progress: LoadProgress[] = [];
    const data = await loadMnist({ onProgress: (p) => progress.push(p) });
    expect(data.train.count).toBe(60_000);
    expect(data.test.count).toBe(10_000);
    expect(data.train.images.length).toBe(60_000 * 784);
    expect(data.test.images.length).toBe(10_000 * 784);
    const perClass = new Array(10).fill(0);
    for (const label of data.train.labels) perClass[label]++;
    expect(perClass.every((n) => n > 5000 && n < 7000)).toBe(true);
    expect(perClass.reduce((a, b) => a + b)).toBe(60_000);
    // The first training image of MNIST is a 5, as every MNIST tutorial shows.
    expect(data.train.labels[0]).toBe(5);
    expect(data.classNames).toEqual(mnistClassNames);
    expect(progress.map((p) => p.filesDone)).toEqual([1, 2, 3, 4]);
  });
});

describe('parseIdxBytes', () => {
  const header = (rank: number, dims: number[]) => {
    const bytes = new Uint8Array(4 + 4 * rank);
    const view = new DataView(bytes.buffer);
    view.setUint8(2, 0x08);
    view.setUint8(3, rank);
    for (const [i, d] of dims.entries()) view.setUint32(4 + 4 * i, d);
    return bytes;
  };

  it('reads dimensions and returns the data as a view', () => {
    const bytes = new Uint8Array([...header(2, [2, 3]), 1, 2, 3, 4, 5, 6]);
    const idx = parseIdxBytes(bytes, 'x');
    expect(idx.dims).toEqual([2, 3]);
    expect(Array.from(idx.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(idx.data.buffer).toBe(bytes.buffer);
  });

  it('rejects a bad magic number and a truncated file', () => {
    expect(() => parseIdxBytes(new Uint8Array([0, 0, 9, 1, 0, 0, 0, 0]), 'f')).toThrow(/magic/);
    expect(() => parseIdxBytes(new Uint8Array([...header(1, [5]), 1, 2]), 'f')).toThrow(/need 13 bytes/);
  });
});
