import { defaultTimeBudget } from '@argmax/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from './testing/testServer.ts';

const START = `mutation($teamId: ID!, $modelId: ID!, $input: StartRunInput!) {
  startRun(teamId: $teamId, modelId: $modelId, input: $input) { id } }`;
const EVENTS = `subscription($runId: ID!) { runEvents(runId: $runId) {
  __typename ... on RunStepEvent { step steps restarts } ... on RunStatusEvent { status } } }`;
const RUN = `query($id: ID!) { run(id: $id) {
  status stepCount timings
  spec { steps restarts timeBudgetSeconds }
  budget { seconds steps restarts secondsPerStep keepBest { after starts } } } }`;

type Event = {
  runEvents: { __typename: string; step?: number; steps?: number; restarts?: number; status?: string };
};
interface Run {
  status: string;
  stepCount: number;
  timings: { steps: number; restarts: number; budget?: unknown };
  spec: { steps: number | null; restarts: number | null; timeBudgetSeconds: number | null };
  budget: {
    seconds: number;
    steps: number;
    restarts: number;
    secondsPerStep: number | null;
    keepBest: { after: number; starts: number }[] | null;
  } | null;
}

let server: TestServer;
let seedModelId: string;

beforeAll(async () => {
  server = await startTestServer();
  ({
    system: { seedModelId },
  } = await server.client().data<{ system: { seedModelId: string } }>('{ system { seedModelId } }'));
});

afterAll(async () => {
  await server?.close();
});

/** Starts a run, follows it to its end, then reads it and replays its events as a late joiner would. */
async function runToEnd(alias: string, input: Record<string, unknown>) {
  const { client, teamId } = await server.signUp(alias);
  const { startRun } = await client.data<{ startRun: { id: string } }>(START, {
    teamId,
    modelId: seedModelId,
    input: { target: { kind: 'LOGIT', index: 4 }, seed: 5, certify: { timeLimitSeconds: 0 }, ...input },
  });
  const live = await client.subscribe<Event>(EVENTS, { runId: startRun.id }).events;
  const { run } = await client.data<{ run: Run }>(RUN, { id: startRun.id });
  const replayed = await client.subscribe<Event>(EVENTS, { runId: startRun.id }).events;
  const stepsOf = (events: Event[]) =>
    events.map((e) => e.runEvents).filter((e) => e.__typename === 'RunStepEvent');
  return { run, live: stepsOf(live), replayed: stepsOf(replayed), client, teamId };
}

