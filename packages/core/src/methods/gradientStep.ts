import * as tf from '@tensorflow/tfjs-core';
import type { HeadTensors } from '../network/modelTaps.ts';
import type { CompiledObjective } from '../objectives/buildObjective.ts';

/** One forward/backward pass over all starts. The tensors outlive any tidy: dispose with `disposeEvaluation`. */
export interface Evaluation {
  /** `[B]` objective at `x` (penalties excluded). */
  value: tf.Tensor1D;
  head: HeadTensors;
  /** `[B, D]` the inputs that were evaluated. */
  x: tf.Tensor2D;
  /** `[B, D]` gradient of Σ (objective − penalty) with respect to θ. */
  grad: tf.Tensor2D;
}

export interface EvaluationPlan {
  objective: CompiledObjective;
  /** θ → x (identity for pixel parameterisation). */
  toInput: (theta: tf.Tensor2D) => tf.Tensor2D;
  /** Per-start penalty subtracted from the objective. */
  penalty?: (x: tf.Tensor2D) => tf.Tensor1D;
  /** Transforms x before the model for the gradient only (jitter); values are then re-read at x. */
  perturb?: (x: tf.Tensor2D) => tf.Tensor2D;
}

/** Value and gradient in one batched pass; the objective's outputs are kept for the step report. */
export function evaluateWithGradient(plan: EvaluationPlan, theta: tf.Tensor2D): Evaluation {
  const { objective, toInput, penalty, perturb } = plan;
  let kept: Omit<Evaluation, 'grad'> | undefined;
  const grad = tf.tidy(() => {
    // Seeding the backward pass with ones gives the gradient of the sum without a Sum op and its gradient.
    const ones = tf.ones([theta.shape[0]]);
    return tf.grad((t: tf.Tensor) => {
      const x = toInput(t as tf.Tensor2D);
      const evaluation = objective.evaluate(perturb ? perturb(x) : x);
      kept = keepAll(perturb ? { ...objective.evaluate(x), x } : { ...evaluation, x });
      return penalty ? tf.sub(evaluation.value, penalty(x)) : evaluation.value;
    })(theta, ones);
  }) as tf.Tensor2D;
  return { ...kept!, grad };
}

function keepAll(e: Omit<Evaluation, 'grad'>): Omit<Evaluation, 'grad'> {
  const head: HeadTensors = { raw: tf.keep(e.head.raw) };
  if (e.head.logits) head.logits = tf.keep(e.head.logits);
  if (e.head.probabilities) head.probabilities = tf.keep(e.head.probabilities);
  // Cloned: x may be θ itself, which the caller owns.
  return { value: tf.keep(e.value), head, x: tf.keep(tf.clone(e.x)) };
}

export function disposeEvaluation(e: Evaluation | undefined): void {
  if (!e) return;
  tf.dispose(
    [e.value, e.head.raw, e.head.logits, e.head.probabilities, e.x, e.grad].filter((t) => t !== undefined),
  );
}

/** Forward pass only (no gradient), for reporting an input's value and outputs. */
export function evaluateOnly(objective: CompiledObjective, x: tf.Tensor2D): Omit<Evaluation, 'grad'> {
  let kept: Omit<Evaluation, 'grad'> | undefined;
  tf.tidy(() => {
    kept = keepAll({ ...objective.evaluate(x), x });
  });
  return kept!;
}
