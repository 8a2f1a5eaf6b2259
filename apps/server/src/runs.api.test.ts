import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/testServer.ts';

const START = `mutation($teamId: ID!, $modelId: ID!, $input: StartRunInput!) {
  startRun(teamId: $teamId, modelId: $modelId, input: $input) { id status } }`;
const EVENTS = `subscription($runId: ID!, $shareToken: String) { runEvents(runId: $runId, shareToken: $shareToken) {
  __typename
  ... on RunStatusEvent { status error }
  ... on RunStepEvent { step steps objective violation outputs image } } }`;
const RUN = `query($id: ID!) { run(id: $id) { id status error value violation outputs bestInput inputShape backend method stepCount snapshotSteps } }`;

type Event =
  | { runEvents: { __typename: 'RunStatusEvent'; status: string; error: string | null } }
  | {
      runEvents: {
        __typename: 'RunStepEvent';
        step: number;
        steps: number;
        objective: number;
        violation: number;
        outputs: number[];
        image: string | null;
      };
    };

let server: TestServer;
let seedModelId: string;

beforeAll(async () => {
  server = await startTestServer();
  const { system } = await server
    .client()
    .data<{ system: { seedModelId: string; backend: string } }>('{ system { seedModelId backend } }');
  seedModelId = system.seedModelId;
  expect(['tensorflow', 'wasm', 'cpu']).toContain(system.backend);
});

afterAll(async () => {
  await server?.close();
});

const steps = (events: Event[]) =>
  events
    .map((e) => e.runEvents)
    .filter(
      (e): e is Extract<Event['runEvents'], { __typename: 'RunStepEvent' }> =>
        e.__typename === 'RunStepEvent',
    );
const statuses = (events: Event[]) =>
  events
    .map((e) => e.runEvents)
    .filter((e) => e.__typename === 'RunStatusEvent')
    .map((e) => (e as { status: string }).status);

describe('runs over HTTP and WebSocket', () => {
  it('streams a run live, stores it, and the result satisfies its constraints', async () => {
    const { client, teamId } = await server.signUp('alice');
    const input = {
      target: { kind: 'LOGIT', index: 7 },
      steps: 300,
      restarts: 4,
      seed: 1,
      constraints: { box: { lo: 0, hi: 1 } },
    };
    const { startRun } = await client.data<{ startRun: { id: string; status: string } }>(START, {
      teamId,
      modelId: seedModelId,
      input,
    });
    expect(startRun.status).toBe('QUEUED');
    const events = await client.subscribe<Event>(EVENTS, { runId: startRun.id }).events;
    const stepEvents = steps(events);
    // At least one step per 100 steps, and the final one.
    expect(stepEvents.length).toBeGreaterThanOrEqual(3);
    expect(stepEvents.at(-1)!.step).toBe(299);
    expect(stepEvents.every((s, i) => i === 0 || s.step > stepEvents[i - 1]!.step)).toBe(true);
    expect(stepEvents.some((s) => s.image?.startsWith('data:image/png;base64,'))).toBe(true);
    expect(statuses(events).at(-1)).toBe('SUCCEEDED');

    const { run } = await client.data<{
      run: {
        status: string;
        value: number;
        violation: number;
        bestInput: number[];
        inputShape: number[];
        stepCount: number;
        backend: string;
        method: string;
        snapshotSteps: number[];
      };
    }>(RUN, { id: startRun.id });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.bestInput).toHaveLength(784);
    expect(Math.min(...run.bestInput)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...run.bestInput)).toBeLessThanOrEqual(1);
    expect(run.violation).toBeLessThanOrEqual(1e-6);
    expect(run.value).toBeGreaterThan(stepEvents[0]!.objective);
    expect(run.stepCount).toBe(300);
    expect(run.method).toBe('projected-adam');
    expect(run.snapshotSteps.length).toBeGreaterThan(50);
    expect(run.snapshotSteps.length).toBeLessThan(300);
  });

  it('a late joiner first gets the steps so far, then the end', async () => {
    const { client, teamId } = await server.signUp('bob');
    const input = { target: { kind: 'PROB', index: 1 }, steps: 100, restarts: 2, seed: 2 };
    const { startRun } = await client.data<{ startRun: { id: string } }>(START, {
      teamId,
      modelId: seedModelId,
      input,
    });
    await client.subscribe<Event>(EVENTS, { runId: startRun.id }).events;
    // The run is over: joining now replays a summary and the final status, then completes.
    const late = await client.subscribe<Event>(EVENTS, { runId: startRun.id }).events;
    // All 100 stored steps (a summary only above 200), in order, none lost to the live-frame throttle.
    expect(steps(late).map((s) => s.step)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(statuses(late)).toEqual(['SUCCEEDED']);
  });

  it('cancels a running run', async () => {
    const { client, teamId } = await server.signUp('carol');
    const input = { target: { kind: 'LOGIT', index: 3 }, steps: 50_000, restarts: 8, seed: 3 };
    const { startRun } = await client.data<{ startRun: { id: string } }>(START, {
      teamId,
      modelId: seedModelId,
      input,
    });
    let cancelled = false;
    const sub = client.subscribe<Event>(EVENTS, { runId: startRun.id }, (e) => {
      if (!cancelled && e.runEvents.__typename === 'RunStepEvent') {
        cancelled = true;
        void client.data('mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: startRun.id });
      }
    });
    const events = await sub.events;
    expect(statuses(events).at(-1)).toBe('CANCELLED');
    const { run } = await client.data<{ run: { status: string; stepCount: number } }>(RUN, {
      id: startRun.id,
    });
    expect(run.status).toBe('CANCELLED');
    expect(run.stepCount).toBeLessThan(50_000);
  });

  it('a failing run ends FAILED with its reason and the server keeps serving', async () => {
    const { client, teamId } = await server.signUp('dave');
    const input = { target: { kind: 'UNIT', layer: 'no_such_layer', index: 0 }, steps: 10 };
    const { startRun } = await client.data<{ startRun: { id: string } }>(START, {
      teamId,
      modelId: seedModelId,
      input,
    });
    const events = await client.subscribe<Event>(EVENTS, { runId: startRun.id }).events;
    const final = events.at(-1)!.runEvents as { status: string; error: string };
    expect(final.status).toBe('FAILED');
    expect(final.error).toMatch(/no_such_layer/);
    const { run } = await client.data<{ run: { status: string; error: string } }>(RUN, { id: startRun.id });
    expect(run.error).toMatch(/no_such_layer/);
    expect((await client.data<{ me: { id: string } }>('{ me { id } }')).me.id).toBeTruthy();
  });

  it('rejects bad input with BAD_USER_INPUT naming the field, and limits with LIMIT_EXCEEDED', async () => {
    const { client, teamId } = await server.signUp('erin');
    const bad = await client.request(START, {
      teamId,
      modelId: seedModelId,
      input: { target: { kind: 'LOGIT', index: 10 } },
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'target.index' });
    const box = await client.request(START, {
      teamId,
      modelId: seedModelId,
      input: { target: { kind: 'LOGIT', index: 1 }, constraints: { box: { lo: 1, hi: 0 } } },
    });
    expect(box.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'constraints.box.lo',
    });
    const tooMany = await client.request(START, {
      teamId,
      modelId: seedModelId,
      input: { target: { kind: 'LOGIT', index: 1 }, steps: 100_000, restarts: 1000 },
    });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    const deep = await client.request('{ teams { members { user { id } } } } ' + '{'.repeat(0));
    expect(deep.errors).toBeUndefined();
  });
});
