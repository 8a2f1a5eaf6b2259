import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/testServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('training jobs', () => {
  it('trains a model as a job, streams its progress, and adds it to the team', async () => {
    const { client, teamId } = await server.signUp('trainer');
    const { trainModel } = await client.data<{ trainModel: { id: string; status: string } }>(
      'mutation($t: ID!) { trainModel(teamId: $t, name: "quick mlp", epochs: 2, seed: 7, batchesPerEpoch: 40) { id status } }',
      { t: teamId },
    );
    expect(trainModel.status).toBe('QUEUED');
    const events = await client.subscribe<{
      trainingEvents: { kind: string; payload: Record<string, unknown> };
    }>('subscription($j: ID!) { trainingEvents(jobId: $j) { kind seq payload } }', { j: trainModel.id })
      .events;
    const kinds = events.map((e) => e.trainingEvents.kind);
    const epochs = events
      .filter((e) => e.trainingEvents.kind === 'epoch')
      .map((e) => e.trainingEvents.payload);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(epochs.every((e) => typeof e.loss === 'number' && typeof e.testAccuracy === 'number')).toBe(true);
    expect(kinds).toContain('done');
    expect(events.at(-1)?.trainingEvents).toMatchObject({ kind: 'status', payload: { status: 'SUCCEEDED' } });

    const { trainingJob } = await client.data<{
      trainingJob: {
        status: string;
        metrics: { testAccuracy: number };
        model: { id: string; origin: string; classNames: string[] };
      };
    }>('query($j: ID!) { trainingJob(id: $j) { status metrics model { id origin classNames } } }', {
      j: trainModel.id,
    });
    expect(trainingJob.status).toBe('SUCCEEDED');
    // 80 batches of 32 already beat chance (0.1) by far.
    expect(trainingJob.metrics.testAccuracy).toBeGreaterThan(0.5);
    expect(trainingJob.model.origin).toBe('trained');
    expect(trainingJob.model.classNames[7]).toBe('Sneaker');
    const { models } = await client.data<{ models: { id: string }[] }>(
      'query($t: ID!) { models(teamId: $t) { id } }',
      { t: teamId },
    );
    expect(models.map((m) => m.id)).toContain(trainingJob.model.id);

    // Joining after the end gives the stored history and the end, not a stream that never ends.
    const late = await client.subscribe<{
      trainingEvents: { kind: string; seq: number; payload: Record<string, unknown> };
    }>('subscription($j: ID!) { trainingEvents(jobId: $j) { kind seq payload } }', { j: trainModel.id })
      .events;
    const lateEpochs = late.filter((e) => e.trainingEvents.kind === 'epoch').map((e) => e.trainingEvents);
    expect(lateEpochs.map((e) => e.payload)).toEqual(
      epochs.map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => typeof v === 'number'))),
    );
    expect(late.at(-1)?.trainingEvents).toMatchObject({ kind: 'status', payload: { status: 'SUCCEEDED' } });
  });

  it('cancels a running training job: it ends CANCELLED, its stream with it, and adds no model', async () => {
    const { client, teamId } = await server.signUp('canceller');
    const { trainModel } = await client.data<{ trainModel: { id: string } }>(
      'mutation($t: ID!) { trainModel(teamId: $t, name: "never finished", epochs: 50, seed: 7) { id } }',
      { t: teamId },
    );
    let cancelled = false;
    const events = await client.subscribe<{
      trainingEvents: { kind: string; payload: Record<string, unknown> };
    }>('subscription($j: ID!) { trainingEvents(jobId: $j) { kind payload } }', { j: trainModel.id }, (e) => {
      if (!cancelled && e.trainingEvents.kind === 'batch') {
        cancelled = true;
        void client.data('mutation($id: ID!) { cancelTraining(id: $id) { id } }', { id: trainModel.id });
      }
    }).events;
    expect(cancelled).toBe(true);
    expect(events.at(-1)?.trainingEvents).toMatchObject({ kind: 'status', payload: { status: 'CANCELLED' } });
    const { trainingJob } = await client.data<{ trainingJob: { status: string; model: unknown } }>(
      'query($j: ID!) { trainingJob(id: $j) { status model { id } } }',
      { j: trainModel.id },
    );
    expect(trainingJob).toEqual({ status: 'CANCELLED', model: null });
  });
});
