/**
 * A server that died mid-run (embedded storage): the next start marks the run INTERRUPTED, keeps every
 * step it had recorded, and stops its unfinished certificate with the bound reached so far.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@argmax/db';
import { createTestModel, createTestTeam, createTestUser } from '@argmax/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from './testing/testServer.ts';

describe('restart after a crash', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('interrupts the run it was executing, keeps its steps, stops its certificate', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'argmax-restart-'));
    dirs.push(dataDir);
    // What a crashed server leaves behind: a RUNNING run with steps and a certificate half way.
    const before = await openDatabase({ dataDir: join(dataDir, 'db') });
    const user = await createTestUser(before);
    const team = await createTestTeam(before, user);
    const model = await createTestModel(before, team, user);
    const run = await before.runs.create({
      teamId: team.id,
      modelId: model.id,
      creatorId: user.id,
      spec: {} as never,
    });
    await before.runs.markRunning(run.id, { backend: 'wasm', method: 'projected-adam' });
    const steps = Array.from({ length: 40 }, (_, step) => ({
      step,
      objective: step / 2,
      violation: 0,
      outputs: [0.2, 0.3, 0.5],
    }));
    await before.runSteps.append(run.id, steps);
    await before.runCertificates.create(run.id, { timeLimitSeconds: 10 });
    await before.runCertificates.appendBounds(run.id, [
      { seconds: 0.4, upperBound: 31, bestValue: 19.5, gap: 0.37, method: 'crown' },
    ]);
    await before.close();

    const server = await startTestServer({ dataDir });
    try {
      const storage = server.app.services.storage;
      const after = await storage.runs.get(run.id);
      expect(after?.status).toBe('INTERRUPTED');
      expect(after?.error).toMatch(/restarted/);
      expect(await storage.runSteps.read(run.id)).toEqual(steps.map((s) => ({ ...s, restart: 0 })));
      const certificate = await storage.runCertificates.get(run.id);
      expect(certificate).toMatchObject({ status: 'STOPPED', upperBound: 31, bestValue: 19.5 });
      expect(certificate?.reason).toMatch(/restarted/);
    } finally {
      await server.close();
    }
  });

  it('runs the runs that were still queued when it stopped', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'argmax-restart-'));
    dirs.push(dataDir);
    const first = await startTestServer({ dataDir });
    const { userId, teamId } = await first.signUp('queued');
    const seedModelId = first.app.services.seedModelId;
    await first.close();

    // Two runs accepted but not started when the server died.
    const before = await openDatabase({ dataDir: join(dataDir, 'db') });
    const spec = (seed: number) => ({
      options: { objective: { kind: 'logit', index: 3 }, steps: 10, restarts: 4, seed },
      inputShape: [28, 28, 1],
      imageRange: [0, 1],
    });
    const queued = [];
    for (const seed of [1, 2])
      queued.push(
        await before.runs.create({ teamId, modelId: seedModelId, creatorId: userId, spec: spec(seed) }),
      );
    await before.close();

    const server = await startTestServer({ dataDir });
    try {
      const storage = server.app.services.storage;
      const deadline = Date.now() + 120_000;
      let runs = await Promise.all(queued.map((r) => storage.runs.get(r.id)));
      while (runs.some((r) => r?.status !== 'SUCCEEDED') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        runs = await Promise.all(queued.map((r) => storage.runs.get(r.id)));
      }
      expect(runs.map((r) => r?.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      for (const run of queued) expect(await storage.runSteps.count(run.id)).toBe(10);
      expect(Number.isFinite(runs[0]?.value)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
