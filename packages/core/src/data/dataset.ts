/** Names of the image datasets core can load. */
export type DatasetName = 'fashion-mnist' | 'mnist';

export const datasetNames: readonly DatasetName[] = ['fashion-mnist', 'mnist'];

/** One split of a 28x28 grey-scale image dataset, stored once as bytes. */
export interface ImageSplit {
  /** `count * 784` bytes, image after image, row-major, 0..255 (0 is background). */
  images: Uint8Array;
  /** `count` class indices, 0..9. */
  labels: Uint8Array;
  count: number;
}

/** A dataset as loaded: both splits, the image shape and the class names in label order. */
export interface ImageDataset {
  name: DatasetName;
  /** Height, width, channels of one image (the models' input shape without the batch axis). */
  shape: readonly [28, 28, 1];
  classNames: readonly string[];
  train: ImageSplit;
  test: ImageSplit;
}

/** Reported once per source file, after it is decoded. */
export interface LoadProgress {
  dataset: DatasetName;
  file: string;
  filesDone: number;
  filesTotal: number;
}

export interface LoadOptions {
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
}

export const imageShape = [28, 28, 1] as const;
export const pixelsPerImage = 28 * 28;
