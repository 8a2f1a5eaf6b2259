import * as tfl from '@tensorflow/tfjs-layers';

export interface SeedMlpOptions {
  /** Seeds the Glorot-uniform kernel initialisers (biases start at zero, as in Keras). Default 0. */
  seed?: number;
  /** Default [28, 28, 1]. */
  inputShape?: number[];
  /** Hidden units, default 128. */
  units?: number;
  /** Output classes, default 10. */
  classes?: number;
}

/**
 * The Keras tutorial's Fashion-MNIST classifier: `Flatten → Dense(128, relu) → Dense(10, softmax)`,
 * with the tutorial's layer names (`flatten`, `dense`, `dense_1`). Same seed, same initial weights.
 */
export function buildSeedMlp(options: SeedMlpOptions = {}): tfl.Sequential {
  const seed = options.seed ?? 0;
  return tfl.sequential({
    name: 'seed_mlp',
    layers: [
      tfl.layers.flatten({ name: 'flatten', inputShape: options.inputShape ?? [28, 28, 1] }),
      tfl.layers.dense({
        name: 'dense',
        units: options.units ?? 128,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
      }),
      tfl.layers.dense({
        name: 'dense_1',
        units: options.classes ?? 10,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
}
