import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { AdamConfig } from './adam.ts';
import type { StepResult } from './denseTrainer.ts';

/**
 * The training step for any single-input softmax classifier (the CNN): the model's own forward pass
 * under tf.variableGrads, sparse categorical cross-entropy on clipped probabilities (Keras's
 * formula) and tf.train.adam. Slower than `DenseTrainer` but makes no assumption about the layers.
 */
export class GenericTrainer {
  private readonly optimizer: tf.AdamOptimizer;
  private readonly inputShape: number[];
  private readonly variables: tf.Variable[];

  constructor(
    private readonly model: tfl.LayersModel,
    adam: AdamConfig,
  ) {
    this.optimizer = tf.train.adam(adam.learningRate, adam.beta1, adam.beta2, adam.epsilon);
    this.inputShape = model.inputs[0]!.shape.slice(1) as number[];
    this.variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  step(x: Float32Array, labels: Int32Array, n: number): StepResult {
    const features = this.inputShape.reduce((a, b) => a * b, 1);
    let probs: tf.Tensor | undefined;
    const cost = tf.tidy(() => {
      const input = tf.tensor(x.subarray(0, n * features), [n, ...this.inputShape]);
      const oneHot = tf.oneHot(tf.tensor1d(labels.subarray(0, n), 'int32'), this.classes());
      return this.optimizer.minimize(
        () => {
          const p = this.model.apply(input, { training: true }) as tf.Tensor2D;
          probs = tf.keep(p);
          const picked = tf.sum(tf.mul(p, oneHot), 1);
          return tf.neg(tf.mean(tf.log(tf.clipByValue(picked, 1e-7, 1)))) as tf.Scalar;
        },
        true,
        this.variables,
      ) as tf.Scalar;
    });
    try {
      const p = probs!.dataSync();
      const classes = this.classes();
      let correct = 0;
      for (let i = 0; i < n; i++) {
        let argmax = 0;
        for (let j = 1; j < classes; j++) if (p[i * classes + j]! > p[i * classes + argmax]!) argmax = j;
        if (argmax === labels[i]) correct++;
      }
      return { lossSum: cost.dataSync()[0]! * n, correct };
    } finally {
      tf.dispose([cost, probs!]);
    }
  }

  writeBack(): void {
    // The optimizer updates the model's own variables.
  }

  dispose(): void {
    this.optimizer.dispose();
  }

  private classes(): number {
    return this.model.outputs[0]!.shape.at(-1) as number;
  }
}
