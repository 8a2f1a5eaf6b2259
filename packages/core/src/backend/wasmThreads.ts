import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

/** The pthread worker script: a file Node's worker_threads can start (browsers get a blob URL). */
const workerScript = fileURLToPath(new URL('./wasmThreadWorker.cjs', import.meta.url));

/**
 * The threads wanted for the wasm backend's XNNPACK pool: `ARGMAX_WASM_THREADS`, else `fallback` (1: the
 * single-threaded build). A library caller or the server gets 1 unless the variable says more: the
 * threaded build starts a pool per backend (per job thread in the server), and on a busy 2-core machine
 * 2 threads ran slower than 1. The CLI's optimize command, one optimisation in its own process, asks for
 * 2 where a core is idle (cliWasmThreads). The pool never exceeds 8.
 */
export function wantedWasmThreads(fallback = 1): number {
  const value = process.env.ARGMAX_WASM_THREADS;
  if (value === undefined || value === '') return Math.max(1, Math.min(8, Math.floor(fallback)));
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`ARGMAX_WASM_THREADS: received ${JSON.stringify(value)}; expected an integer ≥ 1`);
  return Math.min(8, threads);
}

/**
 * The pool the CLI's optimize command starts without `ARGMAX_WASM_THREADS`: 2 threads where the
 * machine has 2 cores or more and the last minute's load average leaves part of one idle, else 1. A
 * second thread pays only on a core of its own: on the 2-core machine a Keras Fashion-MNIST CNN's
 * fixed 20 × 64 run took 2.08 s on 2 threads against 2.77 s on one at load 2, while at load 13–15
 * the seed MLP's default run took 16–17 s on 2 threads against 5–7 s on one (its steps are ~1 ms:
 * each op waited for the other thread's turn on a core).
 */
export function cliWasmThreads(cores = os.availableParallelism(), load = os.loadavg()[0] ?? 0): number {
  return cores >= 2 && load < cores ? 2 : 1;
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
