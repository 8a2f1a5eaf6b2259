import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisForTests, TEST_REDIS_URL } from '../testing/redisForTests.ts';
import type { RunEvent } from './eventBus.ts';
import { type OpenedEventBus, openEventBus } from './openEventBus.ts';

const redisUrl = TEST_REDIS_URL;
const redisUp = await redisForTests();

const opened: OpenedEventBus[] = [];
afterAll(async () => {
  await Promise.all(opened.map((b) => b.close()));
});

async function open(kind: 'memory' | 'redis', prefix: string): Promise<OpenedEventBus> {
  const bus = await openEventBus(kind === 'redis' ? { redisUrl, prefix } : {});
  opened.push(bus);
  return bus;
}

const step = (runId: string, n: number): RunEvent => ({
  type: 'step',
  runId,
  step: n,
  steps: 10,
  restarts: 4,
  objective: n,
  violation: 0,
  outputs: [0.1, 0.9],
  image: null,
  publishedAt: Date.now(),
});

async function take(source: AsyncIterable<RunEvent>, count: number): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const event of source) {
    out.push(event);
    if (out.length === count) break;
  }
  return out;
}

// One suite, every transport (as graphql-yoga tests its pub/sub).
describe.each(['memory', 'redis'] as const)('event bus over %s', (kind) => {
  const skip = kind === 'redis' && !redisUp;

  it.skipIf(skip)('delivers a run’s events in order to its subscribers only', async () => {
    const { bus } = await open(kind, `argmax-test-${randomUUID()}:`);
    const a = randomUUID();
    const b = randomUUID();
    const received = take(bus.subscribe('run', a), 3);
    const other = bus.subscribe('run', b);
    await bus.listening(); // Redis registers a SUBSCRIBE after it was sent
    bus.publish('run', b, step(b, 99));
    for (let i = 0; i < 3; i++) bus.publish('run', a, step(a, i));
    const events = await received;
    expect(events.map((e) => (e.type === 'step' ? e.step : -1))).toEqual([0, 1, 2]);
    expect(events.every((e) => e.runId === a)).toBe(true);
    await other.return?.();
  });
});

describe.skipIf(!redisUp)('event bus over Redis, across processes', () => {
  it('has the server register every subscription read so far once listening() resolves', async () => {
    const prefix = `argmax-test-${randomUUID()}:`;
    const { bus } = await open('redis', prefix);
    const observer = new Redis(redisUrl);
    const runs = Array.from({ length: 20 }, () => randomUUID());
    const streams = runs.map((id) => bus.subscribe('run', id));
    try {
      // The bus's subscribe connection drops (a network blip): its SUBSCRIBEs wait for the reconnect.
      const clients = String(await observer.client('LIST')).split('\n');
      const id = clients.find((line) => line.includes(` name=${prefix}subscribe `))?.match(/^id=(\d+)/)?.[1];
      expect(id).toBeDefined();
      await observer.client('KILL', 'ID', id!);
      // Reading a subscription is what makes the bus listen (graphql-yoga's pub/sub).
      for (const stream of streams) void stream.next();
      await bus.listening();
      const counts = (await observer.pubsub('NUMSUB', ...runs.map((r) => `${prefix}run:${r}`))) as unknown[];
      // [channel, count, channel, count, …]
      expect(counts.filter((_, i) => i % 2 === 1).map(Number)).toEqual(runs.map(() => 1));
    } finally {
      await observer.quit();
      await Promise.all(streams.map((stream) => stream.return?.()));
    }
  });

  it('reaches a subscriber of another process’s bus (a second server)', async () => {
    const prefix = `argmax-test-${randomUUID()}:`;
    const serverA = await open('redis', prefix);
    const serverB = await open('redis', prefix);
    const elsewhere = await open('redis', `argmax-test-${randomUUID()}:`);
    const runId = randomUUID();
    const onA = take(serverA.bus.subscribe('run', runId), 2);
    let leaked = 0;
    const stray = elsewhere.bus.subscribe('run', runId);
    void (async () => {
      for await (const _ of stray) leaked++;
    })();
    await Promise.all([serverA.bus.listening(), elsewhere.bus.listening()]);
    serverB.bus.publish('run', runId, step(runId, 1));
    serverB.bus.publish('run', runId, { type: 'status', runId, status: 'SUCCEEDED', error: null });
    const events = await onA;
    expect(events.map((e) => e.type)).toEqual(['step', 'status']);
    expect(leaked).toBe(0);
    await stray.return?.();
  });
});
