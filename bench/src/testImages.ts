import { loadDataset } from '@argmax/core';

/**
 * Fashion-MNIST's test images as the certificate benches pick them: the first test image of each
 * class (its index), and an image's pixels scaled to [0, 1].
 */
export async function fashionTestImages(): Promise<{
  firstOfClass: (k: number) => number;
  imageOf: (i: number) => number[];
}> {
  const { test } = await loadDataset('fashion-mnist');
  return {
    firstOfClass: (k) => {
      for (let i = 0; i < test.count; i++) if (test.labels[i] === k) return i;
      throw new Error(`no test image of class ${k}`);
    },
    imageOf: (i) => Array.from(test.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
  };
}
