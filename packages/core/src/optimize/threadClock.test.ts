import { describe, expect, it } from 'vitest';
import { threadCpuSeconds, timeWork } from './threadClock.ts';

const spin = (n: number) => () => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.sqrt(i);
  if (sum < 0) throw new Error('unreachable');
};

describe('thread clock', () => {
  it("the thread's CPU time advances while it works, never backwards", () => {
    const readings = [threadCpuSeconds()];
    for (let round = 0; round < 5; round++) {
      spin(2e6)();
      readings.push(threadCpuSeconds());
    }
    if (readings[0] === undefined) return; // not Linux: timeWork falls back to wall time
    for (let i = 1; i < readings.length; i++) expect(readings[i]!).toBeGreaterThanOrEqual(readings[i - 1]!);
    expect(readings.at(-1)!).toBeGreaterThan(readings[0]!);
  });

  it('times work shorter than a timer tick (where the CPU clock reads 0) as more than nothing', () => {
    const work = spin(2e4);
    work();
    expect(timeWork(work, 3)).toBeGreaterThan(0);
  });

  it('times long work no longer than the wall clock saw any round take', () => {
    const work = spin(1e7);
    const started = performance.now();
    const seconds = timeWork(work, 3);
    const wall = (performance.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(wall);
  });

  it('times work that waits on other threads by the wall clock when asked, by its own CPU time otherwise', () => {
    // 3 rounds of ~15 ms of this thread's CPU (by its own clock, whatever the CPU's speed), then 80 ms
    // waiting (as for a pool's threads).
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const work = () => {
      const started = threadCpuSeconds();
      if (started === undefined) spin(3e6)();
      else while (threadCpuSeconds()! - started < 0.015) spin(1e4)();
      Atomics.wait(cell, 0, 0, 80);
    };
    const waited = timeWork(work, 3, { onThisThread: false });
    expect(waited).toBeGreaterThanOrEqual(0.08);
    if (threadCpuSeconds() === undefined) return; // not Linux: both are wall time
    expect(timeWork(work, 3)).toBeLessThan(0.08);
  });
});
