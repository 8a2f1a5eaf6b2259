import * as tf from '@tensorflow/tfjs-core';
import { cooperation } from './cooperate.ts';
import { disposeEvaluation, type Evaluation, evaluateWithGradient } from './gradientStep.ts';
import type { MethodContext, MethodOutcome, MethodRun } from './methodContext.ts';
import { seededRandom } from './random.ts';
import { uniformStarts } from './startPoints.ts';
import { finalStarts, readStep } from './stepReport.ts';

/**
 * Answer (2), done faithfully: start from uniform noise in the box, then `x ← x + step · g / ‖g‖₂`
 * (defaults: 50 steps, step size 1). Nothing keeps x inside the constraints; every step reports how
 * far outside they are, so the known flaw is visible (on the Fashion-MNIST MLP 15–18 % of the pixels
 * leave [0, 1]). Its answer is the last iterate, as in the original recipe.
 */
export async function* normalizedGradientAscent(context: MethodContext): MethodRun {
  const { objective, set, settings } = context;
  const { steps, restarts, learningRate } = settings;
  const cooperate = cooperation(context.signal);
  const size = set.input.size;
  // Plain uniform noise in the bounds, not projected: the recipe knows nothing about other constraints.
  let x = tf.tensor2d(uniformStarts(set, restarts, seededRandom(settings.seed), false), [restarts, size]);
  let evaluation: Evaluation | undefined;
  let last: MethodOutcome = { input: new Float32Array(size), value: Number.NaN };
  try {
    for (let t = 0; t <= steps; t++) {
      await cooperate();
      evaluation = evaluateWithGradient({ objective, toInput: (input) => input }, x);
      if (t > 0) {
        const reading = readStep(
          t - 1,
          steps,
          evaluation.value,
          evaluation.head,
          evaluation.x,
          set,
          context.snapshot(t - 1, steps),
        );
        if (t === steps) {
          last = { input: reading.row, value: reading.event.objective };
          if (settings.returnAllStarts) last.starts = finalStarts(reading.values, evaluation.x, set);
        }
        yield reading.event;
      }
      if (t === steps) break;
      const grad = evaluation.grad;
      const next = tf.tidy(() => {
        // Per start: g / ‖g‖₂ (a zero gradient, e.g. every ReLU dead, leaves that start where it is).
        const norm = tf.sqrt(tf.sum(tf.square(grad), 1, true));
        return tf.add(x, tf.mul(tf.divNoNan(grad, norm), learningRate)) as tf.Tensor2D;
      });
      disposeEvaluation(evaluation);
      evaluation = undefined;
      x.dispose();
      x = next;
    }
    return last;
  } finally {
    disposeEvaluation(evaluation);
    x.dispose();
  }
}
