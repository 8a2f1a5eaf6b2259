import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluateObjective, initBackend, loadModel } from '@argmax/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSeedModelDir } from './models/seedModel.ts';
import { startTestServer, type TestServer } from './testing/testServer.ts';

const START = `mutation($teamId: ID!, $modelId: ID!, $input: StartRunInput!) {
  startRun(teamId: $teamId, modelId: $modelId, input: $input) { id status } }`;
const EVENTS = `subscription($runId: ID!) { runEvents(runId: $runId) {
  __typename
  ... on RunStatusEvent { status error }
  ... on RunStepEvent { step }
  ... on RunBoundEvent { index certificateStatus upperBound bestValue gap method seconds proven reason publishedAt } } }`;
const CERTIFICATE = `query($id: ID!) { run(id: $id) { status value violation bestInput snapshotSteps
  certificate { status timeLimitSeconds bestValue upperBound gap proven method reason seconds
    history { seconds upperBound bestValue gap method } } } }`;

interface BoundEvent {
  __typename: 'RunBoundEvent';
  index: number;
  certificateStatus: string;
  upperBound: number | null;
  bestValue: number | null;
  gap: number | null;
  method: string | null;
  seconds: number | null;
  proven: boolean | null;
  reason: string | null;
  publishedAt: number | null;
}
type Event = {
  runEvents:
    | { __typename: 'RunStatusEvent'; status: string; error: string | null }
    | { __typename: 'RunStepEvent'; step: number }
    | BoundEvent;
};
interface Certificate {
  status: string;
  timeLimitSeconds: number;
  bestValue: number | null;
  upperBound: number | null;
  gap: number | null;
  proven: boolean | null;
  method: string | null;
  reason: string | null;
  seconds: number | null;
  history: {
    seconds: number;
    upperBound: number;
    bestValue: number | null;
    gap: number | null;
    method: string;
  }[];
}
interface RunResult {
  status: string;
  value: number;
  violation: number;
  bestInput: number[];
  snapshotSteps: number[];
  certificate: Certificate;
}

let server: TestServer;
let seedModelId: string;

beforeAll(async () => {
  server = await startTestServer();
  const { system } = await server
    .client()
    .data<{ system: { seedModelId: string } }>('{ system { seedModelId } }');
  seedModelId = system.seedModelId;
});

afterAll(async () => {
  await server?.close();
});

const bounds = (events: Event[]) =>
  events.map((e) => e.runEvents).filter((e): e is BoundEvent => e.__typename === 'RunBoundEvent');
const kinds = (events: Event[]) => events.map((e) => e.runEvents.__typename);

async function startRun(name: string, input: Record<string, unknown>) {
  const { client, teamId } = await server.signUp(name);
  const { startRun } = await client.data<{ startRun: { id: string } }>(START, {
    teamId,
    modelId: seedModelId,
    input,
  });
  return { client, teamId, runId: startRun.id };
}

