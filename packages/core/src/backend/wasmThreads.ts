import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

/** The pthread worker script: a file Node's worker_threads can start (browsers get a blob URL). */
const workerScript = fileURLToPath(new URL('./wasmThreadWorker.cjs', import.meta.url));

/**
 * The threads wanted for the wasm backend's XNNPACK pool: `ARGMAX_WASM_THREADS`, else 1 (the
 * single-threaded build). Opt-in until a speed-up is measured on a quiet machine: on the shared 2-core
 * machine 2 threads ran slower than 1, and the threaded build starts 8 workers per backend (per job thread
 * in the server). The pool never exceeds 8.
 */
export function wantedWasmThreads(): number {
  const value = process.env.ARGMAX_WASM_THREADS;
  if (value === undefined || value === '') return 1;
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`ARGMAX_WASM_THREADS: received ${JSON.stringify(value)}; expected an integer ≥ 1`);
  return Math.min(8, threads);
}

/**
 * Lets the next `tf.setBackend('wasm')` start tfjs-backend-wasm's threaded SIMD build in Node, where
 * tfjs 4.22 never tries it (its flag answers false under Node: tensorflow/tfjs#3830). Three things
 * stand in the way, each put back by the returned function once the backend has started:
 * - the flag `WASM_HAS_MULTITHREAD_SUPPORT` (set, and left set: the backend is now threaded);
 * - the pthread workers' script, handed out as a blob URL that worker_threads cannot start:
 *   `URL.createObjectURL` answers the path of `wasmThreadWorker.cjs` for that script instead;
 * - the pool size, capped by the C++ side at half the logical cores (it assumes hyper-threading),
 *   so one thread on a 2-core machine: `os.cpus()` answers `threads × 2` entries meanwhile, and
 *   `setThreadsCount` asks for `threads`.
 */
export function prepareWasmThreads(
  wasm: { setThreadsCount(threads: number): void },
  threads: number,
): () => void {
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  URL.createObjectURL = (blob: Blob) =>
    blob.type === 'application/javascript' ? workerScript : createObjectURL(blob);
  os.cpus = () => Array.from({ length: threads * 2 }, (_, i) => cpus()[i % cpus().length]!);
  return () => {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  };
}

/**
 * Lets the process exit while the pool's threads wait for work: Emscripten keeps a running pthread's
 * worker referenced, and XNNPACK's pool threads run (idle) for the backend's whole life.
 */
export function releaseWasmThreads(backend: unknown): void {
  const pthreads = (backend as { wasm?: { PThread?: { runningWorkers: { unref(): void }[] } } }).wasm
    ?.PThread;
  for (const worker of pthreads?.runningWorkers ?? []) worker.unref();
}
