import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GraphQLSchema, getNamedType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, GraphQLResponse } from './testing/apiClient.ts';
import {
  introspectedSchema,
  type ReachableField,
  type RequiredArgs,
  reachableFields,
  selectAll,
  selectOne,
} from './testing/schemaWalk.ts';
import type { TestServer } from './testing/testServer.ts';
import { testServerStorages } from './testing/testServerStorages.ts';
import { until } from './testing/until.ts';

type Actor = 'anonymous' | 'outsider' | 'viewer' | 'member' | 'owner';
type Outcome = 'ok' | 'UNAUTHENTICATED' | 'NOT_FOUND' | 'FORBIDDEN';
const ACTORS: Actor[] = ['anonymous', 'outsider', 'viewer', 'member', 'owner'];

const fixture = new URL('../../../packages/core/fixtures/models/tfjs-mnist-mlp/', import.meta.url);
const modelFile = async (name: string) => ({
  name,
  bytes: new Uint8Array(await readFile(new URL(name, fixture))),
});
const MODEL_NAME = 'team mnist mlp';

/**
 * What a share link shows of every object type of the schema (the share-link column), written out here
 * apart from the server's table: a field is visible when a signed-out holder of a link reaches it through
 * sharedRun or runEvents(shareToken) and gets it back.
 */
const shareLinkSees: Record<string, readonly string[]> = {
  Run: [
    'id',
    'status',
    'error',
    'method',
    'createdAt',
    'startedAt',
    'finishedAt',
    'spec',
    'inputShape',
    'value',
    'violation',
    'outputs',
    'certificate',
    'model',
    'creator',
    'bestInput',
    'finalInput',
    'bestImage',
    'stepCount',
    'steps',
    'snapshotSteps',
    'snapshot',
    'realism',
    'budget',
    'accentuation',
    'prototypes',
  ],
  Model: ['name', 'inputShape', 'outputCount', 'classNames', 'dataset'],
  User: ['displayName'],
  RunStep: ['step', 'objective', 'violation', 'outputs'],
  RunSpec: [
    'objective',
    'method',
    'steps',
    'restarts',
    'seed',
    'learningRate',
    'parameterization',
    'constraints',
    'regularizers',
    'prior',
    'timeBudgetSeconds',
    'accentuate',
    'diverse',
  ],
  RunBudget: ['seconds', 'steps', 'restarts', 'secondsPerStep', 'keepBest'],
  RunBudgetCut: ['after', 'starts'],
  RunObjective: ['kind', 'index', 'layer', 'channel'],
  RunConstraints: ['box', 'linf', 'l2', 'mask', 'linear', 'quantizeLevels'],
  RunBox: ['lo', 'hi'],
  RunBall: ['reference', 'epsilon'],
  RunMask: ['fixed', 'reference'],
  RunLinearConstraint: ['weights', 'mean', 'sense', 'bound'],
  RunRegularizers: ['l2', 'tv', 'blur', 'blurEvery', 'jitter'],
  RunSnapshot: ['step', 'input', 'image'],
  RunCertificate: [
    'status',
    'region',
    'timeLimitSeconds',
    'bestValue',
    'upperBound',
    'gap',
    'proven',
    'method',
    'reason',
    'seconds',
    'history',
  ],
  CertificateBound: ['seconds', 'upperBound', 'bestValue', 'gap', 'method'],
  RunRealism: [
    'dataset',
    'targetClass',
    'nearest',
    'manifold',
    'judges',
    'judgesAgreeing',
    'criteria',
    'realistic',
    'frontier',
  ],
  RealismNearest: ['index', 'label', 'distance', 'percentile', 'image'],
  RealismManifold: ['components', 'distance', 'percentile'],
  RealismJudge: ['name', 'label', 'probability'],
  RealismCriteria: ['nearest', 'manifold', 'judges', 'nearestLow', 'nearestHigh', 'manifoldHigh'],
  RealismFrontierPoint: [
    't',
    'value',
    'nearestDistance',
    'nearestPercentile',
    'manifoldPercentile',
    'judgesAgreeing',
    'realistic',
    'image',
  ],
  RunAccentuation: ['anchorIndex', 'anchorImage', 'anchorValue', 'centreValue', 'radius', 'improved'],
  RunPrototype: [
    'value',
    'image',
    'nearestDistance',
    'nearestPercentile',
    'manifoldPercentile',
    'judgesAgreeing',
    'realistic',
  ],
  RunStatusEvent: ['runId', 'status', 'error', 'priorProgress', 'priorStage'],
  RunStepEvent: [
    'runId',
    'step',
    'steps',
    'restarts',
    'objective',
    'violation',
    'outputs',
    'image',
    'publishedAt',
  ],
  RunBoundEvent: [
    'runId',
    'index',
    'certificateStatus',
    'upperBound',
    'bestValue',
    'gap',
    'method',
    'seconds',
    'proven',
    'reason',
    'publishedAt',
  ],
  ModelArtifacts: [],
  ApiToken: [],
  CreatedApiToken: [],
  CreatedInvite: [],
  CreatedShareLink: [],
  Invite: [],
  InvitePreview: [],
  Member: [],
  RunPage: [],
  ShareLink: [],
  SystemInfo: [],
  Team: [],
  TrainingEvent: [],
  TrainingJob: [],
};

