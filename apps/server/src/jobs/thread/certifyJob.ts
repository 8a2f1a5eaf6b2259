/**
 * The certificate half of an optimisation job, in the worker: says at once when the run cannot get one,
 * and after the optimiser certifies its best input (warm start), streaming every bound as it falls.
 */
import {
  buildFeasibleSet,
  CancelledError,
  certificateSupport,
  certify,
  evaluateObjective,
  feasibleWithin,
  type OptimizationResult,
  type Prior,
  relativeGap,
} from '@argmax/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import {
  type CertificateMessage,
  type CertificateResultMessage,
  provenWithin,
} from './certificateMessages.ts';
import { certifyPriorResult } from './certifyPriorJob.ts';
import type { OptimizeJob } from './jobMessages.ts';

export interface CertificateTask {
  /** Certifies the optimiser's result; resolves with the result message once it is sent (none when not asked). */
  after(result: OptimizationResult, signal: AbortSignal): Promise<CertificateResultMessage | undefined>;
}

/**
 * Checked before the optimisation starts, so a run that cannot be certified says so from its start.
 * `searched`: the prior a run searches in, whose searched set its certificate bounds instead of the box.
 */
export function certificateTask(
  model: LayersModel,
  job: OptimizeJob,
  emit: (message: CertificateMessage) => void,
  searched?: { prior: Prior; box: [number, number] },
): CertificateTask {
  const timeLimitSeconds = job.certify?.timeLimitSeconds ?? 0;
  if (!(timeLimitSeconds > 0)) return { after: async () => undefined };
  let unsupported: string | undefined;
  try {
    unsupported = certificateSupport(model, job.options.objective);
  } catch (error) {
    unsupported = (error as Error).message;
  }
  if (unsupported) emit({ type: 'certificate-result', status: 'UNSUPPORTED', reason: unsupported });
  return {
    async after(result, signal) {
      if (unsupported) return undefined;
      try {
        const outcome = searched
          ? await certifyPriorResult(
              model,
              searched,
              job.options.objective,
              timeLimitSeconds,
              result,
              signal,
              emit,
            )
          : await certifyResult(model, job.options, timeLimitSeconds, result, signal, emit);
        emit(outcome);
        return outcome;
      } catch (error) {
        if (error instanceof CancelledError || signal.aborted) throw error;
        emit({
          type: 'certificate-result',
          status: 'STOPPED',
          reason: `the certifier failed: ${(error as Error).message}`,
        });
        return undefined;
      }
    },
  };
}

async function certifyResult(
  model: LayersModel,
  { objective, constraints }: OptimizeJob['options'],
  timeLimitSeconds: number,
  result: OptimizationResult,
  signal: AbortSignal,
  emit: (message: CertificateMessage) => void,
): Promise<CertificateResultMessage> {
  // An L2 ball or quantisation is bounded through a superset (still sound), whose best inputs may break
  // the run's own constraints: then the best value vouched for is the run's, when its input is feasible.
  const relaxed = Boolean(constraints?.l2 || constraints?.quantize);
  const runValue = result.violation <= feasibleWithin ? result.value : Number.NEGATIVE_INFINITY;
  const best = (p: { upperBound: number; bestValue: number; gap: number }) =>
    relaxed ? { bestValue: runValue, gap: relativeGap(p.upperBound, runValue) } : p;
  const certificate = await certify(model, {
    objective,
    ...(constraints ? { constraints } : {}),
    incumbent: result.input,
    timeLimitSeconds,
    signal,
    onProgress: (p) =>
      emit({
        type: 'certificate-bound',
        method: p.method,
        upperBound: p.upperBound,
        bestValue: best(p).bestValue,
        gap: best(p).gap,
        seconds: p.seconds,
      }),
  });
  if (!certificate.supported)
    return { type: 'certificate-result', status: 'UNSUPPORTED', reason: certificate.reason };
  const outcome: CertificateResultMessage = {
    type: 'certificate-result',
    status: 'DONE',
    method: certificate.method,
    upperBound: certificate.upperBound,
    ...best(certificate),
    proven: relaxed ? best(certificate).gap <= provenWithin : certificate.proven,
    seconds: certificate.seconds,
  };
  if (relaxed || !(certificate.bestValue > result.value)) return outcome;
  const [evaluated] = await evaluateObjective(model, objective, [certificate.input]);
  if (!evaluated || !(evaluated.value > result.value)) return outcome;
  const set = buildFeasibleSet(constraints, { size: certificate.input.length, shape: result.shape });
  return {
    ...outcome,
    better: {
      input: certificate.input,
      value: evaluated.value,
      outputs: evaluated.outputs,
      violation: set.violation(certificate.input),
    },
  };
}
