import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { prepareWasmThreads, releaseWasmThreads, wantedWasmThreads } from './wasmThreads.ts';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** The tfjs backend that runs: `tensorflow` (tfjs-node, native), `wasm` or `cpu`. */
  name: BackendName;
  /** wasm only: SIMD and threads in use. */
  simd: boolean;
  threads: number;
  /** Why a preferred backend was not used, one line each (empty when the first choice ran). */
  fallbacks: string[];
}

let current: Promise<BackendInfo> | undefined;
/** What `current` resolved to, for the synchronous question below. */
let chosen: BackendInfo | undefined;

/**
 * Picks the fastest backend that works here: tfjs-node when it loads (an optional dependency that
 * needs libtensorflow, downloaded at its install), then wasm (SIMD), then plain cpu.
 * wasm runs its single-threaded SIMD build, or its threaded build with more threads: `ARGMAX_WASM_THREADS`,
 * else `threads` (default 1; falling back to one thread when that cannot start).
 * `ARGMAX_BACKEND=cpu|wasm|tensorflow` forces a choice. Idempotent: later calls return the first result.
 */
export function initBackend(
  preferred: BackendName | undefined = envPreference(),
  log: (line: string) => void = (line) => console.error(line),
  threads = 1,
): Promise<BackendInfo> {
  current ??= choose(preferred, log, threads);
  return current;
}

/** The backend chosen by initBackend; throws if it has not run yet. */
export async function backendInfo(): Promise<BackendInfo> {
  if (!current) throw new Error('initBackend() has not been called');
  return current;
}

/**
 * Whether the active tfjs backend does an op's work on the calling thread alone (cpu, or wasm without
 * an XNNPACK pool). tfjs-node and the threaded wasm build spread it over a pool, so the calling
 * thread's CPU time holds only its own share of the work.
 */
export function workIsOnCallingThread(): boolean {
  const active = tf.getBackend();
  if (active === 'cpu') return true;
  if (active === 'wasm') return chosen?.name !== 'wasm' || chosen.threads <= 1;
  return false;
}

function envPreference(): BackendName | undefined {
  const value = process.env.ARGMAX_BACKEND;
  if (value === 'tensorflow' || value === 'wasm' || value === 'cpu') return value;
  if (value)
    throw new Error(`ARGMAX_BACKEND: received ${JSON.stringify(value)}; expected tensorflow, wasm or cpu`);
  return undefined;
}

async function choose(
  preferred: BackendName | undefined,
  log: (line: string) => void,
  threads: number,
): Promise<BackendInfo> {
  const order: BackendName[] = preferred
    ? [preferred, ...(['tensorflow', 'wasm', 'cpu'] as const).filter((b) => b !== preferred)]
    : ['tensorflow', 'wasm', 'cpu'];
  const fallbacks: string[] = [];
  for (const name of order) {
    try {
      const info = await tryBackend(name, fallbacks, threads);
      if (info) {
        info.fallbacks = fallbacks;
        chosen = info;
        log(
          `argmax: tfjs backend ${info.name}${info.name === 'wasm' ? ` (simd ${info.simd}, threads ${info.threads})` : ''}`,
        );
        return info;
      }
      fallbacks.push(`${name}: not available`);
    } catch (error) {
      fallbacks.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no tfjs backend could start: ${fallbacks.join('; ')}`);
}

async function tryBackend(
  name: BackendName,
  fallbacks: string[],
  threads: number,
): Promise<BackendInfo | undefined> {
  if (name === 'tensorflow') {
    // Optional dependency: absent (or without libtensorflow) on machines that could not download it.
    await import('@tensorflow/tfjs-node' as string);
  } else if (name === 'wasm') {
    return tryWasm(fallbacks, threads);
  }
  if (!(await tf.setBackend(name))) return undefined;
  await tf.ready();
  return { name, simd: false, threads: 1, fallbacks: [] };
}

async function tryWasm(fallbacks: string[], fallbackThreads: number): Promise<BackendInfo | undefined> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const threads = wantedWasmThreads(fallbackThreads);
  if (threads > 1) {
    const restore = prepareWasmThreads(wasm, threads);
    try {
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        releaseWasmThreads(tf.backend());
        return {
          name: 'wasm',
          simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean,
          threads: wasm.getThreadsCount(),
          fallbacks: [],
        };
      }
      fallbacks.push('wasm threads: the threaded build did not start');
    } catch (error) {
      fallbacks.push(`wasm threads: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      restore();
    }
    // Start again without threads: the factory reads the flag on each start.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  if (!(await tf.setBackend('wasm'))) return undefined;
  await tf.ready();
  return {
    name: 'wasm',
    simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean,
    threads: 1,
    fallbacks: [],
  };
}
