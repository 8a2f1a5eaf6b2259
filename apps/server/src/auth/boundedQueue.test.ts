import { describe, expect, it } from 'vitest';
import { BoundedQueue, QueueFullError } from './boundedQueue.ts';

/** A task that runs until the test ends it. */
function heldTask(log: string[], name: string) {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    run: async () => {
      log.push(`start ${name}`);
      await held;
      log.push(`end ${name}`);
      return name;
    },
    release: () => release(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('BoundedQueue', () => {
  it('runs 2 at once, queues 1 in order, refuses the next at once, and frees its slots', async () => {
    const queue = new BoundedQueue(2, 1);
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => heldTask(log, name));
    const done = [queue.run(a!.run), queue.run(b!.run), queue.run(c!.run)];
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    expect(queue.depth).toBe(3);
    await expect(queue.run(async () => 'd')).rejects.toBeInstanceOf(QueueFullError);

    b!.release();
    await tick();
    expect(log).toEqual(['start a', 'start b', 'end b', 'start c']);
    a!.release();
    c!.release();
    expect(await Promise.all(done)).toEqual(['a', 'b', 'c']);
    expect(queue.depth).toBe(0);
    expect(await queue.run(async () => 'e')).toBe('e');
  });

  it('frees the slot of a task that throws', async () => {
    const queue = new BoundedQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(async () => 'next')).toBe('next');
  });
});
