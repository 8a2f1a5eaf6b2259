import { InvalidArgumentError } from '@argmax/core/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../storage.ts';
import { createTestModel, createTestTeam, createTestUser } from '../testing/fixtures.ts';
import { storageBackends } from '../testing/storageBackends.ts';

const backends = await storageBackends();

describe.each(backends)('run certificates on $name', (backend) => {
  let storage: Storage;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ storage, dispose } = await backend.open());
  });
  afterAll(() => dispose?.());

  async function newRun() {
    const user = await createTestUser(storage);
    const team = await createTestTeam(storage, user);
    const model = await createTestModel(storage, team, user);
    return storage.runs.create({ teamId: team.id, modelId: model.id, creatorId: user.id, spec: {} });
  }

  it('goes PENDING → RUNNING with its bound history → DONE, and then never changes', async () => {
    const run = await newRun();
    const created = await storage.runCertificates.create(run.id, { timeLimitSeconds: 10 });
    expect(created).toMatchObject({
      runId: run.id,
      status: 'PENDING',
      timeLimitSeconds: 10,
      upperBound: null,
      history: [],
    });
    // Creating again (a retried request) keeps the first.
    expect((await storage.runCertificates.create(run.id, { timeLimitSeconds: 3 })).timeLimitSeconds).toBe(10);

    // Doubles with full mantissas: any rounding through jsonb or float8 would show.
    const first = {
      seconds: 0.0512345678901,
      upperBound: 222.80712345678901,
      bestValue: null,
      gap: null,
      method: 'ibp',
    };
    const second = {
      seconds: 1 / 3,
      upperBound: 100 + Math.PI,
      bestValue: 56 + Math.SQRT1_2,
      gap: (44 + Math.PI - Math.SQRT1_2) / (100 + Math.PI),
      method: 'crown',
    };
    expect(await storage.runCertificates.appendBounds(run.id, [first])).toBe(true);
    // −∞ (no feasible input yet) and ∞ (no gap yet) read back as null: JSON and GraphQL have no infinity.
    expect(
      await storage.runCertificates.appendBounds(run.id, [
        { ...second, bestValue: Number.NEGATIVE_INFINITY, gap: Number.POSITIVE_INFINITY, seconds: 0.5 },
        second,
      ]),
    ).toBe(true);
    const running = await storage.runCertificates.get(run.id);
    expect(running).toMatchObject({
      status: 'RUNNING',
      upperBound: second.upperBound,
      bestValue: second.bestValue,
      gap: second.gap,
      method: 'crown',
      seconds: second.seconds,
    });
    expect(running?.history).toEqual([
      first,
      { ...second, bestValue: null, gap: null, seconds: 0.5 },
      second,
    ]);

    const done = await storage.runCertificates.finish(run.id, {
      status: 'DONE',
      bestValue: 56.2,
      upperBound: 93.5,
      gap: (93.5 - 56.2) / 93.5,
      proven: false,
      method: 'bab',
      seconds: 3.01,
    });
    expect(done).toMatchObject({ status: 'DONE', bestValue: 56.2, upperBound: 93.5, proven: false });
    expect(done?.history).toHaveLength(3);
    // Final: later bounds and outcomes are refused, and what was stored stays.
    expect(await storage.runCertificates.appendBounds(run.id, [second])).toBe(false);
    expect(await storage.runCertificates.finish(run.id, { status: 'STOPPED', reason: 'late' })).toBeNull();
    expect(await storage.runCertificates.stopUnfinished([run.id], 'late')).toBe(0);
    expect(await storage.runCertificates.get(run.id)).toMatchObject({ status: 'DONE', upperBound: 93.5 });
  });

  it('says why there is no certificate: OFF, UNSUPPORTED, and STOPPED keeping the bound so far', async () => {
    const off = await newRun();
    expect(
      await storage.runCertificates.create(off.id, {
        timeLimitSeconds: 0,
        status: 'OFF',
        reason: 'not asked for',
      }),
    ).toMatchObject({ status: 'OFF', reason: 'not asked for' });

    const unsupported = await newRun();
    await storage.runCertificates.create(unsupported.id, { timeLimitSeconds: 5 });
    expect(
      await storage.runCertificates.finish(unsupported.id, {
        status: 'UNSUPPORTED',
        reason: 'objective: prob is not linear in the logits',
      }),
    ).toMatchObject({
      status: 'UNSUPPORTED',
      reason: 'objective: prob is not linear in the logits',
      upperBound: null,
    });

    const stopped = await newRun();
    await storage.runCertificates.create(stopped.id, { timeLimitSeconds: 5 });
    await storage.runCertificates.appendBounds(stopped.id, [
      { seconds: 1, upperBound: 10, bestValue: 4, gap: 0.6, method: 'crown' },
    ]);
    const pending = await newRun();
    await storage.runCertificates.create(pending.id, { timeLimitSeconds: 5 });
    expect(
      await storage.runCertificates.stopUnfinished(
        [stopped.id, pending.id, 'not-an-id'],
        'the run was cancelled',
      ),
    ).toBe(2);
    expect(await storage.runCertificates.get(stopped.id)).toMatchObject({
      status: 'STOPPED',
      reason: 'the run was cancelled',
      upperBound: 10,
      bestValue: 4,
    });
    expect(await storage.runCertificates.get(pending.id)).toMatchObject({
      status: 'STOPPED',
      upperBound: null,
    });
  });

  it('refuses a bound below its own best value, and outcomes without a reason', async () => {
    const run = await newRun();
    await storage.runCertificates.create(run.id, { timeLimitSeconds: 5 });
    await expect(
      storage.runCertificates.appendBounds(run.id, [
        { seconds: 1, upperBound: 3, bestValue: 4, gap: 0, method: 'crown' },
      ]),
    ).rejects.toThrow(InvalidArgumentError);
    await expect(
      storage.runCertificates.finish(run.id, {
        status: 'DONE',
        bestValue: 5,
        upperBound: 4.999,
        gap: 0,
        proven: true,
        method: 'bab',
        seconds: 1,
      }),
    ).rejects.toThrow(/upperBound/);
    // The database refuses it too, whatever the caller checks.
    await expect(
      storage.driver.query('UPDATE run_certificates SET best_value = 5, upper_bound = 4 WHERE run_id = $1', [
        run.id,
      ]),
    ).rejects.toThrow();
    await expect(
      storage.runCertificates.finish(run.id, { status: 'UNSUPPORTED', reason: ' ' }),
    ).rejects.toThrow(InvalidArgumentError);
    await expect(storage.runCertificates.create(run.id, { timeLimitSeconds: -1 })).rejects.toThrow(
      /timeLimitSeconds/,
    );
    expect((await storage.runCertificates.get(run.id))?.status).toBe('PENDING');
  });

  it('goes with its run, and unknown or malformed IDs find nothing', async () => {
    const run = await newRun();
    await storage.runCertificates.create(run.id, { timeLimitSeconds: 5 });
    await expect(
      storage.runCertificates.create('00000000-0000-4000-8000-000000000000', { timeLimitSeconds: 5 }),
    ).rejects.toThrow();
    expect(await storage.runCertificates.get('nope')).toBeNull();
    expect(await storage.runs.delete(run.id)).toBe(true);
    expect(await storage.runCertificates.get(run.id)).toBeNull();
  });
});