describe('certificates over HTTP and WebSocket', () => {
  it('certifies a logit run: the bound falls live, holds above the best value, and the best input reproduces it', async () => {
    const { client, runId } = await startRun('cora', {
      target: { kind: 'LOGIT', index: 7 },
      steps: 60,
      restarts: 8,
      seed: 1,
      certify: { timeLimitSeconds: 2 },
    });
    const events = await client.subscribe<Event>(EVENTS, { runId }).events;
    const order = kinds(events);
    // Steps first, then the certificate's bounds, then the run's end: the run ends after its certificate.
    expect(order.lastIndexOf('RunStepEvent')).toBeLessThan(order.indexOf('RunBoundEvent'));
    expect(order.at(-1)).toBe('RunStatusEvent');
    expect(events.at(-1)!.runEvents).toMatchObject({ status: 'SUCCEEDED' });
    const live = bounds(events);
    const final = live.at(-1)!;
    expect(final).toMatchObject({ certificateStatus: 'DONE', reason: null });
    const points = live.slice(0, -1);
    expect(points.length).toBeGreaterThanOrEqual(2);
    expect(points.every((p) => p.certificateStatus === 'RUNNING' && p.publishedAt !== null)).toBe(true);
    expect(points.map((p) => p.index)).toEqual(points.map((_, i) => i));
    expect(final.index).toBe(points.length);
    // Bounds only fall; each is at least the best value known at that time.
    for (const [i, p] of points.entries()) {
      if (i > 0) expect(p.upperBound!).toBeLessThanOrEqual(points[i - 1]!.upperBound!);
      if (p.bestValue !== null) expect(p.upperBound!).toBeGreaterThanOrEqual(p.bestValue);
    }

    const { run } = await client.data<{ run: RunResult }>(CERTIFICATE, { id: runId });
    const c = run.certificate;
    expect(c).toMatchObject({ status: 'DONE', timeLimitSeconds: 2, reason: null });
    expect(['ibp', 'crown', 'bab', 'milp']).toContain(c.method);
    expect(c.upperBound!).toBeGreaterThanOrEqual(c.bestValue!);
    expect(c.gap!).toBeGreaterThanOrEqual(0);
    expect(c.gap!).toBeCloseTo((c.upperBound! - c.bestValue!) / Math.abs(c.upperBound!), 12);
    expect(typeof c.proven).toBe('boolean');
    expect(c.upperBound).toBe(final.upperBound);
    expect(c.history.map((h) => h.upperBound)).toEqual(points.map((p) => p.upperBound));
    // The run keeps the better of the optimiser's and the certifier's inputs, within the box.
    expect(run.status).toBe('SUCCEEDED');
    expect(run.violation).toBeLessThanOrEqual(1e-6);
    expect(Math.min(...run.bestInput)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...run.bestInput)).toBeLessThanOrEqual(1);
    expect(run.value).toBeLessThanOrEqual(c.upperBound!);

    // A forward pass of the stored best input gives the certificate's best value.
    await initBackend(undefined, () => {});
    const model = await loadModel(join(defaultSeedModelDir, 'model.json'));
    try {
      const [forward] = await evaluateObjective(model, { kind: 'logit', index: 7 }, [run.bestInput]);
      expect(Math.abs(forward!.value - c.bestValue!)).toBeLessThanOrEqual(
        1e-4 * (1 + Math.abs(c.bestValue!)),
      );
      expect(Math.abs(forward!.value - run.value)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(run.value)));
    } finally {
      model.dispose();
    }

    // Joining late replays the same history, the final word, then the end.
    const late = await client.subscribe<Event>(EVENTS, { runId }).events;
    const replayed = bounds(late);
    expect(replayed.map((b) => [b.index, b.certificateStatus, b.upperBound])).toEqual(
      live.map((b) => [b.index, b.certificateStatus, b.upperBound]),
    );
    expect(replayed.every((b) => b.publishedAt === null)).toBe(true);
    expect(late.at(-1)!.runEvents).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('certifies a run on an uploaded Keras CNN (Conv2D, MaxPooling2D, Dropout)', async () => {
    const { client, teamId } = await server.signUp('cnn');
    const bytes = new Uint8Array(
      await readFile(
        new URL(
          '../../../packages/core/fixtures/models/keras3-fashion-mnist-cnn/fashion_mnist.keras',
          import.meta.url,
        ),
      ),
    );
    const upload = await client.upload<{ uploadModel: { id: string } }>(
      `mutation($t: ID!, $n: String!, $files: [File!]!) { uploadModel(teamId: $t, name: $n, files: $files) { id } }`,
      { t: teamId, n: 'keras cnn' },
      [{ name: 'fashion_mnist.keras', bytes }],
    );
    const { startRun: started } = await client.data<{ startRun: { id: string } }>(START, {
      teamId,
      modelId: upload.data!.uploadModel.id,
      input: { target: { kind: 'LOGIT', index: 7 }, steps: 5, restarts: 2, certify: { timeLimitSeconds: 3 } },
    });
    const events = await client.subscribe<Event>(EVENTS, { runId: started.id }).events;
    expect(events.at(-1)!.runEvents).toMatchObject({ status: 'SUCCEEDED' });
    const { run } = await client.data<{ run: RunResult }>(CERTIFICATE, { id: started.id });
    const c = run.certificate;
    expect(c).toMatchObject({ status: 'DONE', reason: null });
    expect(['ibp', 'crown']).toContain(c.method);
    expect(c.upperBound!).toBeGreaterThanOrEqual(c.bestValue!);
    expect(run.value).toBeLessThanOrEqual(c.upperBound!);
  });

  it('gives a probability run no certificate, with the reason, never a number', async () => {
    const { client, runId } = await startRun('pia', {
      target: { kind: 'PROB', index: 2 },
      steps: 20,
      restarts: 2,
      certify: { timeLimitSeconds: 2 },
    });
    const events = await client.subscribe<Event>(EVENTS, { runId }).events;
    const live = bounds(events);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({
      certificateStatus: 'UNSUPPORTED',
      upperBound: null,
      bestValue: null,
      gap: null,
    });
    expect(live[0]!.reason).toMatch(/prob.*not linear in the logits/);
    expect(events.at(-1)!.runEvents).toMatchObject({ status: 'SUCCEEDED' });
    const { run } = await client.data<{ run: RunResult }>(CERTIFICATE, { id: runId });
    expect(run.certificate).toMatchObject({
      status: 'UNSUPPORTED',
      upperBound: null,
      bestValue: null,
      gap: null,
      proven: null,
      history: [],
    });
    expect(run.certificate.reason).toBe(live[0]!.reason);
  });

  it('skips the certificate when asked (0 s), and a cancelled run stops its certificate', async () => {
    const off = await startRun('otto', {
      target: { kind: 'LOGIT', index: 1 },
      steps: 10,
      restarts: 2,
      certify: { timeLimitSeconds: 0 },
    });
    const offEvents = await off.client.subscribe<Event>(EVENTS, { runId: off.runId }).events;
    // The stream says so (from storage: the certificate was OFF from the start), with no figures.
    expect(bounds(offEvents)).toMatchObject([{ certificateStatus: 'OFF', upperBound: null, index: 0 }]);
    const { run: offRun } = await off.client.data<{ run: RunResult }>(CERTIFICATE, { id: off.runId });
    expect(offRun.certificate).toMatchObject({ status: 'OFF', upperBound: null });
    expect(offRun.certificate.reason).toMatch(/timeLimitSeconds is 0/);

    const { client, runId } = await startRun('cass', {
      target: { kind: 'LOGIT', index: 3 },
      steps: 10,
      restarts: 2,
      certify: { timeLimitSeconds: 60 },
    });
    let cancelled = false;
    const events = await client.subscribe<Event>(EVENTS, { runId }, (e) => {
      if (!cancelled && e.runEvents.__typename === 'RunBoundEvent') {
        cancelled = true;
        void client.data('mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: runId });
      }
    }).events;
    expect(events.at(-1)!.runEvents).toMatchObject({ status: 'CANCELLED' });
    const last = bounds(events).at(-1)!;
    expect(last.certificateStatus).toBe('STOPPED');
    expect(last.reason).toMatch(/cancelled/);
    const { run } = await client.data<{ run: RunResult }>(CERTIFICATE, { id: runId });
    expect(run.status).toBe('CANCELLED');
    // What was bounded before the cancel is still sound and stays readable.
    expect(run.certificate.status).toBe('STOPPED');
    expect(run.certificate.upperBound).toBe(last.upperBound);
    expect(run.certificate.history.length).toBeGreaterThanOrEqual(1);
  });

  it('stores snapshots at the run’s own policy', async () => {
    const { client, runId } = await startRun('sam', {
      target: { kind: 'LOGIT', index: 0 },
      steps: 120,
      restarts: 2,
      snapshots: { dense: 5, perDecade: 3 },
      certify: { timeLimitSeconds: 0 },
    });
    await client.subscribe<Event>(EVENTS, { runId }).events;
    const { run } = await client.data<{ run: RunResult }>(CERTIFICATE, { id: runId });
    // Every step below 5; then 3 per decade (crossing 10, 21.5, 46.4, 100 at steps 9, 21, 46, 99); the last.
    expect(run.snapshotSteps).toEqual([0, 1, 2, 3, 4, 9, 21, 46, 99, 119]);
  });

  it('rejects bad certificate and snapshot settings, naming the field', async () => {
    const { client, teamId } = await server.signUp('bea');
    const attempt = (extra: Record<string, unknown>) =>
      client.request(START, {
        teamId,
        modelId: seedModelId,
        input: { target: { kind: 'LOGIT', index: 1 }, steps: 10, ...extra },
      });
    const cases: [Record<string, unknown>, string][] = [
      [{ certify: { timeLimitSeconds: -1 } }, 'certify.timeLimitSeconds'],
      [{ snapshots: { dense: -1 } }, 'snapshots.dense'],
      [{ snapshots: { dense: 1001 } }, 'snapshots.dense'],
      [{ snapshots: { perDecade: 101 } }, 'snapshots.perDecade'],
    ];
    for (const [extra, field] of cases) {
      const result = await attempt(extra);
      expect(result.errors?.[0]?.extensions, JSON.stringify(extra)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    const tooLong = await attempt({ certify: { timeLimitSeconds: 100_000 } });
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: 'maxCertifySeconds',
    });
    expect(tooLong.errors?.[0]?.message).toMatch(/certify\.timeLimitSeconds.*at most 300/);
    const { runs } = await client.data<{ runs: { items: unknown[] } }>(
      'query($t: ID!) { runs(teamId: $t) { items { id } } }',
      { t: teamId },
    );
    expect(runs.items).toEqual([]);
  });
});
