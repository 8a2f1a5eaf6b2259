import * as tfl from '@tensorflow/tfjs-layers';

export interface SmallCnnOptions {
  /** Seeds every kernel initialiser. Default 0. */
  seed?: number;
  /** Default [28, 28, 1]. */
  inputShape?: number[];
  classes?: number;
}

/**
 * A small convolutional classifier for 28×28 grey images:
 * `Conv2D(8, 3×3, relu) → MaxPool(2) → Conv2D(16, 3×3, relu) → MaxPool(2) → Flatten →
 * Dense(64, relu) → Dense(10, softmax)` (about 28k parameters).
 */
export function buildSmallCnn(options: SmallCnnOptions = {}): tfl.Sequential {
  const seed = options.seed ?? 0;
  const init = (offset: number) => tfl.initializers.glorotUniform({ seed: seed + offset });
  return tfl.sequential({
    name: 'small_cnn',
    layers: [
      tfl.layers.conv2d({
        name: 'conv2d',
        inputShape: options.inputShape ?? [28, 28, 1],
        filters: 8,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(0),
      }),
      tfl.layers.maxPooling2d({ name: 'max_pooling2d', poolSize: 2 }),
      tfl.layers.conv2d({
        name: 'conv2d_1',
        filters: 16,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tfl.layers.maxPooling2d({ name: 'max_pooling2d_1', poolSize: 2 }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ name: 'dense', units: 64, activation: 'relu', kernelInitializer: init(2) }),
      tfl.layers.dense({
        name: 'dense_1',
        units: options.classes ?? 10,
        activation: 'softmax',
        kernelInitializer: init(3),
      }),
    ],
  });
}
