import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '@argmax/core/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../errors.ts';
import type { Storage } from '../storage.ts';
import { createTestModel, createTestTeam, createTestUser } from '../testing/fixtures.ts';
import { storageBackends } from '../testing/storageBackends.ts';
import type { Run } from './runs.ts';
import type { TrainingEvent } from './trainingEvents.ts';

const backends = await storageBackends();

/** Doubles with full mantissas, so any rounding on the way through the database shows. */
const randomDoubles = (n: number) =>
  Array.from({ length: n }, () => (Math.random() - 0.5) * 10 ** (Math.random() * 8));

describe.each(backends)(
  'models, runs, steps, snapshots, share links and training jobs on $name',
  (backend) => {
    let storage: Storage;
    let dispose: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ storage, dispose } = await backend.open());
    });
    afterAll(() => dispose?.());

    async function teamWithModel() {
      const user = await createTestUser(storage);
      const team = await createTestTeam(storage, user);
      const model = await createTestModel(storage, team, user);
      return { user, team, model };
    }

    describe('models', () => {
      it('round-trips ~400 KB of weights byte for byte, and the model.json text', async () => {
        const user = await createTestUser(storage);
        const team = await createTestTeam(storage, user);
        const weights = new Uint8Array(randomBytes(400 * 1024 + 3));
        const model = await createTestModel(storage, team, user, weights);
        expect(model).toMatchObject({
          teamId: team.id,
          origin: 'uploaded',
          inputShape: [28, 28, 1],
          outputCount: 3,
          classNames: ['a', 'b', 'c'],
          parameterCount: 2355,
          weightsBytes: weights.byteLength,
          createdBy: user.id,
        });
        expect(model.layerSummary).toEqual([
          { name: 'dense', type: 'Dense', outputShape: [null, 3], parameters: 2355 },
        ]);
        const artifacts = await storage.models.getArtifacts(model.id);
        expect(artifacts?.weights).toBeInstanceOf(Uint8Array);
        expect(artifacts?.weights.constructor).toBe(Uint8Array);
        expect(Buffer.compare(artifacts!.weights, weights)).toBe(0);
        expect(artifacts?.modelJson).toBe('{"modelTopology":{},"weightsManifest":[]}');
        expect(await storage.models.get(model.id)).toEqual(model);
      });

      it('shows a team its own models and the built-in ones, never another team’s', async () => {
        const { user, team, model } = await teamWithModel();
        const other = await teamWithModel();
        const name = `fashion-mnist-mlp ${crypto.randomUUID()}`;
        const builtin = await storage.models.create({
          teamId: null,
          name,
          origin: 'builtin',
          inputShape: [784],
          outputCount: 10,
          layerSummary: [],
          parameterCount: 101_770,
          modelJson: '{}',
          weights: new Uint8Array(8),
        });
        expect(builtin).toMatchObject({ teamId: null, createdBy: null, classNames: null });
        expect(await storage.models.findBuiltin(name)).toEqual(builtin);
        await expect(
          storage.models.create({ ...builtin, modelJson: '{}', weights: new Uint8Array(0) }),
        ).rejects.toThrow(ConflictError);

        const listed = (await storage.models.listForTeam(team.id)).map((m) => m.id);
        expect(listed).toContain(model.id);
        expect(listed).toContain(builtin.id);
        expect(listed).not.toContain(other.model.id);
        expect(listed.indexOf(builtin.id)).toBeLessThan(listed.indexOf(model.id));
        expect(user.id).toBe(model.createdBy);
      });

      it('rejects inconsistent models with the field named', async () => {
        const { user, team } = await teamWithModel();
        const valid = {
          teamId: team.id,
          name: 'm',
          origin: 'trained' as const,
          inputShape: [4],
          outputCount: 2,
          layerSummary: {},
          parameterCount: 10,
          modelJson: '{}',
          weights: new Uint8Array(40),
          createdBy: user.id,
        };
        await expect(storage.models.create({ ...valid, classNames: ['only one'] })).rejects.toThrow(
          /classNames/,
        );
        await expect(storage.models.create({ ...valid, inputShape: [0] })).rejects.toThrow(/inputShape/);
        await expect(storage.models.create({ ...valid, origin: 'builtin' })).rejects.toThrow(/teamId/);
        await expect(storage.models.create({ ...valid, teamId: null })).rejects.toThrow(InvalidArgumentError);
      });

      it('refuses to delete a model that runs still use', async () => {
        const { user, team, model } = await teamWithModel();
        const run = await storage.runs.create({
          teamId: team.id,
          modelId: model.id,
          creatorId: user.id,
          spec: {},
        });
        await expect(storage.models.delete(model.id)).rejects.toThrow(ConflictError);
        expect(await storage.runs.delete(run.id)).toBe(true);
        expect(await storage.models.delete(model.id)).toBe(true);
        expect(await storage.models.get(model.id)).toBeNull();
        expect(await storage.models.getArtifacts(model.id)).toBeNull();
      });
    });

    describe('runs', () => {
      it('goes QUEUED → RUNNING → SUCCEEDED and keeps its results exactly', async () => {
        const { user, team, model } = await teamWithModel();
        const spec = {
          target: { kind: 'class', index: 2 },
          method: 'adam',
          steps: 200,
          constraints: [{ linf: 0.1 }],
        };
        const run = await storage.runs.create({
          teamId: team.id,
          modelId: model.id,
          creatorId: user.id,
          spec,
        });
        expect(run).toMatchObject({ status: 'QUEUED', spec, startedAt: null, finishedAt: null, error: null });

        const running = await storage.runs.markRunning(run.id, {
          backend: 'wasm',
          method: 'adam',
          workerId: 'w1',
        });
        expect(running).toMatchObject({ status: 'RUNNING', backend: 'wasm', method: 'adam', workerId: 'w1' });
        expect(running?.startedAt).toBeInstanceOf(Date);
        expect(await storage.runs.markRunning(run.id, { backend: 'cpu', method: 'adam' })).toBeNull();
        const chosen = { budget: { seconds: 3, steps: 80, restarts: 64 } };
        expect(await storage.runs.recordTimings(run.id, chosen)).toBe(true);
        expect((await storage.runs.get(run.id))?.timings).toEqual(chosen);

        const finalInput = new Float32Array([
          0,
          -0,
          1.5,
          3.4028234663852886e38,
          1e-45,
          Number.NaN,
          Number.POSITIVE_INFINITY,
        ]);
        const bestInput = Float32Array.from(randomDoubles(784));
        const outputs = randomDoubles(3);
        const done = await storage.runs.finish(run.id, {
          status: 'SUCCEEDED',
          finalInput,
          bestInput,
          value: outputs[2]!,
          violation: 0,
          outputs,
          timings: { totalMs: 1234.5, stepsPerSecond: 160 },
          priorSearch: { anchor: null, prototypes: [{ value: 1.5, image: 'data:image/png;base64,AA' }] },
        });
        expect(done?.priorSearch).toEqual({
          anchor: null,
          prototypes: [{ value: 1.5, image: 'data:image/png;base64,AA' }],
        });
        expect(done).toMatchObject({
          status: 'SUCCEEDED',
          value: outputs[2],
          violation: 0,
          outputs,
        });
        expect(done?.timings).toEqual({ totalMs: 1234.5, stepsPerSecond: 160 });
        expect(done?.finishedAt).toBeInstanceOf(Date);
        const inputs = await storage.runs.getInputs(run.id);
        expect(inputs?.finalInput).toEqual(finalInput);
        expect(Object.is(inputs?.finalInput?.[1], -0)).toBe(true);
        expect(inputs?.bestInput).toEqual(bestInput);
        expect(await storage.runs.get(run.id)).toEqual(done);
      });

      it('never changes a finished run, and requires a reason for FAILED', async () => {
        const { user, team, model } = await teamWithModel();
        const run = await storage.runs.create({
          teamId: team.id,
          modelId: model.id,
          creatorId: user.id,
          spec: {},
        });
        await expect(storage.runs.finish(run.id, { status: 'FAILED' })).rejects.toThrow(
          /error: received undefined/,
        );
        // @ts-expect-error: RUNNING is not a final status; checked at run time too.
        await expect(storage.runs.finish(run.id, { status: 'RUNNING' })).rejects.toThrow(
          InvalidArgumentError,
        );
        const failed = await storage.runs.finish(run.id, {
          status: 'FAILED',
          error: 'NaN objective at step 3',
        });
        expect(failed).toMatchObject({
          status: 'FAILED',
          error: 'NaN objective at step 3',
          value: null,
          priorSearch: null,
        });
        expect(await storage.runs.finish(run.id, { status: 'SUCCEEDED' })).toBeNull();
        expect(await storage.runs.markRunning(run.id, { backend: 'cpu', method: 'pgd' })).toBeNull();
        expect(await storage.runs.recordTimings(run.id, { budget: { seconds: 1 } })).toBe(false);
        expect((await storage.runs.get(run.id))?.status).toBe('FAILED');
        expect((await storage.runs.get(run.id))?.timings).toBeNull();
        expect(await storage.runs.getInputs(run.id)).toEqual({ finalInput: null, bestInput: null });
      });

      it('refuses a model of another team, even with its exact ID', async () => {
        const { user, team } = await teamWithModel();
        const other = await teamWithModel();
        await expect(
          storage.runs.create({ teamId: team.id, modelId: other.model.id, creatorId: user.id, spec: {} }),
        ).rejects.toThrow(/modelId/);
      });

      it('interrupts RUNNING runs at start-up, only those of the given worker, and counts active runs', async () => {
        const { user, team, model } = await teamWithModel();
        const before = await storage.runs.countByStatus();
        const create = () =>
          storage.runs.create({ teamId: team.id, modelId: model.id, creatorId: user.id, spec: {} });
        const [queued, mine, theirs, finished] = [
          await create(),
          await create(),
          await create(),
          await create(),
        ];
        await storage.runs.markRunning(mine.id, {
          backend: 'cpu',
          method: 'adam',
          workerId: `me-${team.id}`,
        });
        await storage.runs.markRunning(theirs.id, {
          backend: 'cpu',
          method: 'adam',
          workerId: `them-${team.id}`,
        });
        await storage.runs.finish(finished.id, { status: 'CANCELLED' });
        await storage.runSteps.append(mine.id, [{ step: 0, objective: 1, violation: null, outputs: [1] }]);
        expect(await storage.runs.countActiveByCreator(user.id)).toBe(3);

        expect(await storage.runs.interruptRunning({ workerId: `me-${team.id}` })).toEqual([mine.id]);
        const interrupted = await storage.runs.get(mine.id);
        expect(interrupted).toMatchObject({ status: 'INTERRUPTED', error: expect.stringMatching(/stopped/) });
        expect(await storage.runSteps.count(mine.id)).toBe(1);
        expect((await storage.runs.get(theirs.id))?.status).toBe('RUNNING');
        expect((await storage.runs.get(queued.id))?.status).toBe('QUEUED');
        expect(await storage.runs.countActiveByCreator(user.id)).toBe(2);

        expect(await storage.runs.interruptRunning()).toContain(theirs.id);
        expect((await storage.runs.get(theirs.id))?.status).toBe('INTERRUPTED');
        // What a restart hands back to the executor: the queued run, none of the others.
        const queuedNow = (await storage.runs.listQueued()).map((r) => r.id);
        expect(queuedNow).toContain(queued.id);
        for (const other of [mine, theirs, finished]) expect(queuedNow).not.toContain(other.id);
        // Metrics count every status across teams: this test added one queued, two interrupted, one cancelled.
        const after = await storage.runs.countByStatus();
        expect({
          queued: after.QUEUED - before.QUEUED,
          running: after.RUNNING - before.RUNNING,
          interrupted: after.INTERRUPTED - before.INTERRUPTED,
          cancelled: after.CANCELLED - before.CANCELLED,
          succeeded: after.SUCCEEDED - before.SUCCEEDED,
        }).toEqual({ queued: 1, running: 0, interrupted: 2, cancelled: 1, succeeded: 0 });
      });
    });

    describe('run pagination', () => {
      /** 23 runs in one team, all with the same created_at: only the id orders them. */
      async function manyRuns() {
        const { user, team, model } = await teamWithModel();
        const second = await createTestUser(storage);
        await storage.teams.addMember(team.id, second.id, 'MEMBER');
        const runs: Run[] = [];
        for (let i = 0; i < 23; i++)
          runs.push(
            await storage.runs.create({
              teamId: team.id,
              modelId: model.id,
              creatorId: i % 3 === 0 ? second.id : user.id,
              spec: { i },
            }),
          );
        await storage.driver.query(
          "UPDATE runs SET created_at = '2020-01-01T00:00:00.123Z' WHERE team_id = $1",
          [team.id],
        );
        return { user, second, team, model, runs };
      }

      async function collect(
        list: (after: string | null) => Promise<{ items: Run[]; nextCursor: string | null }>,
      ) {
        const pages: Run[][] = [];
        let after: string | null = null;
        do {
          const page = await list(after);
          pages.push(page.items);
          after = page.nextCursor;
        } while (after !== null && pages.length < 50);
        return pages;
      }

      it('walks all runs with equal timestamps in pages without duplicates or gaps', async () => {
        const { team, runs } = await manyRuns();
        const pages = await collect((after) => storage.runs.list({ teamId: team.id }, { first: 5, after }));
        expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
        const ids = pages.flat().map((r) => r.id);
        expect(new Set(ids).size).toBe(23);
        expect(new Set(ids)).toEqual(new Set(runs.map((r) => r.id)));
        // The same order as the database's own sort, the contract clients rely on.
        const { rows } = await storage.driver.query<{ id: string }>(
          'SELECT id FROM runs WHERE team_id = $1 ORDER BY created_at DESC, id DESC',
          [team.id],
        );
        expect(ids).toEqual(rows.map((r) => r.id));
      });

      it('is stable while new runs arrive between pages', async () => {
        const { user, team, model, runs } = await manyRuns();
        const first = await storage.runs.list({ teamId: team.id }, { first: 10 });
        const newer = await storage.runs.create({
          teamId: team.id,
          modelId: model.id,
          creatorId: user.id,
          spec: {},
        });
        const rest = await collect((after) =>
          storage.runs.list({ teamId: team.id }, { first: 10, after: after ?? first.nextCursor }),
        );
        const ids = [...first.items, ...rest.flat()].map((r) => r.id);
        expect(ids).toHaveLength(23);
        expect(new Set(ids)).toEqual(new Set(runs.map((r) => r.id)));
        expect(ids).not.toContain(newer.id);
        expect((await storage.runs.list({ teamId: team.id }, { first: 1 })).items[0]?.id).toBe(newer.id);
      });

      it('filters by creator, status and model, also across pages', async () => {
        const { second, team, model, runs } = await manyRuns();
        const bySecond = runs.filter((_, i) => i % 3 === 0);
        const pages = await collect((after) =>
          storage.runs.list({ teamId: team.id, creatorId: second.id }, { first: 3, after }),
        );
        expect(new Set(pages.flat().map((r) => r.id))).toEqual(new Set(bySecond.map((r) => r.id)));
        expect(pages.flat()).toHaveLength(bySecond.length);

        await storage.runs.finish(runs[4]!.id, { status: 'CANCELLED' });
        await storage.runs.markRunning(runs[5]!.id, { backend: 'cpu', method: 'adam' });
        const cancelled = await storage.runs.list({ teamId: team.id, status: 'CANCELLED' });
        expect(cancelled.items.map((r) => r.id)).toEqual([runs[4]!.id]);
        const notQueued = await storage.runs.list({
          teamId: team.id,
          status: ['CANCELLED', 'RUNNING'],
          modelId: model.id,
        });
        expect(new Set(notQueued.items.map((r) => r.id))).toEqual(new Set([runs[4]!.id, runs[5]!.id]));
        expect(notQueued.nextCursor).toBeNull();
        expect((await storage.runs.list({ teamId: team.id, modelId: crypto.randomUUID() })).items).toEqual(
          [],
        );
        expect((await storage.runs.list({ teamId: crypto.randomUUID() })).items).toEqual([]);
      });

      it('rejects a forged cursor and an out-of-range page size', async () => {
        const { team } = await teamWithModel();
        await expect(storage.runs.list({ teamId: team.id }, { after: 'garbage' })).rejects.toThrow(
          /after: received/,
        );
        const forged = Buffer.from(JSON.stringify(['2020-01-01T00:00:00Z', "x' OR 1=1"])).toString(
          'base64url',
        );
        await expect(storage.runs.list({ teamId: team.id }, { after: forged })).rejects.toThrow(
          InvalidArgumentError,
        );
        await expect(storage.runs.list({ teamId: team.id }, { first: 0 })).rejects.toThrow(
          /first: received 0/,
        );
        await expect(storage.runs.list({ teamId: team.id }, { first: 101 })).rejects.toThrow(
          InvalidArgumentError,
        );
        // @ts-expect-error: statuses are checked at run time too.
        await expect(storage.runs.list({ teamId: team.id, status: 'DONE' })).rejects.toThrow(/status/);
      });
    });

    describe('run steps', () => {
      async function newRun() {
        const { user, team, model } = await teamWithModel();
        return storage.runs.create({ teamId: team.id, modelId: model.id, creatorId: user.id, spec: {} });
      }
      const makeSteps = (from: number, to: number) =>
        Array.from({ length: to - from }, (_, i) => ({
          step: from + i,
          restart: Math.floor((from + i) / 150),
          objective: randomDoubles(1)[0]!,
          violation: (from + i) % 2 === 0 ? null : Math.random(),
          outputs: randomDoubles(10),
        }));

      it('appends steps in batches and reads them back exactly, in order, from any step', async () => {
        const run = await newRun();
        const steps = makeSteps(0, 300);
        expect(await storage.runSteps.append(run.id, steps.slice(100, 200))).toBe(100);
        expect(await storage.runSteps.append(run.id, steps.slice(0, 100))).toBe(100);
        expect(await storage.runSteps.append(run.id, steps.slice(200))).toBe(100);
        expect(await storage.runSteps.read(run.id)).toEqual(steps);
        expect(await storage.runSteps.read(run.id, { fromStep: 250 })).toEqual(steps.slice(250));
        expect(await storage.runSteps.read(run.id, { fromStep: 10, limit: 5 })).toEqual(steps.slice(10, 15));
        expect((await storage.runSteps.read(run.id, { fromStep: 5, every: 100 })).map((s) => s.step)).toEqual(
          [5, 105, 205],
        );
        expect(await storage.runSteps.lastStep(run.id)).toBe(299);
        expect(await storage.runSteps.count(run.id)).toBe(300);
      });

      it('keeps NaN and infinities, and ignores a batch sent twice', async () => {
        const run = await newRun();
        const steps = [
          {
            step: 0,
            objective: Number.NaN,
            violation: Number.POSITIVE_INFINITY,
            outputs: [Number.NEGATIVE_INFINITY, 1],
          },
          { step: 1, objective: -0.5, violation: 0, outputs: [Number.NaN, 2] },
        ];
        expect(await storage.runSteps.append(run.id, steps)).toBe(2);
        expect(await storage.runSteps.append(run.id, steps)).toBe(0);
        expect(await storage.runSteps.read(run.id)).toEqual(steps.map((s) => ({ ...s, restart: 0 })));
      });

      it('answers empty for a run without steps and rejects bad arguments', async () => {
        const run = await newRun();
        expect(await storage.runSteps.read(run.id)).toEqual([]);
        expect(await storage.runSteps.lastStep(run.id)).toBeNull();
        expect(await storage.runSteps.append(run.id, [])).toBe(0);
        await expect(
          storage.runSteps.append(run.id, [{ step: -1, objective: 0, violation: null, outputs: [] }]),
        ).rejects.toThrow(/steps\[0\]\.step: received -1/);
        await expect(storage.runSteps.read(run.id, { limit: 0 })).rejects.toThrow(/limit/);
        await expect(
          storage.runSteps.append(crypto.randomUUID(), [
            { step: 0, objective: 0, violation: null, outputs: [] },
          ]),
        ).rejects.toThrow(/^run ".*" not found/);
      });
    });

    describe('run snapshots', () => {
      it('stores inputs at chosen steps and reads them back exactly', async () => {
        const { user, team, model } = await teamWithModel();
        const run = await storage.runs.create({
          teamId: team.id,
          modelId: model.id,
          creatorId: user.id,
          spec: {},
        });
        const snapshots = [0, 1, 2, 10, 100, 999].map((step) => ({
          step,
          input: Float32Array.from(randomDoubles(784)),
        }));
        expect(await storage.runSnapshots.append(run.id, snapshots.slice(3))).toBe(3);
        expect(await storage.runSnapshots.append(run.id, snapshots)).toBe(3);
        expect(await storage.runSnapshots.listSteps(run.id)).toEqual([0, 1, 2, 10, 100, 999]);
        expect(await storage.runSnapshots.get(run.id, 100)).toEqual(snapshots[4]!.input);
        expect(await storage.runSnapshots.get(run.id, 3)).toBeNull();
        expect(await storage.runSnapshots.read(run.id, { fromStep: 5, limit: 2 })).toEqual(
          snapshots.slice(3, 5),
        );
        expect(await storage.runSnapshots.latest(run.id)).toEqual(snapshots[5]);
      });
    });

    describe('share links', () => {
      it('opens a run by token until revoked, storing only the SHA-256', async () => {
        const { user, team, model } = await teamWithModel();
        const run = await storage.runs.create({
          teamId: team.id,
          modelId: model.id,
          creatorId: user.id,
          spec: {},
        });
        const { link, token } = await storage.shareLinks.create(run.id, user.id);
        expect(token).toMatch(/^shr_/);
        expect(link).toMatchObject({ runId: run.id, createdBy: user.id, revokedAt: null });
        const { rows } = await storage.driver.query<{ json: string }>(
          'SELECT row_to_json(s)::text AS json FROM share_links s WHERE run_id = $1',
          [run.id],
        );
        expect(rows[0]?.json).not.toContain(token.slice(4));

        expect(await storage.shareLinks.findValid(token)).toEqual(link);
        expect(await storage.shareLinks.get(link.id)).toEqual(link);
        const second = await storage.shareLinks.create(run.id, user.id);
        expect(new Set((await storage.shareLinks.listForRun(run.id)).map((l) => l.id))).toEqual(
          new Set([link.id, second.link.id]),
        );
        expect(await storage.shareLinks.revoke(link.id)).toBe(true);
        expect(await storage.shareLinks.revoke(link.id)).toBe(false);
        expect(await storage.shareLinks.findValid(token)).toBeNull();
        expect(await storage.shareLinks.findValid(second.token)).not.toBeNull();
      });
    });

    describe('training jobs', () => {
      it('runs a job through its states, records its events, and links the trained model', async () => {
        const { user, team, model } = await teamWithModel();
        const spec = { dataset: 'fashion-mnist', arch: 'mlp', epochs: 2, seed: 42 };
        const job = await storage.trainingJobs.create({ teamId: team.id, creatorId: user.id, spec });
        expect(job).toMatchObject({ status: 'QUEUED', spec, modelId: null });
        expect(await storage.trainingJobs.countActiveByCreator(user.id)).toBe(1);
        expect(await storage.trainingJobs.markRunning(job.id, { backend: 'wasm' })).toMatchObject({
          status: 'RUNNING',
        });

        const events: TrainingEvent[] = [
          { seq: 0, kind: 'batch', epoch: 0, batch: 0, metrics: { loss: 2.3, acc: 0.1 } },
          { seq: 1, kind: 'batch', epoch: 0, batch: 1, metrics: { loss: 1.9, acc: null } },
          { seq: 2, kind: 'epoch', epoch: 0, batch: null, metrics: { loss: 1.5, val_loss: 1.6 } },
        ];
        expect(await storage.trainingEvents.append(job.id, events.slice(0, 2))).toBe(2);
        expect(await storage.trainingEvents.append(job.id, events)).toBe(1);
        expect(await storage.trainingEvents.read(job.id)).toEqual(events);
        expect(await storage.trainingEvents.read(job.id, { fromSeq: 1, limit: 1 })).toEqual([events[1]]);

        const done = await storage.trainingJobs.finish(job.id, {
          status: 'SUCCEEDED',
          modelId: model.id,
          metrics: { accuracy: 0.85 },
          timings: { totalMs: 5000 },
        });
        expect(done).toMatchObject({ status: 'SUCCEEDED', modelId: model.id, metrics: { accuracy: 0.85 } });
        expect(await storage.trainingJobs.finish(job.id, { status: 'CANCELLED' })).toBeNull();
        expect(await storage.trainingJobs.get(job.id)).toEqual(done);
        expect(await storage.trainingJobs.countActiveByCreator(user.id)).toBe(0);
      });

      it('lists jobs newest first with filters and pages, and interrupts running ones', async () => {
        const { user, team } = await teamWithModel();
        const jobs = [];
        for (let i = 0; i < 5; i++)
          jobs.push(await storage.trainingJobs.create({ teamId: team.id, creatorId: user.id, spec: { i } }));
        await storage.trainingJobs.markRunning(jobs[1]!.id, { backend: 'cpu', workerId: `w-${team.id}` });
        const page1 = await storage.trainingJobs.list({ teamId: team.id }, { first: 3 });
        const page2 = await storage.trainingJobs.list(
          { teamId: team.id },
          { first: 3, after: page1.nextCursor },
        );
        expect([...page1.items, ...page2.items].map((j) => j.id).sort()).toEqual(
          jobs.map((j) => j.id).sort(),
        );
        expect(page2.nextCursor).toBeNull();
        const running = await storage.trainingJobs.list({
          teamId: team.id,
          status: 'RUNNING',
          creatorId: user.id,
        });
        expect(running.items.map((j) => j.id)).toEqual([jobs[1]!.id]);

        expect(await storage.trainingJobs.interruptRunning({ workerId: `w-${team.id}` })).toEqual([
          jobs[1]!.id,
        ]);
        expect((await storage.trainingJobs.get(jobs[1]!.id))?.status).toBe('INTERRUPTED');
        // The others never started: a restart hands them out again, oldest first.
        const ids = jobs.map((j) => j.id);
        const ours = (await storage.trainingJobs.listQueued()).filter((j) => ids.includes(j.id));
        expect(ours.map((j) => j.id).sort()).toEqual([ids[0], ids[2], ids[3], ids[4]].sort());
        const times = ours.map((j) => j.createdAt.getTime());
        expect(times).toEqual([...times].sort((x, y) => x - y));
      });
    });
  },
);