/** Required arguments met on the way down from sharedRun (step 0 always has a snapshot). */
const ARGS: RequiredArgs = { 'Run.snapshot': '(step: 0)' };
const SHARED_RUN = (selection: string) => `query($k: String!) { sharedRun(token: $k) { ${selection} } }`;
const SHARED_EVENTS = (selection: string) =>
  `subscription($r: ID!, $k: String) { runEvents(runId: $r, shareToken: $k) { ${selection} } }`;

/** Whether `key` is a property anywhere in `value` (a probe must reach the field, not an empty list). */
const hasKey = (value: unknown, key: string): boolean =>
  value !== null &&
  typeof value === 'object' &&
  (Object.hasOwn(value, key) || Object.values(value).some((inner) => hasKey(inner, key)));

/** Every non-null scalar in a result. */
const values = (data: unknown): unknown[] =>
  data === null || data === undefined
    ? []
    : typeof data === 'object'
      ? Object.values(data).flatMap(values)
      : [data];

// One small prior for the file (both storages): the shared run in a prior shows its realism through the link.
const priors = await mkdtemp(join(tmpdir(), 'argmax-priors-'));
afterAll(() => rm(priors, { recursive: true, force: true }));

describe.each(await testServerStorages())('authorization ($name storage)', (storage) => {
  let server: TestServer;
  const clients = {} as Record<Actor, ApiClient>;
  let teamId: string;
  let runId: string;
  let modelId: string;
  let seedModelId: string;
  let spareUserId: string;
  let shareToken: string;
  /**
   * Links to runs in the MNIST prior: what only such runs have is probed through them (the realism and
   * the diverse prototypes of the first, the accentuation's anchor of the second).
   */
  let priorShareTokens: string[];
  let ownerEmail: string;

  beforeAll(async () => {
    server = await storage.start({ priors: { dir: priors, sample: 'small' } });
    seedModelId = (
      await server.client().data<{ system: { seedModelId: string } }>('{ system { seedModelId } }')
    ).system.seedModelId;
    const owner = await server.signUp('owner');
    teamId = owner.teamId;
    ownerEmail = owner.email;
    clients.owner = owner.client;
    clients.anonymous = server.client();
    clients.outsider = (await server.signUp('outsider')).client;
    for (const [actor, role] of [
      ['viewer', 'VIEWER'],
      ['member', 'MEMBER'],
    ] as const) {
      const user = await server.signUp(actor);
      const { inviteMember } = await owner.client.data<{ inviteMember: { token: string } }>(
        'mutation($t: ID!, $e: String!, $r: Role!) { inviteMember(teamId: $t, email: $e, role: $r) { token } }',
        { t: teamId, e: user.email, r: role },
      );
      await user.client.data('mutation($k: String!) { acceptInvite(token: $k) { id } }', {
        k: inviteMember.token,
      });
      clients[actor] = user.client;
    }
    // The run of issue 14: on a model uploaded into the team, certified, then shared.
    const upload = await owner.client.upload<{ uploadModel: { id: string } }>(
      'mutation($t: ID!, $n: String!, $files: [File!]!) { uploadModel(teamId: $t, name: $n, files: $files) { id } }',
      { t: teamId, n: MODEL_NAME },
      [await modelFile('model.json'), await modelFile('weights.bin')],
    );
    expect(upload.errors).toBeUndefined();
    modelId = upload.data!.uploadModel.id;
    // Every part of a spec that the schema shows as an object (ball, mask, linear row, regularizers) is
    // given, none changing the feasible box, so a probe of each reaches a value.
    const grey = new Array<number>(784).fill(0.5);
    const { startRun } = await owner.client.data<{ startRun: { id: string } }>(
      'mutation($t: ID!, $m: ID!, $i: StartRunInput!) { startRun(teamId: $t, modelId: $m, input: $i) { id } }',
      {
        t: teamId,
        m: modelId,
        i: {
          target: { kind: 'LOGIT', index: 0 },
          steps: 20,
          restarts: 1,
          constraints: {
            linf: { reference: grey, epsilon: 1 },
            fixedMask: { indices: [], reference: grey },
            linear: [{ mean: true, sense: 'LE', bound: 1 }],
          },
          regularizers: { l2: 0 },
        },
      },
    );
    runId = startRun.id;
    await owner.client.subscribe('subscription($r: ID!) { runEvents(runId: $r) { __typename } }', {
      r: runId,
    }).events;
    await until('the certificate', async () => {
      const { run } = await owner.client.data<{ run: { certificate: { status: string } | null } }>(
        'query($r: ID!) { run(id: $r) { certificate { status } } }',
        { r: runId },
      );
      return run.certificate?.status === 'DONE' ? true : undefined;
    });
    const { createShareLink } = await owner.client.data<{ createShareLink: { token: string } }>(
      'mutation($r: ID!) { createShareLink(runId: $r) { token } }',
      { r: runId },
    );
    shareToken = createShareLink.token;
    const sharedPriorRun = async (input: Record<string, unknown>) => {
      const { startRun } = await owner.client.data<{ startRun: { id: string } }>(
        'mutation($t: ID!, $m: ID!, $i: StartRunInput!) { startRun(teamId: $t, modelId: $m, input: $i) { id } }',
        { t: teamId, m: modelId, i: { target: { kind: 'LOGIT', index: 3 }, prior: 'MNIST', ...input } },
      );
      await owner.client.subscribe('subscription($r: ID!) { runEvents(runId: $r) { __typename } }', {
        r: startRun.id,
      }).events;
      return (
        await owner.client.data<{ createShareLink: { token: string } }>(
          'mutation($r: ID!) { createShareLink(runId: $r) { token } }',
          { r: startRun.id },
        )
      ).createShareLink.token;
    };
    priorShareTokens = [
      // Time-budgeted, so that it also shows what a budget chose (`Run.budget`).
      await sharedPriorRun({ timeBudgetSeconds: 0.5, diverse: 2 }),
      await sharedPriorRun({ steps: 20, restarts: 4, accentuate: { anchor: 'TYPICAL' } }),
      await sharedRunWithCuts(owner.userId),
    ];
  }, 600_000);

  afterAll(async () => {
    await server?.close();
  });

  /**
   * A link to a run whose time budget cut its starts (`Run.budget.keepBest`). Whether a real run's
   * budget cuts depends on how fast this machine measures a step, so the run's end is stored as the
   * executor stores it.
   */
  async function sharedRunWithCuts(creatorId: string): Promise<string> {
    const storage = server.app.services.storage;
    const run = await storage.runs.create({
      teamId,
      modelId,
      creatorId,
      spec: {
        options: { objective: { kind: 'logit', index: 1 }, method: 'projected-adam', timeBudget: 3 },
        inputShape: [28, 28, 1],
        imageRange: [0, 1],
      },
    });
    await storage.runs.markRunning(run.id, { backend: 'wasm', method: 'projected-adam' });
    const keepBest = [
      { after: 10, starts: 16 },
      { after: 20, starts: 8 },
    ];
    const budget = { seconds: 3, steps: 80, restarts: 64, secondsPerStep: 0.03, keepBest };
    await storage.runs.finish(run.id, { status: 'INTERRUPTED', error: 'stopped', timings: { budget } });
    const { createShareLink } = await clients.owner.data<{ createShareLink: { token: string } }>(
      'mutation($r: ID!) { createShareLink(runId: $r) { token } }',
      { r: run.id },
    );
    return createShareLink.token;
  }

  async function addSpareMember(): Promise<string> {
    const spare = await server.signUp('spare');
    const { inviteMember } = await clients.owner.data<{ inviteMember: { token: string } }>(
      'mutation($t: ID!, $e: String!) { inviteMember(teamId: $t, email: $e, role: VIEWER) { token } }',
      { t: teamId, e: spare.email },
    );
    await spare.client.data('mutation($k: String!) { acceptInvite(token: $k) { id } }', {
      k: inviteMember.token,
    });
    return spare.userId;
  }

  const readAccess: Record<Actor, Outcome> = {
    anonymous: 'UNAUTHENTICATED',
    outsider: 'NOT_FOUND',
    viewer: 'ok',
    member: 'ok',
    owner: 'ok',
  };
  const memberAccess: Record<Actor, Outcome> = { ...readAccess, viewer: 'FORBIDDEN' };
  // Whoever holds a link reads the run through it, as a link holder: signing in adds nothing to it.
  const linkAccess: Record<Actor, Outcome> = {
    anonymous: 'ok',
    outsider: 'ok',
    viewer: 'ok',
    member: 'ok',
    owner: 'ok',
  };
  const linkNever: Record<Actor, Outcome> = {
    anonymous: 'FORBIDDEN',
    outsider: 'FORBIDDEN',
    viewer: 'FORBIDDEN',
    member: 'FORBIDDEN',
    owner: 'FORBIDDEN',
  };
  const ownerAccess: Record<Actor, Outcome> = { ...memberAccess, member: 'FORBIDDEN' };

  const operations: {
    name: string;
    expected: Record<Actor, Outcome>;
    query: () => [string, Record<string, unknown>];
  }[] = [
    {
      name: 'read the team',
      expected: readAccess,
      query: () => ['query($t: ID!) { team(id: $t) { id members { role } } }', { t: teamId }],
    },
    {
      name: 'list runs',
      expected: readAccess,
      query: () => ['query($t: ID!) { runs(teamId: $t) { items { id } } }', { t: teamId }],
    },
    {
      name: 'read a run',
      expected: readAccess,
      query: () => ['query($r: ID!) { run(id: $r) { id bestInput } }', { r: runId }],
    },
    {
      name: 'read a run through its share link',
      expected: linkAccess,
      query: () => [
        SHARED_RUN('id bestImage model { name classNames } creator { displayName }'),
        { k: shareToken },
      ],
    },
    {
      name: 'read the model’s weights through a share link',
      expected: linkNever,
      query: () => [SHARED_RUN('model { artifacts { weightsBase64 } }'), { k: shareToken }],
    },
    {
      name: 'read the creator’s e-mail through a share link',
      expected: linkNever,
      query: () => [SHARED_RUN('creator { email }'), { k: shareToken }],
    },
    {
      name: 'read the team through a share link',
      expected: linkNever,
      query: () => [SHARED_RUN('teamId'), { k: shareToken }],
    },
    {
      name: 'list models',
      expected: readAccess,
      query: () => ['query($t: ID!) { models(teamId: $t) { id } }', { t: teamId }],
    },
    {
      name: 'start a run',
      expected: memberAccess,
      query: () => [
        'mutation($t: ID!, $m: ID!) { startRun(teamId: $t, modelId: $m, input: { target: { kind: LOGIT, index: 1 }, steps: 5, restarts: 1 }) { id } }',
        { t: teamId, m: seedModelId },
      ],
    },
    {
      name: 'cancel a run',
      expected: memberAccess,
      query: () => ['mutation($r: ID!) { cancelRun(id: $r) { id } }', { r: runId }],
    },
    {
      name: 'make a share link',
      expected: memberAccess,
      query: () => ['mutation($r: ID!) { createShareLink(runId: $r) { token } }', { r: runId }],
    },
    {
      name: 'invite a member',
      expected: ownerAccess,
      query: () => [
        'mutation($t: ID!) { inviteMember(teamId: $t, email: "x@example.com", role: MEMBER) { token } }',
        { t: teamId },
      ],
    },
    {
      name: 'see invites',
      expected: ownerAccess,
      query: () => ['query($t: ID!) { team(id: $t) { invites { id } } }', { t: teamId }],
    },
    {
      name: 'change a role',
      expected: ownerAccess,
      query: () => [
        'mutation($t: ID!, $u: ID!) { changeRole(teamId: $t, userId: $u, role: MEMBER) { role } }',
        { t: teamId, u: spareUserId },
      ],
    },
    {
      name: 'train a model (denials only)',
      expected: { ...memberAccess, member: 'FORBIDDEN', owner: 'FORBIDDEN' },
      query: () => [
        'mutation($t: ID!) { trainModel(teamId: $t, name: "x", epochs: 0) { id } }',
        { t: teamId },
      ],
    },
  ];

  describe('authorization matrix', () => {
    beforeAll(async () => {
      spareUserId = await addSpareMember();
    });

    for (const op of operations) {
      for (const actor of ACTORS) {
        const expected = op.expected[actor];
        it(`${actor} → ${op.name}: ${expected}`, async () => {
          const [query, variables] = op.query();
          const result = await clients[actor].request(query, variables);
          if (expected === 'ok') {
            expect(result.errors).toBeUndefined();
          } else if (op.name.startsWith('train') && (actor === 'member' || actor === 'owner')) {
            // Allowed, but epochs: 0 is refused by validation: proves the role check passed.
            expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
          } else {
            expect(result.errors?.[0]?.extensions?.code).toBe(expected);
            // Nothing of what was asked comes back (a nullable parent may stand, emptied).
            expect(values(result.data)).toEqual([]);
          }
        });
      }
    }

    it('removing a member: only the owner may', async () => {
      const target = await addSpareMember();
      const remove = 'mutation($t: ID!, $u: ID!) { removeMember(teamId: $t, userId: $u) }';
      expect(
        (await clients.anonymous.request(remove, { t: teamId, u: target })).errors?.[0]?.extensions?.code,
      ).toBe('UNAUTHENTICATED');
      expect(
        (await clients.outsider.request(remove, { t: teamId, u: target })).errors?.[0]?.extensions?.code,
      ).toBe('NOT_FOUND');
      expect(
        (await clients.viewer.request(remove, { t: teamId, u: target })).errors?.[0]?.extensions?.code,
      ).toBe('FORBIDDEN');
      expect(
        (await clients.member.request(remove, { t: teamId, u: target })).errors?.[0]?.extensions?.code,
      ).toBe('FORBIDDEN');
      expect((await clients.owner.request(remove, { t: teamId, u: target })).data).toEqual({
        removeMember: true,
      });
    });

    it('subscriptions are checked too: outsiders and anonymous cannot watch a run', async () => {
      const sub = 'subscription($r: ID!) { runEvents(runId: $r) { __typename } }';
      await expect(clients.anonymous.subscribe(sub, { r: runId }).events).rejects.toMatchObject({
        errors: [{ extensions: { code: 'UNAUTHENTICATED' } }],
      });
      await expect(clients.outsider.subscribe(sub, { r: runId }).events).rejects.toMatchObject({
        errors: [{ extensions: { code: 'NOT_FOUND' } }],
      });
      const events = await clients.viewer.subscribe<{ runEvents: { __typename: string } }>(sub, { r: runId })
        .events;
      expect(events.at(-1)?.runEvents.__typename).toBe('RunStatusEvent');
    });

    it('a share link opens the run signed out, until it is revoked', async () => {
      const { createShareLink } = await clients.member.data<{
        createShareLink: { token: string; link: { id: string } };
      }>('mutation($r: ID!) { createShareLink(runId: $r) { token link { id } } }', { r: runId });
      const shared = 'query($k: String!) { sharedRun(token: $k) { id status bestImage } }';
      const open = await clients.anonymous.data<{ sharedRun: { id: string; bestImage: string } }>(shared, {
        k: createShareLink.token,
      });
      expect(open.sharedRun.id).toBe(runId);
      expect(open.sharedRun.bestImage).toMatch(/^data:image\/png;base64,/);
      const watched = await clients.anonymous.subscribe(
        'subscription($r: ID!, $k: String) { runEvents(runId: $r, shareToken: $k) { __typename } }',
        { r: runId, k: createShareLink.token },
      ).events;
      expect(watched.length).toBeGreaterThan(0);
      const viewerRevoke = await clients.viewer.request('mutation($id: ID!) { revokeShareLink(id: $id) }', {
        id: createShareLink.link.id,
      });
      expect(viewerRevoke.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      await clients.owner.data('mutation($id: ID!) { revokeShareLink(id: $id) }', {
        id: createShareLink.link.id,
      });
      const closed = await clients.anonymous.request(shared, { k: createShareLink.token });
      expect(closed.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });

    it('guessing another team’s IDs reveals nothing', async () => {
      const outsiderRun = await clients.outsider.request('query($r: ID!) { run(id: $r) { id } }', {
        r: runId,
      });
      const missing = await clients.outsider.request('query($r: ID!) { run(id: $r) { id } }', {
        r: '00000000-0000-4000-8000-000000000000',
      });
      expect(outsiderRun.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(outsiderRun.errors?.[0]?.message.replace(runId, 'X')).toBe(
        missing.errors?.[0]?.message.replace('00000000-0000-4000-8000-000000000000', 'X'),
      );
    });
  });

  describe('the share-link column: what a signed-out link holder sees of every type', () => {
    let schema: GraphQLSchema;
    const visible = new Map<string, string[]>();

    /** Every raw answer a link holder got, by the field asked for. */
    const answers: { where: string; raw: string }[] = [];
    let secrets: string[];

    /** Whether a signed-out holder of the link gets this field back (FORBIDDEN: no; anything else: a test bug). */
    async function probe(reached: ReachableField, through: 'query' | 'subscription'): Promise<boolean> {
      const where = `${reached.type}.${reached.field}`;
      if (through === 'query') {
        let raw = await rawRequest(SHARED_RUN(selectOne(reached)), { k: shareToken });
        // Realism, prototypes and an anchor are null on a run outside a prior: the prior runs have them.
        for (const k of priorShareTokens) {
          if (JSON.parse(raw).errors || hasKey(JSON.parse(raw).data, reached.field)) break;
          raw = await rawRequest(SHARED_RUN(selectOne(reached)), { k });
        }
        answers.push({ where, raw });
        const result = JSON.parse(raw) as GraphQLResponse;
        if (result.errors) {
          expect(result.errors[0]?.extensions?.code, where).toBe('FORBIDDEN');
          return false;
        }
        expect(hasKey(result.data, reached.field), `${where} was not reached`).toBe(true);
        return true;
      }
      const events = await clients.anonymous
        .subscribe(SHARED_EVENTS(selectOne(reached)), { r: runId, k: shareToken })
        .events.catch((error: { errors?: { extensions?: { code?: string } }[] }) => {
          answers.push({ where, raw: JSON.stringify(error.errors) });
          expect(error.errors?.[0]?.extensions?.code, where).toBe('FORBIDDEN');
          return null;
        });
      if (!events) return false;
      answers.push({ where, raw: JSON.stringify(events) });
      expect(hasKey(events, reached.field), `${where} was not reached`).toBe(true);
      return true;
    }

    /** Nothing of the team's: the model's weights and topology, an e-mail address, the team's or model's id. */
    function expectNoLeak(raw: string, where: string) {
      for (const secret of secrets) expect(raw.includes(secret), `${where} answered ${secret}`).toBe(false);
      expect(raw, where).not.toContain('@');
    }

    beforeAll(async () => {
      const { run } = await clients.owner.data<{
        run: { model: { artifacts: { weightsBase64: string } }; creator: { email: string } };
      }>('query($r: ID!) { run(id: $r) { model { artifacts { weightsBase64 } } creator { email } } }', {
        r: runId,
      });
      // The team's own page has them: the strings looked for are the real ones.
      expect(run.creator.email).toBe(ownerEmail);
      const weights = run.model.artifacts.weightsBase64;
      expect(weights.length).toBeGreaterThan(1000);
      secrets = [weights.slice(0, 64), weights.slice(-64), 'modelTopology', teamId, modelId];

      schema = await introspectedSchema(clients.anonymous);
      const reached = [
        ...reachableFields(schema, 'Query', 'sharedRun', ARGS).map((f) => [f, 'query'] as const),
        ...reachableFields(schema, 'Subscription', 'runEvents', ARGS).map(
          (f) => [f, 'subscription'] as const,
        ),
      ];
      for (const [field, through] of reached)
        if (await probe(field, through))
          visible.set(field.type, [...(visible.get(field.type) ?? []), field.field]);
    });

    it('no answer to any field asked through the link holds weights, an e-mail address or team ids', () => {
      expect(answers.length).toBeGreaterThan(50);
      for (const { where, raw } of answers) expectNoLeak(raw, where);
    });

    it('the column names every object type of the schema', () => {
      const outputTypes = Object.values(schema.getTypeMap())
        .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
        .map((t) => t.name)
        .filter((name) => !['Query', 'Mutation', 'Subscription'].includes(name));
      expect(outputTypes.sort()).toEqual(Object.keys(shareLinkSees).sort());
    });

    for (const [type, fields] of Object.entries(shareLinkSees)) {
      it(`share link → ${type}: ${fields.length ? fields.join(', ') : 'nothing'}`, () => {
        expect([...(visible.get(type) ?? [])].sort()).toEqual([...fields].sort());
      });
    }

    it('asking for everything the schema allows brings back no weights, no e-mail address, no team', async () => {
      const leaks = (raw: string) => expectNoLeak(raw, 'everything');
      const everything = await rawRequest(SHARED_RUN(selectAll(schema, 'Run', ARGS)), { k: shareToken });
      leaks(everything);
      const parsed = JSON.parse(everything) as { errors: { extensions: { code: string } }[] };
      expect(new Set(parsed.errors.map((e) => e.extensions.code))).toEqual(new Set(['FORBIDDEN']));

      // Only the column's fields: the run page's view comes back whole.
      const shown = await rawRequest(SHARED_RUN(selectVisible('Run')), { k: shareToken });
      leaks(shown);
      const { data, errors } = JSON.parse(shown) as {
        data: {
          sharedRun: Record<string, unknown> & { model: { name: string }; creator: { displayName: string } };
        };
        errors?: unknown;
      };
      expect(errors).toBeUndefined();
      expect(data.sharedRun).toMatchObject({
        id: runId,
        status: 'SUCCEEDED',
        model: { name: MODEL_NAME, inputShape: [28, 28, 1], outputCount: 10 },
        creator: { displayName: 'owner' },
        certificate: { status: 'DONE' },
      });
      expect(data.sharedRun.bestImage).toMatch(/^data:image\/png;base64,/);

      const events = await clients.anonymous.subscribe<{ runEvents: { __typename: string } }>(
        SHARED_EVENTS(selectAll(schema, 'RunEvent', ARGS)),
        { r: runId, k: shareToken },
      ).events;
      leaks(JSON.stringify(events));
      expect(new Set(events.map((e) => e.runEvents.__typename))).toEqual(
        new Set(['RunStatusEvent', 'RunStepEvent', 'RunBoundEvent']),
      );
    });

    /** The column's fields of `typeName` and, below them, of the types they lead to. */
    function selectVisible(typeName: string): string {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(`${typeName} is no object type`);
      return (shareLinkSees[typeName] ?? [])
        .map((name) => {
          const named = getNamedType(type.getFields()[name]!.type).name;
          const call = ARGS[`${typeName}.${name}`] ? `${name}${ARGS[`${typeName}.${name}`]}` : name;
          return named in shareLinkSees ? `${call} { ${selectVisible(named)} }` : call;
        })
        .join(' ');
    }

    async function rawRequest(query: string, variables: Record<string, unknown>): Promise<string> {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return response.text();
    }
  });
});
