import * as tfl from '@tensorflow/tfjs-layers';

export interface RandomReluMlpOptions {
  inputs: number;
  hidden: number[];
  classes: number;
  seed: number;
}

/**
 * A small untrained `Dense(relu)… → Dense(softmax)` classifier with seeded weights: the kind of net
 * whose exact optimum a MILP can still find, used to measure how close the optimisers get.
 */
export function randomReluMlp({ inputs, hidden, classes, seed }: RandomReluMlpOptions): tfl.Sequential {
  const model = tfl.sequential();
  const sizes = [...hidden, classes];
  sizes.forEach((units, i) => {
    model.add(
      tfl.layers.dense({
        units,
        activation: i < hidden.length ? 'relu' : 'softmax',
        ...(i === 0 ? { inputShape: [inputs] } : {}),
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed * 101 + i }),
        // Non-zero biases move the ReLU hyperplanes off the origin, so regions are not all cones.
        biasInitializer: tfl.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed * 103 + i }),
        name: i < hidden.length ? `hidden${i + 1}` : 'logits',
      }),
    );
  });
  return model;
}
