import { Worker } from 'node:worker_threads';
import type { SingleLayerForm } from '../lp/singleLayerForm.ts';
import {
  type DualResult,
  type DualSchedule,
  optimizeDual,
  type SubsetNodeState,
  type SubsetProblem,
} from './subsetDual.ts';

/** Optimises nodes' duals for a subset search, in this thread or on worker threads. */
export interface DualRunner {
  readonly threads: number;
  optimize(node: SubsetNodeState, schedule: DualSchedule): Promise<DualResult>;
  close(): void;
}

/** One node for a thread, which works on one at a time (so replies need no id). */
export interface DualRequest {
  node: SubsetNodeState;
  schedule: Omit<DualSchedule, 'deadline'>;
  /** The deadline as epoch milliseconds (each thread's performance.now() has its own origin). */
  deadlineEpoch?: number;
}

export type DualReply = { result: DualResult } | { error: string };

/** Each node in turn, in this thread. */
export function inProcessRunner(problem: SubsetProblem): DualRunner {
  return {
    threads: 1,
    optimize: async (node, schedule) => optimizeDual(problem, node, schedule),
    close: () => {},
  };
}

interface Task {
  request: DualRequest;
  resolve(result: DualResult): void;
  reject(error: Error): void;
}

interface Slot {
  thread: Worker;
  ready: boolean;
  task?: Task;
}

/**
 * Nodes spread over `threads` worker threads, each holding its own copy of the problem (built once
 * from the form: ~1 MB for the seed model). A node's message is its parameters (~60 kB) against
 * ~0.5 s of work, so the threads stay busy; a failed thread fails its node and every later one.
 */
export function threadRunner(
  form: SingleLayerForm,
  lo: Float64Array,
  hi: Float64Array,
  threads: number,
): DualRunner {
  const queue: Task[] = [];
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const slot of slots) {
      slot.task?.reject(failure);
      slot.task = undefined;
    }
    for (const task of queue.splice(0)) task.reject(failure);
  };
  const pump = () => {
    for (const slot of slots) {
      if (!slot.ready || slot.task || queue.length === 0) continue;
      const task = queue.shift()!;
      slot.task = task;
      // Busy threads keep the process alive (the caller awaits them); idle ones must not.
      slot.thread.ref();
      slot.thread.postMessage(task.request);
    }
  };
  const slots: Slot[] = Array.from({ length: threads }, () => {
    const thread = new Worker(new URL('./subsetDualWorker.mjs', import.meta.url), {
      workerData: { form, lo, hi },
    });
    thread.unref();
    const slot: Slot = { thread, ready: false };
    thread.on('message', (message: DualReply | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
      } else {
        const task = slot.task;
        slot.task = undefined;
        thread.unref();
        if (task && 'result' in message) task.resolve(message.result);
        else if (task && 'error' in message) task.reject(new Error(`subset search thread: ${message.error}`));
      }
      pump();
    });
    thread.on('error', (error) => fail(error));
    thread.on('exit', (code) => {
      if (!closed) fail(new Error(`a subset search thread exited (code ${code})`));
    });
    return slot;
  });
  let closed = false;
  return {
    threads,
    optimize(node, schedule) {
      const { deadline, ...rest } = schedule;
      const request: DualRequest = {
        node,
        schedule: rest,
        ...(deadline !== undefined ? { deadlineEpoch: performance.timeOrigin + deadline } : {}),
      };
      return new Promise<DualResult>((resolve, reject) => {
        if (failure) return reject(failure);
        queue.push({ request, resolve, reject });
        pump();
      });
    },
    close() {
      closed = true;
      for (const slot of slots) void slot.thread.terminate();
    },
  };
}
