/**
 * Replayed events every late joiner of this process together may hand on per turn of the event loop. Each
 * event is executed and written to its socket on its own (~0.1 ms): 100 joiners × 200 steps at once would
 * hold the loop for seconds, and the live frames of those already watching with it. Paced, a live frame
 * waits at most one turn.
 */
const EVENTS_PER_TURN = 100;

const waiting: { size: number; go: () => void }[] = [];
let scheduled = false;

/** Resolves when the next `size` replayed events of one subscriber may go out (joiners take turns, in order). */
export function replayTurn(size: number): Promise<void> {
  return new Promise((go) => {
    waiting.push({ size, go });
    if (!scheduled) {
      scheduled = true;
      setImmediate(release);
    }
  });
}

function release(): void {
  let budget = EVENTS_PER_TURN;
  while (waiting.length > 0 && budget > 0) {
    const next = waiting.shift()!;
    budget -= next.size;
    next.go();
  }
  if (waiting.length > 0) setImmediate(release);
  else scheduled = false;
}
