import { describe, expect, it } from 'vitest';
import { throttleLatest } from './throttleLatest.ts';

type Ev = { kind: 'step' | 'status'; n: number };

async function* produce(events: Ev[], gapMs: number): AsyncGenerator<Ev> {
  for (const e of events) {
    yield e;
    await new Promise((r) => setTimeout(r, gapMs));
  }
}

async function collect(source: AsyncIterable<Ev>, consumerDelayMs = 0): Promise<Ev[]> {
  const out: Ev[] = [];
  for await (const e of source) {
    out.push(e);
    if (consumerDelayMs) await new Promise((r) => setTimeout(r, consumerDelayMs));
  }
  return out;
}

describe('throttleLatest', () => {
  const keep = (e: Ev) => e.kind === 'status';

  it('coalesces fast steps, keeps every status event and the last step', async () => {
    const events: Ev[] = [{ kind: 'status', n: 0 }];
    for (let i = 1; i <= 200; i++) events.push({ kind: 'step', n: i });
    events.push({ kind: 'status', n: 201 });
    const out = await collect(throttleLatest(produce(events, 1), { intervalMs: 40, keep }));
    const steps = out.filter((e) => e.kind === 'step').map((e) => e.n);
    expect(out.filter((e) => e.kind === 'status').map((e) => e.n)).toEqual([0, 201]);
    expect(steps.length).toBeLessThan(100);
    expect(steps.length).toBeGreaterThan(2);
    expect(steps.at(-1)).toBe(200);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(out.at(-1)).toEqual({ kind: 'status', n: 201 });
  });

  it('a slow consumer does not slow the producer', async () => {
    let producedAt = 0;
    async function* fast(): AsyncGenerator<Ev> {
      for (let i = 0; i < 50; i++) yield { kind: 'step', n: i };
      producedAt = Date.now();
    }
    const start = Date.now();
    const out = await collect(throttleLatest(fast(), { intervalMs: 10, keep }), 50);
    expect(producedAt - start).toBeLessThan(50);
    expect(out.at(-1)?.n).toBe(49);
    expect(out.length).toBeLessThan(10);
  });

  it('passes a source error through after the events before it', async () => {
    async function* failing(): AsyncGenerator<Ev> {
      yield { kind: 'status', n: 1 };
      throw new Error('boom');
    }
    const out: Ev[] = [];
    await expect(
      (async () => {
        for await (const e of throttleLatest(failing(), { intervalMs: 10, keep })) out.push(e);
      })(),
    ).rejects.toThrow('boom');
    expect(out).toEqual([{ kind: 'status', n: 1 }]);
  });

  it('with a grace, sends the next step as it arrives instead of one held since the window closed', async () => {
    // Steps every 30 ms, windows of 45 ms: without a grace the step held at a window's end is ~15 ms old.
    const events: Ev[] = Array.from({ length: 30 }, (_, i) => ({ kind: 'step', n: i }));
    const ages = async (freshGraceMs: number) => {
      const arrivals = new Map<number, number>();
      async function* stamped(): AsyncGenerator<Ev> {
        for await (const e of produce(events, 30)) {
          arrivals.set(e.n, Date.now());
          yield e;
        }
      }
      const seen: number[] = [];
      for await (const e of throttleLatest(stamped(), { intervalMs: 45, keep, phase: 0, freshGraceMs })) {
        seen.push(Date.now() - arrivals.get(e.n)!);
      }
      return seen.slice(1, -1).sort((a, b) => a - b);
    };
    const [held, fresh] = await Promise.all([ages(0), ages(40)]);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
    expect(median(held)).toBeGreaterThanOrEqual(8);
    expect(median(fresh)).toBeLessThan(median(held));
    expect(median(fresh)).toBeLessThanOrEqual(5);
  });

  it('with a grace, still sends the latest step when the source pauses', async () => {
    async function* pausing(): AsyncGenerator<Ev> {
      yield { kind: 'step', n: 1 };
      yield { kind: 'step', n: 2 };
      await new Promise((r) => setTimeout(r, 300));
      yield { kind: 'status', n: 3 };
    }
    const out: { n: number; at: number }[] = [];
    const start = Date.now();
    for await (const e of throttleLatest(pausing(), { intervalMs: 20, keep, phase: 0, freshGraceMs: 30 })) {
      out.push({ n: e.n, at: Date.now() - start });
    }
    expect(out.map((e) => e.n)).toEqual([1, 2, 3]);
    // Step 2 went out after its window and grace, long before the source resumed.
    expect(out[1]!.at).toBeLessThan(200);
  });

  it('drops a pending step that a kept event replaces, and sends one it does not replace first', async () => {
    const run = async (replaces?: (kept: Ev, pending: Ev) => boolean) => {
      async function* source(): AsyncGenerator<Ev> {
        yield { kind: 'step', n: 1 }; // sent at once
        yield { kind: 'step', n: 2 }; // pending: the window is closed
        yield { kind: 'status', n: 3 }; // kept
      }
      const out = await collect(
        throttleLatest(source(), { intervalMs: 1000, keep, phase: 0, ...(replaces ? { replaces } : {}) }),
      );
      return out.map((e) => e.n);
    };
    expect(await run()).toEqual([1, 2, 3]);
    expect(await run((kept) => kept.n === 3)).toEqual([1, 3]);
  });

  it('gives each consumer its own phase, so watchers of one run are not served in one burst', async () => {
    const events: Ev[] = Array.from({ length: 40 }, (_, i) => ({ kind: 'step', n: i }));
    const secondStep = async (phase: number) => {
      const out = await collect(throttleLatest(produce(events, 5), { intervalMs: 60, keep, phase }));
      return out[1]!.n;
    };
    const [aligned, halfway] = await Promise.all([secondStep(0), secondStep(0.5)]);
    // Both get step 0 at once; the one half a window ahead gets its next frame about 30 ms sooner.
    expect(halfway).toBeLessThan(aligned);
  });
});
