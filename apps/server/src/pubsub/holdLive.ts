/**
 * Starts reading a bus subscription now and holds its events until `release()`, so a stream can hand on
 * what storage holds first and the live events after, losing none published in between: the bus listens
 * only once its subscription is read, so a stream that read storage first missed whatever was published
 * meanwhile (a job's end among them, and then it waited forever). Repeats are for `emit` to skip.
 */
export function holdLive<T>(
  live: AsyncIterableIterator<T>,
  emit: (event: T) => void,
  /** Whether the stream has ended (its final event emitted): reading stops. */
  ended: () => boolean,
): { release(): void; close(): Promise<void> } {
  let holding = true;
  const held: T[] = [];
  const reading = (async () => {
    for await (const event of live) {
      if (holding) held.push(event);
      else emit(event);
      if (ended()) break;
    }
  })();
  return {
    release() {
      holding = false;
      for (const event of held.splice(0)) emit(event);
    },
    async close() {
      await live.return?.();
      await reading.catch(() => {});
    },
  };
}
