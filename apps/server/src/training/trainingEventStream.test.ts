import { openDatabase, type Storage } from '@argmax/db';
import { createTestTeam, createTestUser } from '@argmax/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus, type TrainingEventMessage } from '../pubsub/eventBus.ts';
import { trainingEventStream } from './trainingEventStream.ts';

let storage: Storage;
beforeAll(async () => {
  storage = await openDatabase();
});
afterAll(async () => {
  await storage?.close();
});

async function runningJob() {
  const user = await createTestUser(storage);
  const team = await createTestTeam(storage, user);
  const job = await storage.trainingJobs.create({ teamId: team.id, creatorId: user.id, spec: { epochs: 1 } });
  return (await storage.trainingJobs.markRunning(job.id, { backend: 'cpu' }))!;
}

async function collect(events: AsyncIterable<TrainingEventMessage>): Promise<TrainingEventMessage[]> {
  const seen: TrainingEventMessage[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe('trainingEventStream', () => {
  it('ends when the job ends while the stream reads its status, and gives each event once', async () => {
    const job = await runningJob();
    const bus = createEventBus();
    // The job's last epoch and its end happen during the stream's read of the job row, as the job
    // machinery does them: stored first, then published.
    const epoch = { seq: 0, kind: 'epoch' as const, epoch: 1, batch: null, metrics: { loss: 0.5 } };
    const racing: Storage = {
      ...storage,
      trainingJobs: {
        ...storage.trainingJobs,
        get: async (id) => {
          const row = await storage.trainingJobs.get(id);
          await storage.trainingEvents.append(id, [epoch]);
          bus.publish('training', id, { jobId: id, kind: 'epoch', seq: 0, payload: { epoch: 1, loss: 0.5 } });
          await storage.trainingJobs.finish(id, { status: 'SUCCEEDED' });
          bus.publish('training', id, {
            jobId: id,
            kind: 'status',
            seq: -1,
            payload: { status: 'SUCCEEDED', error: null },
          });
          return row;
        },
      },
    };
    const events = await collect(trainingEventStream(job, racing, bus));
    expect(events.map((e) => [e.kind, e.payload.status ?? e.payload.epoch])).toEqual([
      ['status', 'RUNNING'],
      ['epoch', 1],
      ['status', 'SUCCEEDED'],
    ]);
  });

  it('gives a long job that ended before it came every stored event, more than a page and a push queue hold', async () => {
    const job = await runningJob();
    // 12,000 events: over the repository's page of 10,000 and far over the 1,024 pushes a stream may queue.
    const stored = Array.from({ length: 12_000 }, (_, seq) =>
      seq % 100 === 99
        ? {
            seq,
            kind: 'epoch' as const,
            epoch: (seq + 1) / 100,
            batch: null,
            metrics: { loss: 1 / (seq + 1) },
          }
        : {
            seq,
            kind: 'batch' as const,
            epoch: Math.floor(seq / 100) + 1,
            batch: seq % 100,
            metrics: { loss: 1 },
          },
    );
    for (let i = 0; i < stored.length; i += 1000)
      await storage.trainingEvents.append(job.id, stored.slice(i, i + 1000));
    await storage.trainingJobs.finish(job.id, { status: 'SUCCEEDED' });
    const events = await collect(trainingEventStream(job, storage, createEventBus()));
    expect(events.map((e) => e.seq)).toEqual([...stored.map((e) => e.seq), -1]);
    expect(events.filter((e) => e.kind === 'epoch').map((e) => e.payload.epoch)).toEqual(
      Array.from({ length: 120 }, (_, i) => i + 1),
    );
  });

  it('stops reading the stored history once the subscriber leaves', async () => {
    const job = await runningJob();
    // 25,000 events: three pages of the repository's 10,000.
    const stored = Array.from({ length: 25_000 }, (_, seq) => ({
      seq,
      kind: 'batch' as const,
      epoch: 1,
      batch: seq,
      metrics: { loss: 1 },
    }));
    for (let i = 0; i < stored.length; i += 5000)
      await storage.trainingEvents.append(job.id, stored.slice(i, i + 5000));
    await storage.trainingJobs.finish(job.id, { status: 'SUCCEEDED' });
    const pagesRead: number[] = [];
    const counting: Storage = {
      ...storage,
      trainingEvents: {
        ...storage.trainingEvents,
        read: async (id, options) => {
          pagesRead.push(options?.fromSeq ?? 0);
          return storage.trainingEvents.read(id, options);
        },
      },
    };
    const taken: number[] = [];
    // Leaving the loop returns the stream, which waits for its producer to finish.
    for await (const event of trainingEventStream(job, counting, createEventBus())) {
      taken.push(event.seq);
      if (taken.length === 5) break;
    }
    expect(taken).toEqual([0, 1, 2, 3, 4]);
    expect(pagesRead).toEqual([0]);
  });

  it('gives a job that ended before it came its stored events in order, then its end', async () => {
    const job = await runningJob();
    await storage.trainingEvents.append(job.id, [
      { seq: 0, kind: 'batch', epoch: 1, batch: 10, metrics: { loss: 0.9 } },
      { seq: 1, kind: 'epoch', epoch: 1, batch: null, metrics: { loss: 0.7, testAccuracy: 0.8 } },
    ]);
    await storage.trainingJobs.finish(job.id, { status: 'FAILED', error: 'out of memory' });
    const events = await collect(trainingEventStream(job, storage, createEventBus()));
    expect(events.map(({ kind, seq, payload }) => ({ kind, seq, payload }))).toEqual([
      { kind: 'batch', seq: 0, payload: { epoch: 1, batch: 10, loss: 0.9 } },
      { kind: 'epoch', seq: 1, payload: { epoch: 1, loss: 0.7, testAccuracy: 0.8 } },
      { kind: 'status', seq: -1, payload: { status: 'FAILED', error: 'out of memory' } },
    ]);
  });
});
