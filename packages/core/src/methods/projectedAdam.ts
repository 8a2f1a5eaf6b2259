import * as tf from '@tensorflow/tfjs-core';
import type { FeasibleSet } from '../constraints/feasibleSet.ts';
import type { StartResult } from '../spec/types.ts';
import { boxClip } from './boxClip.ts';
import { cooperation } from './cooperate.ts';
import {
  disposeEvaluation,
  type Evaluation,
  type EvaluationPlan,
  evaluateWithGradient,
} from './gradientStep.ts';
import { imageShapeOf } from './imageShape.ts';
import { bestRows } from './keepBest.ts';
import type { MethodContext, MethodRun } from './methodContext.ts';
import { makeParameterization } from './parameterization.ts';
import { seededRandom } from './random.ts';
import { gaussianBlur, penaltyOf, shiftImages } from './regularizers.ts';
import { projectRows, sparseToDenseStarts, uniformStarts } from './startPoints.ts';
import { readStep } from './stepReport.ts';

const beta1 = 0.9;
const beta2 = 0.999;
const epsilon = 1e-8;
/** The learning rate decays (cosine) to this fraction of its start, to settle into the best vertex. */
const finalLearningRate = 0.02;

/**
 * The recommended method: Adam on a batch of starts (one batched forward/backward per step), every
 * iterate kept feasible by projection (or by a sigmoid/Fourier parameterisation), with the best value
 * each start has reached tracked on the backend. Every reported input satisfies the constraints.
 */
export async function* projectedAdam(context: MethodContext): MethodRun {
  const { objective, set, settings } = context;
  const { steps, restarts, regularizers } = settings;
  // Every start's own best is asked for: none is cut.
  const keepBest = settings.returnAllStarts ? undefined : settings.keepBest;
  const size = set.input.size;
  const image = imageShapeOf(set.input.shape);
  const cooperate = cooperation(context.signal);
  const random = seededRandom(settings.seed);
  const parameterization = makeParameterization(settings.parameterization, set, image);
  const penalty = penaltyOf(regularizers, image);
  const jitter = image && regularizers.jitter ? Math.floor(regularizers.jitter) : 0;
  const blurEvery = regularizers.blurEvery ?? 4;

  const { clip, dispose: disposeClip } = boxClip(set.bounds32);
  // Vertex starts suit the projected pixel space; a sigmoid would start saturated at them.
  const startData =
    settings.parameterization === 'pixel'
      ? sparseToDenseStarts(set, restarts, random)
      : uniformStarts(set, restarts, random);
  const starts = tf.tensor2d(startData, [restarts, size]);
  let theta = parameterization.encode(starts);
  let m: tf.Tensor2D = tf.zerosLike(theta);
  let v: tf.Tensor2D = tf.zerosLike(theta);
  // The best input so far is tracked here from each step's read-back (its best start); every start's
  // own best is tracked on the backend only when all starts are asked for.
  let best: { value: number; input: Float32Array } = {
    value: Number.NEGATIVE_INFINITY,
    input: new Float32Array(size),
  };
  let bestValue: tf.Tensor1D | undefined;
  let bestX: tf.Tensor2D | undefined;
  if (settings.returnAllStarts) {
    bestValue = tf.fill([restarts], Number.NEGATIVE_INFINITY) as tf.Tensor1D;
    bestX = tf.clone(starts);
  }
  const moment1 = tf.scalar(1 - beta1);
  const moment2 = tf.scalar(1 - beta2);
  const eps = tf.scalar(epsilon);
  let shift: tf.Tensor2D | undefined;
  let evaluation: Evaluation | undefined;
  const replace = <T extends tf.Tensor>(old: T, next: T) => {
    if (old !== next) old.dispose();
    return next;
  };
  /** The starts still stepping, and each one's best value so far (what the cut ranks them by). */
  let active = restarts;
  let startBest = new Float64Array(restarts).fill(Number.NEGATIVE_INFINITY);

  try {
    for (let t = 0; t <= steps; t++) {
      await cooperate();
      // Constraints beyond the bounds, with θ ≠ x: evaluate at the projected x, passing the gradient straight through.
      if (!parameterization.direct && !set.isBox) {
        shift?.dispose();
        shift = projectionShift(set, parameterization.decode, theta);
      }
      const dy = jitter ? Math.floor(random() * (2 * jitter + 1)) - jitter : 0;
      const dx = jitter ? Math.floor(random() * (2 * jitter + 1)) - jitter : 0;
      const plan: EvaluationPlan = {
        objective,
        toInput: (th) => (shift ? tf.add(parameterization.decode(th), shift) : parameterization.decode(th)),
        ...(penalty ? { penalty } : {}),
        ...(dy || dx ? { perturb: (x: tf.Tensor2D) => shiftImages(x, dy, dx, image!) } : {}),
      };
      evaluation = evaluateWithGradient(plan, theta);
      const { value, x } = evaluation;
      if (bestValue && bestX) {
        const [nextBestValue, nextBestX] = trackStarts(value, x, bestValue, bestX);
        bestValue = replace(bestValue, nextBestValue);
        bestX = replace(bestX, nextBestX);
      }
      const snapshot = t > 0 && context.snapshot(t - 1, steps);
      const reading = readStep(Math.max(0, t - 1), steps, value, evaluation.head, x, set, snapshot);
      if (reading.event.objective > best.value) best = { value: reading.event.objective, input: reading.row };
      for (let s = 0; s < active; s++) startBest[s] = Math.max(startBest[s]!, reading.values[s]!);
      if (t > 0) yield reading.event;
      if (t === steps) break;

      let grad = evaluation.grad;
      const cut = keepBest?.find((c) => c.after === t && c.starts < active);
      if (cut) {
        const rows = bestRows(startBest, cut.starts);
        const kept = tf.tensor1d(rows, 'int32');
        const keep = (all: tf.Tensor2D) => replace(all, tf.gather(all, kept));
        [theta, m, v] = [keep(theta), keep(m), keep(v)];
        grad = tf.gather(grad, kept);
        kept.dispose();
        startBest = Float64Array.from(rows, (s) => startBest[s]!);
        active = rows.length;
      }

      const schedule =
        finalLearningRate + (1 - finalLearningRate) * 0.5 * (1 + Math.cos((Math.PI * t) / steps));
      const rate =
        (settings.learningRate * schedule * Math.sqrt(1 - beta2 ** (t + 1))) / (1 - beta1 ** (t + 1));
      const [nextTheta, nextM, nextV] = tf.tidy(() => {
        const m1 = tf.add(m, tf.mul(tf.sub(grad, m), moment1));
        const v1 = tf.add(v, tf.mul(tf.sub(tf.square(grad), v), moment2));
        let th = tf.add(theta, tf.mul(tf.div(m1, tf.add(tf.sqrt(v1), eps)), rate)) as tf.Tensor2D;
        if (regularizers.blur && image && (t + 1) % blurEvery === 0)
          th = gaussianBlur(th, regularizers.blur, image);
        if (parameterization.direct && set.isBox) th = clip(th);
        return [th, m1, v1] as tf.Tensor2D[];
      });
      if (grad !== evaluation.grad) grad.dispose();
      disposeEvaluation(evaluation);
      evaluation = undefined;
      m = replace(m, nextM!);
      v = replace(v, nextV!);
      theta = replace(theta, nextTheta!);
      if (parameterization.direct && !set.isBox) {
        theta = replace(
          theta,
          tf.tensor2d(projectRows(set, Float32Array.from(theta.dataSync())), [active, size]),
        );
      }
    }
    if (bestValue && bestX) return allStartsOutcome(bestValue, bestX, set);
    return { input: best.input, value: best.value };
  } finally {
    disposeEvaluation(evaluation);
    const optional = [bestValue, bestX, shift].filter((t) => t !== undefined);
    disposeClip();
    tf.dispose([starts, theta, m, v, moment1, moment2, eps, ...optional]);
    parameterization.dispose();
  }
}

