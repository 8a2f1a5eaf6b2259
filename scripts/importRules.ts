import type { PackageRules } from './importGraph.ts';

/**
 * Who may import whom. Each package lists its floors from top to bottom: a file may import its own
 * folder or a folder on a lower floor, never a peer on its floor nor one above. Test files (`*.test.ts`)
 * sit above every floor of their package; files outside `sourceRoot` are entry points. No package may
 * hold an import circle. Across packages: core imports nothing of ours, db only core's errors, web
 * no server code (its GraphQL types are generated into web from the schema file).
 */
export const importRules: PackageRules[] = [
  {
    dir: 'packages/core',
    name: '@argmax/core',
    sourceRoot: 'src',
    layers: [
      ['index.ts'],
      // Helpers that tests share; product code never imports them.
      ['testing'],
      ['cli'],
      // The prior certifies inside its subspace (certifyInPrior), so it sits above the certifier.
      ['prior'],
      ['certify'],
      ['optimize'],
      ['polish', 'realism'],
      ['methods'],
      ['models', 'objectives', 'training'],
      // LP/MILP programs, the network's MILP among them: above the network form they encode.
      ['lp'],
      ['import', 'image', 'data', 'network'],
      ['constraints'],
      ['spec', 'backend'],
      ['errors.ts'],
    ],
    mayImport: [],
  },
  {
    dir: 'packages/db',
    name: '@argmax/db',
    sourceRoot: 'src',
    layers: [
      ['index.ts'],
      // Helpers that tests share; product code never imports them.
      ['testing'],
      ['openDatabase.ts'],
      ['storage.ts', 'migrate.ts', 'drivers'],
      ['repositories'],
      ['pagination.ts', 'jobStatus.ts', 'float32Bytes.ts'],
      ['driver.ts', 'ids.ts', 'json.ts', 'secrets.ts'],
      ['errors.ts'],
    ],
    // Core's errors only (the one `InvalidArgumentError`): a file that imports nothing, so no tfjs.
    mayImport: ['@argmax/core/errors'],
  },
  {
    dir: 'apps/server',
    name: '@argmax/server',
    sourceRoot: 'src',
    layers: [
      ['testing'],
      ['index.ts', 'worker.ts'],
      ['app.ts', 'workerProcess.ts', 'startWhenReachable.ts'],
      // The GraphQL API: every domain's types in one schema, printed; and what describes the server itself.
      ['schema'],
      ['context.ts'],
      // The composition roots: the API server's services, and the worker process's queue consumer.
      ['services.ts', 'queueWorker.ts'],
      // This process's executor of each kind of job, for both roots.
      ['jobExecutors.ts'],
      // The domains: each its GraphQL types, service, executor and spec.
      ['runs', 'training'],
      ['models', 'teams'],
      ['auth'],
      ['access.ts'],
      // The one Pothos builder and what every domain's types share: the request context, scalars, JobStatus.
      ['graphql'],
      ['http', 'visibility'],
      // Shared machinery that knows no domain: dispatch, worker pool, queue; thread/ runs inside the threads.
      ['jobs'],
      ['pubsub', 'observability'],
      ['config.ts'],
      ['validation.ts', 'withTimeout.ts'],
      ['errors.ts'],
    ],
    mayImport: ['@argmax/core', '@argmax/db'],
  },
  {
    dir: 'apps/web',
    name: '@argmax/web',
    sourceRoot: 'src',
    layers: [['app'], ['features'], ['components'], ['api', 'server'], ['graphql', 'types']],
    mayImport: [],
  },
  {
    dir: 'bench',
    name: '@argmax/bench',
    sourceRoot: 'src',
    layers: [
      ['main.ts'],
      ['scaleOut.ts', 'join.ts', 'signIn.ts', 'prior.ts'],
      [
        'certify.ts',
        'cnnCertify.ts',
        'cnnGallery.ts',
        'cnnOptimization.ts',
        'import.ts',
        'optimization.ts',
        'polish.ts',
        'server.ts',
        'training.ts',
      ],
      ['benchRow.ts', 'exactReference.ts', 'testImages.ts'],
      ['cpuClock.ts'],
    ],
    mayImport: ['@argmax/core', '@argmax/db', '@argmax/server'],
  },
  {
    dir: 'test',
    mayImport: ['@argmax/core', '@argmax/db', '@argmax/server', 'apps/web'],
  },
];
