import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { LoadProgress } from './dataset.ts';
import { fashionMnistClassNames, loadFashionMnist } from './fashionMnist.ts';

const require = createRequire(import.meta.url);

async function classFile(label: number): Promise<number[][]> {
  const text = await readFile(require.resolve(`fashion-mnist/src/clothes/${label}.json`), 'utf8');
  return (JSON.parse(text) as { data: number[][] }).data;
}

const image = (images: Uint8Array, index: number) =>
  Array.from(images.subarray(index * 784, (index + 1) * 784));

/** The images of a class file: the package's `0.json` also holds two empty entries, which are not images. */
async function classImages(label: number): Promise<number[][]> {
  return (await classFile(label)).filter((row) => row.length > 0);
}

describe('loadFashionMnist', async () => {
  const progress: LoadProgress[] = [];
  const data = await loadFashionMnist({ onProgress: (p) => progress.push(p) });

  it('splits 60,000 / 10,000 with 6,000 training images per class', () => {
    expect(data.train.count).toBe(60_000);
    expect(data.test.count).toBe(10_000);
    expect(data.train.images.length).toBe(60_000 * 784);
    expect(data.test.images.length).toBe(10_000 * 784);
    const trainPerClass = new Array(10).fill(0);
    for (const label of data.train.labels) trainPerClass[label]++;
    expect(trainPerClass).toEqual(new Array(10).fill(6000));
    const testPerClass = new Array(10).fill(0);
    for (const label of data.test.labels) testPerClass[label]++;
    expect(testPerClass).toEqual(new Array(10).fill(1000));
    expect(data.classNames).toEqual(fashionMnistClassNames);
    expect(data.classNames[9]).toBe('Ankle boot');
  });

  it('takes the first 6,000 images of each class file for training, the rest for test, in file order', async () => {
    // Class 0 (with the two empty entries) and class 9 (the last file) pin both ends of the layout.
    for (const label of [0, 9]) {
      const rows = await classImages(label);
      expect(rows.length).toBe(7000);
      expect(image(data.train.images, label * 6000)).toEqual(rows[0]);
      expect(image(data.train.images, label * 6000 + 5999)).toEqual(rows[5999]);
      expect(image(data.test.images, label * 1000)).toEqual(rows[6000]);
      expect(image(data.test.images, label * 1000 + 999)).toEqual(rows[6999]);
      expect(data.train.labels[label * 6000 + 5999]).toBe(label);
      expect(data.test.labels[label * 1000 + 999]).toBe(label);
    }
  });

  it('skips the two empty entries of class 0', async () => {
    const entries = await classFile(0);
    expect(entries.length).toBe(7002);
    expect(entries.flatMap((row, i) => (row.length === 0 ? [i] : []))).toEqual([1000, 7001]);
    // Entry 1001 is the 1,001st image, entry 6001 the first test image.
    expect(image(data.train.images, 1000)).toEqual(entries[1001]);
    expect(image(data.test.images, 0)).toEqual(entries[6001]);
  });

  it('reports progress once per class file', () => {
    expect(progress.map((p) => p.filesDone)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(progress.every((p) => p.filesTotal === 10 && p.dataset === 'fashion-mnist')).toBe(true);
    expect(progress[3]!.file).toMatch(/clothes[/\\]3\.json$/);
  });

  it('is deterministic', async () => {
    const again = await loadFashionMnist();
    expect(Buffer.compare(again.train.images, data.train.images)).toBe(0);
    expect(Buffer.compare(again.test.labels, data.test.labels)).toBe(0);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const loading = loadFashionMnist({ signal: controller.signal, onProgress: () => controller.abort() });
    await expect(loading).rejects.toThrow(/cancelled/);
  });
});
