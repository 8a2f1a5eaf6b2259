import { openDatabase, type Storage } from '@argmax/db';
import { createTestModel, createTestTeam, createTestUser } from '@argmax/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateBoundMessage } from '../../jobs/thread/certificateMessages.ts';
import { createEventBus, type RunBoundEvent } from '../../pubsub/eventBus.ts';
import { RunCertificates } from './runCertificate.ts';

let storage: Storage;
beforeAll(async () => {
  storage = await openDatabase();
});
afterAll(() => storage?.close());

async function newRun(): Promise<string> {
  const user = await createTestUser(storage);
  const team = await createTestTeam(storage, user);
  const model = await createTestModel(storage, team, user);
  return (await storage.runs.create({ teamId: team.id, modelId: model.id, creatorId: user.id, spec: {} })).id;
}

/** A bound falling from 200 towards 60 over `seconds`, best value 50 once known. */
const bound = (i: number, n: number, seconds: number): CertificateBoundMessage => ({
  type: 'certificate-bound',
  method: i === 0 ? 'ibp' : 'bab',
  upperBound: 60 + 140 / (1 + i),
  bestValue: i === 0 ? Number.NEGATIVE_INFINITY : 50,
  gap: i === 0 ? Number.POSITIVE_INFINITY : (10 + 140 / (1 + i)) / (60 + 140 / (1 + i)),
  seconds: (seconds * (i + 1)) / n,
});

describe('RunCertificates', () => {
  it('stores what it publishes, thins a long history, and ends it where the certificate ends', async () => {
    const bus = createEventBus();
    const certificates = new RunCertificates(storage, bus, () => {});
    const runId = await newRun();
    const published: RunBoundEvent[] = [];
    const events = bus.subscribe('run', runId);
    const collecting = (async () => {
      for await (const event of events) {
        if (event.type === 'bound') published.push(event);
        if (event.type === 'bound' && event.status === 'DONE') break;
      }
    })();
    await certificates.open(runId, 60);
    certificates.follow(runId, 60);

    const n = 3000;
    for (let i = 0; i < n; i++) certificates.onMessage(runId, bound(i, n, 60));
    const last = bound(n - 1, n, 60);
    certificates.onMessage(runId, {
      type: 'certificate-result',
      status: 'DONE',
      method: 'bab',
      upperBound: last.upperBound,
      bestValue: 50,
      gap: last.gap,
      proven: false,
      seconds: 60,
    });
    await certificates.settle(runId, 'SUCCEEDED');
    await collecting;

    const stored = await storage.runCertificates.get(runId);
    // Every bound while there are few, then log-spaced: 3000 reports over 60 s keep a few hundred points.
    expect(stored?.history.length).toBeGreaterThan(100);
    expect(stored?.history.length).toBeLessThan(400);
    expect(stored?.history[0]).toMatchObject({ method: 'ibp', bestValue: null, gap: null, upperBound: 200 });
    expect(stored?.history.at(-1)).toMatchObject({ upperBound: last.upperBound, seconds: 60 });
    expect(stored).toMatchObject({
      status: 'DONE',
      upperBound: last.upperBound,
      bestValue: 50,
      proven: false,
    });
    // Live subscribers saw exactly the stored points, in order, then the outcome.
    const points = published.filter((e) => e.status === 'RUNNING');
    expect(points.map((e) => e.index)).toEqual(stored!.history.map((_, i) => i));
    expect(points.map((e) => e.upperBound)).toEqual(stored!.history.map((p) => p.upperBound));
    expect(published.at(-1)).toMatchObject({ status: 'DONE', index: stored!.history.length });
  });

  it('records why a certificate ended without a result', async () => {
    const certificates = new RunCertificates(storage, createEventBus(), () => {});
    const off = await newRun();
    await certificates.open(off, 0);
    expect(await storage.runCertificates.get(off)).toMatchObject({ status: 'OFF', timeLimitSeconds: 0 });

    const cancelled = await newRun();
    await certificates.open(cancelled, 10);
    certificates.follow(cancelled, 10);
    certificates.onMessage(cancelled, bound(1, 10, 10));
    await certificates.settle(cancelled, 'CANCELLED');
    expect(await storage.runCertificates.get(cancelled)).toMatchObject({
      status: 'STOPPED',
      reason: 'the run was cancelled before its certificate was finished',
      upperBound: bound(1, 10, 10).upperBound,
    });
    // Late messages of a settled run change nothing.
    certificates.onMessage(cancelled, bound(2, 10, 10));
    expect((await storage.runCertificates.get(cancelled))?.history).toHaveLength(1);
  });
});
