export interface ThrottleOptions<T> {
  /** Minimum time between two delivered droppable events; a function is asked again before each one. */
  intervalMs: number | (() => number);
  /** Events that must never be dropped (status changes, the final step). Others are latest-wins. */
  keep(event: T): boolean;
  /**
   * Where in its interval this consumer's schedule starts, in [0, 1) (default random). Subscribers of one
   * run all get the first step at once; without a phase of their own their windows stay aligned and every
   * frame goes out to all of them in one burst, the last one waiting for all the others.
   */
  phase?: number;
}

/**
 * Re-emits `source` at a pace the consumer can take: droppable events are coalesced (the newest wins)
 * and delivered at most once per `intervalMs`; kept events are always delivered, in order. The source is
 * drained eagerly, so a slow consumer never holds up the producer or other subscribers.
 */
export async function* throttleLatest<T>(
  source: AsyncIterable<T>,
  options: ThrottleOptions<T>,
): AsyncGenerator<T> {
  const queue: T[] = [];
  let pendingDroppable: T | undefined;
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  const iterator = source[Symbol.asyncIterator]();
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) break;
        if (options.keep(value)) {
          // A kept event supersedes older droppable ones only by order: flush the pending one first.
          if (pendingDroppable !== undefined) queue.push(pendingDroppable);
          pendingDroppable = undefined;
          queue.push(value);
        } else {
          pendingDroppable = value;
        }
        notify();
      }
    } catch (error) {
      failure = error;
    } finally {
      finished = true;
      notify();
    }
  })();

  let lastDroppableAt = Number.NEGATIVE_INFINITY;
  let phase = options.phase ?? Math.random();
  try {
    for (;;) {
      if (queue.length > 0) {
        yield queue.shift()!;
        continue;
      }
      if (pendingDroppable !== undefined) {
        const interval = typeof options.intervalMs === 'function' ? options.intervalMs() : options.intervalMs;
        const wait = lastDroppableAt + interval - Date.now();
        if (wait <= 0 || finished) {
          const event = pendingDroppable;
          pendingDroppable = undefined;
          // The first delivery sets this consumer's phase: its next window opens sooner by that fraction.
          lastDroppableAt = Date.now() - phase * interval;
          phase = 0;
          yield event;
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          wake = () => {
            // A kept event may arrive while we wait: it must not wait for the timer.
            if (queue.length > 0 || finished) {
              clearTimeout(timer);
              resolve();
            }
          };
        });
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure !== undefined) throw failure;
  } finally {
    // Not awaited: a source blocked in next() (a live subscription) must not keep the consumer waiting.
    Promise.resolve(iterator.return?.()).catch(() => {});
    void pump;
  }
}
