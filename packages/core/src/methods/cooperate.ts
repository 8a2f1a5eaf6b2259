import { CancelledError } from '../errors.ts';

/**
 * Returns a function a step loop awaits once per step: it throws CancelledError once `signal` aborts,
 * and every ~20 ms yields to the event loop, so an abort (or a worker message that triggers one) can
 * arrive while a tight loop runs. Async generators alone only yield to microtasks.
 */
export function cooperation(signal: AbortSignal | undefined): () => Promise<void> {
  let last = performance.now();
  const check = () => {
    if (signal?.aborted) {
      const reason = signal.reason instanceof Error ? signal.reason.message : signal.reason;
      throw new CancelledError(typeof reason === 'string' && reason ? `cancelled: ${reason}` : 'cancelled');
    }
  };
  return async () => {
    check();
    if (performance.now() - last > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      last = performance.now();
      check();
    }
  };
}