/** `P(decode(θ)) − decode(θ)`: added to the decoded input so the model sees the projected one. */
function projectionShift(
  set: FeasibleSet,
  decode: (theta: tf.Tensor2D) => tf.Tensor2D,
  theta: tf.Tensor2D,
): tf.Tensor2D {
  const decoded = tf.tidy(() => decode(theta));
  const raw = Float32Array.from(decoded.dataSync());
  const projected = projectRows(set, Float32Array.from(raw));
  decoded.dispose();
  for (let i = 0; i < raw.length; i++) projected[i] = projected[i]! - raw[i]!;
  return tf.tensor2d(projected, theta.shape);
}

/** Every start's best value and input so far, updated where this step improved on it. */
export function trackStarts(value: tf.Tensor1D, x: tf.Tensor2D, bestValue: tf.Tensor1D, bestX: tf.Tensor2D) {
  return tf.tidy(() => {
    const improved = tf.greater(value, bestValue);
    const mask = tf.cast(tf.reshape(improved, [-1, 1]), 'float32');
    // Arithmetic select: a broadcast tf.where is ~10x slower on wasm.
    return [tf.maximum(value, bestValue), tf.add(bestX, tf.mul(mask, tf.sub(x, bestX)))];
  }) as [tf.Tensor1D, tf.Tensor2D];
}

/** The best start and every start's best, read back once at the end. */
export function allStartsOutcome(bestValue: tf.Tensor1D, bestX: tf.Tensor2D, set: FeasibleSet) {
  const values = bestValue.dataSync();
  const all = Float32Array.from(bestX.dataSync());
  const size = set.input.size;
  const starts: StartResult[] = Array.from(values, (value, s) => {
    const input = all.slice(s * size, (s + 1) * size);
    return { input, value, violation: set.violation(input) };
  });
  let best = 0;
  for (let s = 1; s < values.length; s++) if (values[s]! > values[best]!) best = s;
  return { input: starts[best]!.input, value: values[best]!, starts };
}
