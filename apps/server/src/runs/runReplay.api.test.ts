import type { Storage } from '@argmax/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.ts';

// A late joiner's replay ends where the run's stored steps end, whether or not the last step has a
// snapshot: runs written straight into storage (as an executor leaves them), watched over the real API.
let server: TestServer;
let storage: Storage;
let session: Awaited<ReturnType<TestServer['signUp']>>;
let modelId: string;

beforeAll(async () => {
  server = await startTestServer();
  storage = server.app.services.storage;
  session = await server.signUp('replay');
  modelId = server.app.services.seedModelId;
});

afterAll(async () => {
  await server?.close();
});

const EVENTS = `subscription($r: ID!) { runEvents(runId: $r) { __typename
  ... on RunStepEvent { step objective image } ... on RunStatusEvent { status }
  ... on RunBoundEvent { index certificateStatus } } }`;
type Event = {
  runEvents: {
    __typename: string;
    step?: number;
    objective?: number;
    image?: string | null;
    status?: string;
  };
};

/** A run that recorded `stepCount` steps and snapshots at `snapshotSteps`, then ended as `status`. */
async function storedRun(stepCount: number, snapshotSteps: number[], status: 'INTERRUPTED' | 'SUCCEEDED') {
  const run = await storage.runs.create({
    teamId: session.teamId,
    modelId,
    creatorId: session.userId,
    spec: {
      options: {
        objective: { kind: 'logit', index: 1 },
        method: 'projected-adam',
        steps: 100_000,
        restarts: 1,
        constraints: { box: { lo: 0, hi: 1 } },
      },
      inputShape: [28, 28, 1],
      imageRange: [0, 1],
    },
  });
  await storage.runs.markRunning(run.id, { backend: 'wasm', method: 'projected-adam' });
  const steps = Array.from({ length: stepCount }, (_, step) => ({
    step,
    objective: Math.sin(step),
    violation: 0,
    outputs: [0.1, 0.9],
  }));
  for (let i = 0; i < steps.length; i += 500) await storage.runSteps.append(run.id, steps.slice(i, i + 500));
  await storage.runSnapshots.append(
    run.id,
    snapshotSteps.map((step) => ({ step, input: new Float32Array(784).fill(step / stepCount) })),
  );
  await storage.runCertificates.create(run.id, { timeLimitSeconds: 0, status: 'OFF', reason: 'not asked' });
  await storage.runs.finish(
    run.id,
    status === 'INTERRUPTED' ? { status, error: 'the worker executing it (w) stopped' } : { status },
  );
  return { id: run.id, steps };
}

async function replay(runId: string) {
  const events = (await session.client.subscribe<Event>(EVENTS, { r: runId }).events).map((e) => e.runEvents);
  return { steps: events.filter((e) => e.__typename === 'RunStepEvent'), last: events.at(-1) };
}

describe('a late joiner’s replay', () => {
  it.each([
    // Step counts whose last step no sampling stride of ≤ 200 replayed steps lands on, snapshots before it.
    { status: 'INTERRUPTED' as const, stepCount: 518, snapshotSteps: [0, 10, 100, 500] },
    { status: 'SUCCEEDED' as const, stepCount: 783, snapshotSteps: [0, 50, 700] },
  ])(
    'of a $status run ends with its last stored step ($stepCount steps)',
    async ({ status, stepCount, snapshotSteps }) => {
      const run = await storedRun(stepCount, snapshotSteps, status);
      const { steps, last } = await replay(run.id);
      expect(last).toMatchObject({ __typename: 'RunStatusEvent', status });
      expect(steps.at(-1)?.step).toBe(run.steps.at(-1)!.step);
      expect(steps.length).toBeLessThanOrEqual(202);
      // Each replayed step is the stored one, in order, without repeats.
      const replayed = steps.map((s) => s.step!);
      expect(replayed).toEqual([...replayed].sort((a, b) => a - b));
      expect(new Set(replayed).size).toBe(replayed.length);
      for (const s of steps) expect(s.objective).toBe(run.steps[s.step!]!.objective);
      // The latest snapshot's step is among them, with its image; no other step carries one.
      const withImage = steps.filter((s) => s.image);
      expect(withImage.map((s) => s.step)).toEqual([snapshotSteps.at(-1)]);
    },
  );
});
