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
  /**
   * How long, once a window opens, to wait for a newer droppable event when the pending one arrived while
   * the window was closed (default 0: deliver it at once). With a source that publishes every P ms, a grace
   * of about P sends the next event the moment it arrives instead of one up to P ms old; if nothing newer
   * comes within the grace (the source paused), the pending event goes out, so the latest is never lost.
   */
  freshGraceMs?: number;
  /**
   * Whether a kept event makes the pending droppable one pointless (a run's final step after an older
   * step): it is then dropped instead of being sent just before. Default: never; the pending event goes
   * out first, so order and "latest always delivered" hold.
   */
  replaces?(kept: T, pending: T): boolean;
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
  let pendingSince = 0;
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
  };

  const iterator = source[Symbol.asyncIterator]();
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) break;
        if (options.keep(value)) {
          // A kept event supersedes older droppable ones only by order (flush the pending one first), unless
          // it replaces it.
          if (pendingDroppable !== undefined && !options.replaces?.(value, pendingDroppable))
            queue.push(pendingDroppable);
          pendingDroppable = undefined;
          queue.push(value);
        } else {
          pendingDroppable = value;
          pendingSince = Date.now();
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
  const grace = options.freshGraceMs ?? 0;
  /**
   * Sleeps until `ms` pass (never, for Infinity) or, sooner, `until()` holds once an event arrives or the
   * source ends. Without a timer when there is nothing to time: an abandoned consumer must not hold the
   * process open.
   */
  const sleep = (ms: number, until: () => boolean) =>
    new Promise<void>((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = () => {
        if (finished || until()) done();
      };
    });
  try {
    for (;;) {
      if (queue.length > 0) {
        yield queue.shift()!;
        continue;
      }
      if (pendingDroppable !== undefined) {
        const interval = typeof options.intervalMs === 'function' ? options.intervalMs() : options.intervalMs;
        const opensAt = lastDroppableAt + interval;
        const now = Date.now();
        const stale = pendingSince < opensAt;
        if (finished || (now >= opensAt && (!stale || now >= opensAt + grace))) {
          const event = pendingDroppable;
          pendingDroppable = undefined;
          // The first delivery sets this consumer's phase: its next window opens sooner by that fraction.
          lastDroppableAt = Date.now() - phase * interval;
          phase = 0;
          yield event;
          continue;
        }
        // A kept event must not wait for the timer; in the grace period, neither must a fresh step.
        const wait = now < opensAt ? opensAt - now : opensAt + grace - now;
        await sleep(wait, () => queue.length > 0 || pendingSince >= opensAt);
        continue;
      }
      if (finished) break;
      await sleep(Number.POSITIVE_INFINITY, () => true);
    }
    if (failure !== undefined) throw failure;
  } finally {
    // Not awaited: a source blocked in next() (a live subscription) must not keep the consumer waiting.
    Promise.resolve(iterator.return?.()).catch(() => {});
    void pump;
  }
}
