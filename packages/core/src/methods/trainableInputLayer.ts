import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Bounds32 } from '../constraints/float32Bounds.ts';
import { cooperation } from './cooperate.ts';
import type { MethodContext, MethodOutcome, MethodRun } from './methodContext.ts';
import { seededRandom } from './random.ts';
import { uniformStarts } from './startPoints.ts';
import { finalStarts, readStep } from './stepReport.ts';

/**
 * A Keras-style kernel constraint that clips every kernel row (one image per row, see below) into the
 * per-input bounds: box ∩ L∞ ball ∩ mask. L2 and linear constraints have no such clip and are not
 * enforced by this method; its violation says so.
 */
type Constraint = ReturnType<typeof tfl.constraints.nonNeg>;
// tfjs-layers accepts only instances of its Constraint class, which its index does not export.
const ConstraintBase = Object.getPrototypeOf(
  tfl.constraints.nonNeg().constructor,
) as abstract new () => Constraint;

class ClipToBounds extends ConstraintBase {
  static className = 'ArgmaxClipToBounds';
  private readonly lo: tf.Tensor2D;
  private readonly hi: tf.Tensor2D;
  constructor(bounds: Bounds32) {
    super();
    this.lo = tf.tensor2d(bounds.lo, [1, bounds.lo.length]);
    this.hi = tf.tensor2d(bounds.hi, [1, bounds.hi.length]);
  }
  override apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() =>
      tf.sub(this.hi, tf.relu(tf.sub(this.hi, tf.add(this.lo, tf.relu(tf.sub(w, this.lo)))))),
    );
  }
  override getConfig(): tf.serialization.ConfigDict {
    return {};
  }
  dispose(): void {
    tf.dispose([this.lo, this.hi]);
  }
}

/**
 * Answer (1), done faithfully: a new tfjs model `identity input of size B → Dense(prod(inputShape),
 * trainable, no bias) → Reshape(inputShape)` in front of the frozen original, trained with a tfjs Adam
 * optimizer to raise the objective. With the identity as input, row b of the Dense kernel *is* image b,
 * so B images train at once. The box is kept the Keras way: a kernel constraint that clips
 * (`parameterization: 'pixel'`, the default) or a sigmoid activation (`'sigmoid'`).
 *
 * Two honest departures from a literal `model.compile(); model.fit()`: the frozen original is applied
 * as a function (so logit objectives work and the caller's model graph is never modified), and the
 * kernel constraint is applied after each optimizer step here, because tfjs-layers' fit/trainOnBatch
 * silently skip kernel constraints (Keras applies them after every update).
 */
export async function* trainableInputLayer(context: MethodContext): MethodRun {
  const { objective, set, settings } = context;
  const { steps, restarts } = settings;
  const size = set.input.size;
  const cooperate = cooperation(context.signal);
  const sigmoid = settings.parameterization === 'sigmoid';
  const constraint = sigmoid ? undefined : new ClipToBounds(set.bounds32);
  const dense = tfl.layers.dense({
    units: size,
    inputShape: [restarts],
    useBias: false,
    activation: sigmoid ? 'sigmoid' : 'linear',
    kernelInitializer: 'zeros',
    ...(constraint ? { kernelConstraint: constraint } : {}),
  });
  const inputModel = tfl.sequential({
    layers: [dense, tfl.layers.reshape({ targetShape: objective.network.inputShape })],
  });
  const { lo, hi } = set.bounds32;
  const loRow = tf.tensor2d(lo, [1, size]);
  const rangeRow = tf.tensor2d(
    hi.map((h, i) => h - lo[i]!),
    [1, size],
  );
  const starts = uniformStarts(set, restarts, seededRandom(settings.seed), false);
  tf.tidy(() => {
    const x = tf.tensor2d(starts, [restarts, size]);
    // Sigmoid: start from the logits of the same images.
    const u = tf.clipByValue(tf.divNoNan(tf.sub(x, loRow), rangeRow), 1e-4, 1 - 1e-4);
    dense.setWeights([sigmoid ? tf.log(tf.div(u, tf.sub(1, u))) : x]);
  });
  const kernel = dense.trainableWeights[0]!.read() as tf.Variable;
  const identity = tf.eye(restarts);
  const optimizer = tf.train.adam(settings.learningRate);
  const imagesOf = () => {
    const out = tf.reshape(inputModel.apply(identity) as tf.Tensor, [restarts, size]) as tf.Tensor2D;
    return sigmoid ? (tf.add(loRow, tf.mul(rangeRow, out)) as tf.Tensor2D) : out;
  };
  let kept: tf.Tensor[] = [];
  let outcome: MethodOutcome = { input: new Float32Array(size), value: Number.NaN };
  try {
    for (let t = 0; t <= steps; t++) {
      await cooperate();
      let evaluated:
        | { x: tf.Tensor2D; value: tf.Tensor1D; head: ReturnType<typeof objective.evaluate>['head'] }
        | undefined;
      const forward = () => {
        const x = imagesOf();
        const { value, head } = objective.evaluate(x);
        evaluated = { x: tf.keep(x), value: tf.keep(value), head };
        kept = [evaluated.x, evaluated.value, tf.keep(head.raw)];
        if (head.logits) kept.push(tf.keep(head.logits));
        if (head.probabilities) kept.push(tf.keep(head.probabilities));
        return tf.neg(tf.sum(value)) as tf.Scalar;
      };
      if (t < steps) {
        optimizer.minimize(forward, false, [kernel]);
        if (constraint) {
          const clipped = constraint.apply(kernel);
          kernel.assign(clipped);
          clipped.dispose();
        }
      } else {
        tf.tidy(() => {
          forward();
        });
      }
      const { x, value, head } = evaluated!;
      if (t > 0) {
        const reading = readStep(t - 1, steps, value, head, x, set, context.snapshot(t - 1, steps));
        if (t === steps) {
          outcome = { input: reading.row, value: reading.event.objective };
          if (settings.returnAllStarts) outcome.starts = finalStarts(reading.values, x, set);
        }
        yield reading.event;
      }
      tf.dispose(kept);
      kept = [];
    }
    return outcome;
  } finally {
    tf.dispose(kept);
    tf.dispose([identity, loRow, rangeRow]);
    optimizer.dispose();
    inputModel.dispose();
    constraint?.dispose();
  }
}
