/**
 * The certificate of a run in a prior: an upper bound over the set the prior search looked in (core's
 * certifyPriorAnswer), not over the box. Its best point is never offered as a better answer: the run's
 * answer stays the realistic one, and the value vouched for is that answer's.
 */
import {
  certifyPriorAnswer,
  feasibleWithin,
  type OptimizationResult,
  type OptimizeOptions,
  type Prior,
  type PriorResult,
  relativeGap,
} from '@argmax/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import {
  type CertificateMessage,
  type CertificateResultMessage,
  provenWithin,
} from './certificateMessages.ts';

const isPriorResult = (result: OptimizationResult): result is PriorResult =>
  (result as Partial<PriorResult>).latent instanceof Float32Array;

export async function certifyPriorResult(
  model: LayersModel,
  searched: { prior: Prior; box: [number, number] },
  objective: OptimizeOptions['objective'],
  timeLimitSeconds: number,
  result: OptimizationResult,
  signal: AbortSignal,
  emit: (message: CertificateMessage) => void,
): Promise<CertificateResultMessage> {
  if (!isPriorResult(result)) throw new Error('the search in the prior returned no latent point');
  const runValue = result.violation <= feasibleWithin ? result.value : Number.NEGATIVE_INFINITY;
  const started = performance.now();
  // Two bounds are computed one after the other (see certifyInPrior); each is sound, so the lowest so far is.
  let lowest = Number.POSITIVE_INFINITY;
  const certificate = await certifyPriorAnswer(model, searched.prior, result, searched.box, {
    objective,
    timeLimitSeconds,
    signal,
    onProgress: (p) => {
      if (!(p.upperBound < lowest)) return;
      lowest = p.upperBound;
      emit({
        type: 'certificate-bound',
        method: p.method,
        upperBound: lowest,
        bestValue: runValue,
        gap: relativeGap(lowest, runValue),
        seconds: (performance.now() - started) / 1000,
      });
    },
  });
  if (!certificate.supported)
    return { type: 'certificate-result', status: 'UNSUPPORTED', reason: certificate.reason };
  const gap = relativeGap(certificate.upperBound, runValue);
  return {
    type: 'certificate-result',
    status: 'DONE',
    method: certificate.method,
    upperBound: certificate.upperBound,
    bestValue: runValue,
    gap,
    proven: gap <= provenWithin,
    seconds: (performance.now() - started) / 1000,
  };
}