describe('time-budgeted runs over HTTP and WebSocket', () => {
  it('a run given neither steps nor restarts gets the CLI default budget, and records what it chose', async () => {
    // The job thread's stderr is piped into this process's: core's note of the choice must not reach it.
    const stderr = vi.spyOn(process.stderr, 'write');
    const { run, live, replayed } = await runToEnd('budget-default', {});
    const written = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
    stderr.mockRestore();
    expect(written).not.toContain('argmax: time budget');
    expect(run.status).toBe('SUCCEEDED');
    expect(run.spec).toEqual({ steps: null, restarts: null, timeBudgetSeconds: defaultTimeBudget });
    const budget = run.budget!;
    expect(budget.seconds).toBe(defaultTimeBudget);
    // Within the core's default run (128 starts × 80 steps, 120 once its starts are cut), at least 8
    // starts and 20 steps.
    expect(budget.restarts).toBeGreaterThanOrEqual(8);
    expect(budget.restarts).toBeLessThanOrEqual(128);
    expect(budget.steps).toBeGreaterThanOrEqual(20);
    expect(budget.steps).toBeLessThanOrEqual(budget.keepBest?.length ? 120 : 80);
    // Steps beyond the 20 kept at least fit the budget at the predicted step time.
    expect(budget.secondsPerStep).toBeGreaterThan(0);
    if (budget.steps > 20) expect(budget.steps * budget.secondsPerStep!).toBeLessThanOrEqual(budget.seconds);
    // The ended choice says its start cuts (none: an empty list), each inside the run's steps and starts.
    expect(budget.keepBest).not.toBeNull();
    for (const c of budget.keepBest!) {
      expect(c.after).toBeLessThan(budget.steps);
      expect(c.starts).toBeLessThan(budget.restarts);
    }
    // What ran is what was chosen: stored steps, the result's counts, every event live and replayed.
    expect(run.stepCount).toBe(budget.steps);
    expect(run.timings).toMatchObject({ steps: budget.steps, restarts: budget.restarts });
    expect(live.length).toBeGreaterThan(0);
    expect(live.at(-1)!.step).toBe(budget.steps - 1);
    for (const event of [...live, ...replayed])
      expect(event).toMatchObject({ steps: budget.steps, restarts: budget.restarts });
    expect(replayed.map((e) => e.step)).toEqual(Array.from({ length: budget.steps }, (_, i) => i));
  });

  it('a budget given in the request reaches the optimiser', async () => {
    const { run } = await runToEnd('budget-given', { timeBudgetSeconds: 0.05 });
    expect(run.spec.timeBudgetSeconds).toBe(0.05);
    expect(run.budget).toMatchObject({ seconds: 0.05 });
    expect(run.stepCount).toBe(run.budget!.steps);
    if (run.budget!.steps > 20)
      expect(run.budget!.steps * run.budget!.secondsPerStep!).toBeLessThanOrEqual(0.05);
  });

  it('honours counts asked for (the other one from the defaults) and records no budget', async () => {
    const both = await runToEnd('counts-both', { steps: 30, restarts: 4 });
    expect(both.run.spec).toEqual({ steps: 30, restarts: 4, timeBudgetSeconds: null });
    expect(both.run.budget).toBeNull();
    expect(both.run.stepCount).toBe(30);
    expect(both.run.timings).toMatchObject({ steps: 30, restarts: 4 });
    expect(both.run.timings.budget).toBeUndefined();
    for (const event of [...both.live, ...both.replayed])
      expect(event).toMatchObject({ steps: 30, restarts: 4 });

    const one = await runToEnd('counts-one', { steps: 25 });
    expect(one.run.spec).toEqual({ steps: 25, restarts: 16, timeBudgetSeconds: null });
    expect(one.run.budget).toBeNull();
    expect(one.live.at(-1)).toMatchObject({ step: 24, steps: 25, restarts: 16 });
  });

  it('reports the choice from its first step: a running run, and one that stopped before its end', async () => {
    // Written straight into storage as the executor leaves it: claimed, the choice recorded, steps stored.
    const storage = server.app.services.storage;
    const { client, teamId, userId } = await server.signUp('budget-running');
    const run = await storage.runs.create({
      teamId,
      modelId: seedModelId,
      creatorId: userId,
      spec: {
        options: {
          objective: { kind: 'logit', index: 1 },
          method: 'projected-adam',
          timeBudget: 3,
          constraints: { box: { lo: 0, hi: 1 } },
        },
        inputShape: [28, 28, 1],
        imageRange: [0, 1],
      },
    });
    await storage.runs.markRunning(run.id, { backend: 'wasm', method: 'projected-adam' });
    const choice = { seconds: 3, steps: 40, restarts: 32 };
    await storage.runs.recordTimings(run.id, { budget: choice });
    const steps = Array.from({ length: 5 }, (_, step) => ({
      step,
      objective: step,
      violation: 0,
      outputs: [1],
    }));
    await storage.runSteps.append(run.id, steps);
    const running = await client.data<{ run: Run }>(RUN, { id: run.id });
    expect(running.run).toMatchObject({
      status: 'RUNNING',
      budget: { ...choice, secondsPerStep: null, keepBest: null },
    });

    await storage.runs.finish(run.id, {
      status: 'INTERRUPTED',
      error: 'stopped',
      timings: { budget: choice },
    });
    const replayed = (await client.subscribe<Event>(EVENTS, { runId: run.id }).events)
      .map((e) => e.runEvents)
      .filter((e) => e.__typename === 'RunStepEvent');
    expect(replayed).toEqual(
      steps.map(({ step }) => ({ __typename: 'RunStepEvent', step, steps: 40, restarts: 32 })),
    );
    expect((await client.data<{ run: Run }>(RUN, { id: run.id })).run.budget).toMatchObject(choice);
  });

  it('reports the start cuts of an ended choice, and none as an empty list', async () => {
    // The core's whole choice, as the executor stores it at the run's end.
    const storage = server.app.services.storage;
    const { client, teamId, userId } = await server.signUp('budget-cuts');
    const ended = async (choice: {
      seconds: number;
      steps: number;
      restarts: number;
      secondsPerStep: number;
      keepBest?: { after: number; starts: number }[];
    }) => {
      const run = await storage.runs.create({
        teamId,
        modelId: seedModelId,
        creatorId: userId,
        spec: {
          options: { objective: { kind: 'logit', index: 1 }, method: 'projected-adam', timeBudget: 3 },
          inputShape: [28, 28, 1],
          imageRange: [0, 1],
        },
      });
      await storage.runs.markRunning(run.id, { backend: 'wasm', method: 'projected-adam' });
      await storage.runs.finish(run.id, {
        status: 'INTERRUPTED',
        error: 'stopped',
        timings: { budget: choice },
      });
      return (await client.data<{ run: Run }>(RUN, { id: run.id })).run.budget;
    };
    const keepBest = [
      { after: 8, starts: 16 },
      { after: 20, starts: 4 },
    ];
    const cut = { seconds: 3, steps: 80, restarts: 128, secondsPerStep: 0.03, keepBest };
    expect(await ended(cut)).toEqual(cut);
    const uncut = { seconds: 3, steps: 80, restarts: 8, secondsPerStep: 0.03 };
    expect(await ended(uncut)).toEqual({ ...uncut, keepBest: [] });
  });

  it('refuses a budget beside counts, or for another method, naming the field', async () => {
    const { client, teamId } = await server.signUp('budget-refused');
    for (const extra of [
      { timeBudgetSeconds: 1, steps: 10 },
      { timeBudgetSeconds: 1, method: 'NORMALIZED_GRADIENT_ASCENT' },
      { timeBudgetSeconds: 0 },
    ]) {
      const result = await client.request(START, {
        teamId,
        modelId: seedModelId,
        input: { target: { kind: 'LOGIT', index: 1 }, ...extra },
      });
      expect(result.errors?.[0]?.extensions, JSON.stringify(extra)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'timeBudgetSeconds',
      });
    }
  });
});
