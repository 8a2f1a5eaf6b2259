import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { provideConv2dBackpropFilter } from '../backend/conv2dBackpropFilter.ts';
import { initBackend } from '../backend/initBackend.ts';
import { missingGradientKernels } from '../backend/missingGradientKernels.ts';
import type { ImageSplit } from '../data/dataset.ts';
import { CancelledError, InvalidArgumentError } from '../errors.ts';
import { type AdamConfig, defaultAdam } from './adam.ts';
import { fillBatch } from './batches.ts';
import { denseStackOf } from './denseStack.ts';
import { DenseTrainer, type StepResult } from './denseTrainer.ts';
import { evaluate } from './evaluate.ts';
import type { EpochEvent, TrainEvent, TrainingLoop } from './events.ts';
import { GenericTrainer } from './genericTrainer.ts';
import { Prng } from './prng.ts';

export interface TrainOptions {
  /** Default 5. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Adam learning rate, default 1e-3. */
  learningRate?: number;
  /** Seeds the shuffles (weights are seeded where the model is built). Default 0. */
  seed?: number;
  /** Evaluated after every epoch when given. */
  test?: ImageSplit;
  signal?: AbortSignal;
  /** Minimum time between batch events, default 250 ms. */
  progressIntervalMs?: number;
  /** Stop each epoch after this many batches (benchmarks, smoke tests). Default: the whole split. */
  batchesPerEpoch?: number;
  /** `auto` (default) uses the lean dense loop when the model allows it; `generic` forces tfjs's autodiff + Adam. */
  loop?: 'auto' | TrainingLoop;
  /** One line per notable decision (backend fallback, loop choice). Default: stderr. */
  log?: (line: string) => void;
}

/**
 * Trains a softmax classifier in place with Adam and sparse categorical cross-entropy (Keras's
 * `model.fit` semantics: one shuffle per epoch, running epoch means for loss and accuracy) and
 * streams progress as events, ending with a `done` event. Throws CancelledError when `signal`
 * aborts; the model then holds the weights of the last finished step.
 *
 * Plain MLPs (`Flatten → Dense(relu)* → Dense(softmax)`) run the lean `DenseTrainer` loop; anything
 * else runs `GenericTrainer`. tfjs-backend-wasm lacks Conv2D's filter gradient, which
 * `conv2dBackpropFilter.ts` provides; if another gradient kernel the model needs is missing (the
 * depthwise convolutions'), the model trains on the cpu backend, with a log line, and the previous
 * backend is restored when done. Switching is process-wide: avoid concurrent tfjs work meanwhile.
 */
export async function* train(
  model: tfl.LayersModel,
  data: ImageSplit,
  options: TrainOptions = {},
): AsyncGenerator<TrainEvent, void, undefined> {
  const epochs = integerOption('epochs', options.epochs ?? 5, 1, 10_000);
  const batchSize = integerOption('batchSize', options.batchSize ?? 32, 1, 65_536);
  const seed = integerOption('seed', options.seed ?? 0, 0, 2 ** 32 - 1);
  const learningRate = options.learningRate ?? defaultAdam.learningRate;
  if (!(learningRate > 0 && Number.isFinite(learningRate)))
    throw new InvalidArgumentError('learningRate', learningRate, 'a finite number > 0');
  const progressIntervalMs = options.progressIntervalMs ?? 250;
  const log = options.log ?? ((line: string) => console.error(line));
  const adam: AdamConfig = { ...defaultAdam, learningRate };

  await initBackend();
  const stack = options.loop === 'generic' ? 'the generic loop was requested' : denseStackOf(model);
  if (options.loop === 'dense' && typeof stack === 'string')
    throw new InvalidArgumentError('loop', 'dense', `a plain softmax MLP (this model: ${stack})`);
  const loop: TrainingLoop = typeof stack === 'string' ? 'generic' : 'dense';

  const features = (model.inputs[0]!.shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
  if (data.images.length !== data.count * features)
    throw new InvalidArgumentError(
      'data',
      `${data.images.length / data.count} values per example`,
      `${features}`,
    );
  const x = new Float32Array(batchSize * features);
  const xT = loop === 'dense' ? new Float32Array(batchSize * features) : undefined;
  const labels = new Int32Array(batchSize);
  const order = Uint32Array.from({ length: data.count }, (_, i) => i);
  const prng = new Prng(seed);

  const previousBackend = tf.getBackend();
  let trainer: DenseTrainer | GenericTrainer | undefined;
  const started = performance.now();
  try {
    if (typeof stack === 'string') {
      provideConv2dBackpropFilter();
      const missing = tf.getBackend() === 'cpu' ? [] : await missingGradientKernels(model);
      if (missing.length > 0) {
        log(
          `argmax: training ${model.name} on cpu: the ${tf.getBackend()} backend has no ${missing.join(', ')} kernel for its gradients`,
        );
        await tf.setBackend('cpu');
      }
      trainer = new GenericTrainer(model, adam);
    } else {
      trainer = new DenseTrainer(model, stack, batchSize, adam);
    }
    const backend = tf.getBackend();
    const batches = Math.min(
      Math.ceil(data.count / batchSize),
      options.batchesPerEpoch ?? Number.POSITIVE_INFINITY,
    );
    let last: EpochEvent | undefined;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      prng.shuffle(order);
      const epochStart = performance.now();
      let lastEmit = epochStart;
      let lastBreak = epochStart;
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let batch = 0; batch < batches; batch++) {
        if (options.signal?.aborted) throw new CancelledError('training was cancelled');
        const n = fillBatch(data, order, batch * batchSize, batchSize, x, labels, xT);
        const result: StepResult =
          trainer instanceof DenseTrainer ? trainer.step(x, xT!, labels, n) : trainer.step(x, labels, n);
        lossSum += result.lossSum;
        correct += result.correct;
        seen += n;
        const now = performance.now();
        if (now - lastEmit >= progressIntervalMs || batch === batches - 1) {
          lastEmit = now;
          yield {
            type: 'batch',
            epoch,
            batch: batch + 1,
            batches,
            loss: lossSum / seen,
            accuracy: correct / seen,
            examplesPerSecond: seen / ((now - epochStart) / 1000),
          };
        }
        if (now - lastBreak >= 50) {
          // Let timers, I/O and abort handlers run: the steps themselves never wait.
          await new Promise((resolve) => setImmediate(resolve));
          lastBreak = performance.now();
        }
      }
      const seconds = (performance.now() - epochStart) / 1000;
      trainer.writeBack();
      last = { type: 'epoch', epoch, epochs, loss: lossSum / seen, accuracy: correct / seen, seconds };
      if (options.test) {
        const evalStart = performance.now();
        const result = evaluate(model, options.test);
        last = { ...last, testLoss: result.loss, testAccuracy: result.accuracy };
        last.evalSeconds = (performance.now() - evalStart) / 1000;
      }
      yield last;
    }
    yield {
      type: 'done',
      epochs,
      loss: last!.loss,
      accuracy: last!.accuracy,
      ...(last!.testLoss === undefined ? {} : { testLoss: last!.testLoss, testAccuracy: last!.testAccuracy }),
      seconds: (performance.now() - started) / 1000,
      backend,
      loop,
    };
  } finally {
    trainer?.writeBack();
    trainer?.dispose();
    if (tf.getBackend() !== previousBackend) await tf.setBackend(previousBackend);
  }
}

function integerOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new InvalidArgumentError(name, value, `an integer from ${min} to ${max}`);
  return value;
}
