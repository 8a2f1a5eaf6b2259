/**
 * A server that died mid-run (embedded storage): the next start marks the run INTERRUPTED, keeps every
 * step it had recorded, and stops its unfinished certificate with the bound reached so far.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@argmax/db/openDatabase';
import { createTestModel, createTestTeam, createTestUser } from '@argmax/db/testing/fixtures';
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
});
