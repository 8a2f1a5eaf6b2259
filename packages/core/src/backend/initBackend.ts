import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

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

/**
 * Picks the fastest backend that works here: tfjs-node when it loads (an optional dependency that
 * needs libtensorflow, downloaded at its install), then wasm (SIMD), then plain cpu.
 * `ARGMAX_BACKEND=cpu|wasm|tensorflow` forces a choice. Idempotent: later calls return the first result.
 */
export function initBackend(
  preferred: BackendName | undefined = envPreference(),
  log: (line: string) => void = (line) => console.error(line),
): Promise<BackendInfo> {
  current ??= choose(preferred, log);
  return current;
}

/** The backend chosen by initBackend; throws if it has not run yet. */
export async function backendInfo(): Promise<BackendInfo> {
  if (!current) throw new Error('initBackend() has not been called');
  return current;
}

function envPreference(): BackendName | undefined {
  const value = process.env.ARGMAX_BACKEND;
  if (value === 'tensorflow' || value === 'wasm' || value === 'cpu') return value;
  if (value)
    throw new Error(`ARGMAX_BACKEND: received ${JSON.stringify(value)}; expected tensorflow, wasm or cpu`);
  return undefined;
}

async function choose(preferred: BackendName | undefined, log: (line: string) => void): Promise<BackendInfo> {
  const order: BackendName[] = preferred
    ? [preferred, ...(['tensorflow', 'wasm', 'cpu'] as const).filter((b) => b !== preferred)]
    : ['tensorflow', 'wasm', 'cpu'];
  const fallbacks: string[] = [];
  for (const name of order) {
    try {
      const info = await tryBackend(name);
      if (info) {
        info.fallbacks = fallbacks;
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

async function tryBackend(name: BackendName): Promise<BackendInfo | undefined> {
  if (name === 'tensorflow') {
    // Optional dependency: absent (or without libtensorflow) on machines that could not download it.
    await import('@tensorflow/tfjs-node' as string);
  } else if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  }
  if (!(await tf.setBackend(name))) return undefined;
  await tf.ready();
  const wasm = name === 'wasm';
  return {
    name,
    simd: wasm && tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    threads: wasm && tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 2 : 1,
    fallbacks: [],
  };
}
