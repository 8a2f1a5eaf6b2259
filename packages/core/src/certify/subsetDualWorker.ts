import { parentPort, workerData } from 'node:worker_threads';
import type { SingleLayerForm } from '../lp/singleLayerForm.ts';
import { optimizeDual, subsetProblem } from './subsetDual.ts';
import type { DualReply, DualRequest } from './subsetDualRunner.ts';

/** One thread of a subset search: builds the problem once, then optimises the nodes it is sent. */
const { form, lo, hi } = workerData as { form: SingleLayerForm; lo: Float64Array; hi: Float64Array };
const problem = subsetProblem(form, lo, hi);
const port = parentPort!;
port.on('message', ({ node, schedule, deadlineEpoch }: DualRequest) => {
  try {
    // performance.now() counts from each thread's own origin: the deadline travels as epoch time.
    const deadline = deadlineEpoch === undefined ? undefined : deadlineEpoch - performance.timeOrigin;
    const result = optimizeDual(problem, node, {
      ...schedule,
      ...(deadline !== undefined ? { deadline } : {}),
    });
    port.postMessage({ result } satisfies DualReply);
  } catch (error) {
    port.postMessage({
      error: error instanceof Error ? error.message : String(error),
    } satisfies DualReply);
  }
});
port.postMessage({ ready: true });
