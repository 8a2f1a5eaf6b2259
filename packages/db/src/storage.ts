import type { Driver, DriverKind, Executor } from './driver.ts';
import { type ApiTokenRepository, createApiTokenRepository } from './repositories/apiTokens.ts';
import { createInviteRepository, type InviteRepository } from './repositories/invites.ts';
import { createModelRepository, type ModelRepository } from './repositories/models.ts';
import {
  createRunCertificateRepository,
  type RunCertificateRepository,
} from './repositories/runCertificates.ts';
import { createRunSnapshotRepository, type RunSnapshotRepository } from './repositories/runSnapshots.ts';
import { createRunStepRepository, type RunStepRepository } from './repositories/runSteps.ts';
import { createRunRepository, type RunRepository } from './repositories/runs.ts';
import { createSessionRepository, type SessionRepository } from './repositories/sessions.ts';
import { createShareLinkRepository, type ShareLinkRepository } from './repositories/shareLinks.ts';
import { createTeamRepository, type TeamRepository } from './repositories/teams.ts';
import {
  createTrainingEventRepository,
  type TrainingEventRepository,
} from './repositories/trainingEvents.ts';
import { createTrainingJobRepository, type TrainingJobRepository } from './repositories/trainingJobs.ts';
import { createUserRepository, type UserRepository } from './repositories/users.ts';

/** Every repository, over one executor (the pool, or one open transaction). */
export interface Repositories {
  users: UserRepository;
  sessions: SessionRepository;
  apiTokens: ApiTokenRepository;
  teams: TeamRepository;
  invites: InviteRepository;
  models: ModelRepository;
  runs: RunRepository;
  runSteps: RunStepRepository;
  runSnapshots: RunSnapshotRepository;
  runCertificates: RunCertificateRepository;
  trainingJobs: TrainingJobRepository;
  trainingEvents: TrainingEventRepository;
  shareLinks: ShareLinkRepository;
}

/** What the server holds: the repositories, plus transactions, health and shutdown. */
export interface Storage extends Repositories {
  readonly kind: DriverKind;
  /** Several repository calls that must all happen or none (they share one transaction). */
  transaction<T>(fn: (repositories: Repositories) => Promise<T>): Promise<T>;
  /** Throws when the database cannot answer (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Raw SQL, for health checks, maintenance and tests; the server should not need it. */
  readonly driver: Driver;
}

export function createRepositories(db: Executor): Repositories {
  return {
    users: createUserRepository(db),
    sessions: createSessionRepository(db),
    apiTokens: createApiTokenRepository(db),
    teams: createTeamRepository(db),
    invites: createInviteRepository(db),
    models: createModelRepository(db),
    runs: createRunRepository(db),
    runSteps: createRunStepRepository(db),
    runSnapshots: createRunSnapshotRepository(db),
    runCertificates: createRunCertificateRepository(db),
    trainingJobs: createTrainingJobRepository(db),
    trainingEvents: createTrainingEventRepository(db),
    shareLinks: createShareLinkRepository(db),
  };
}

export function createStorage(driver: Driver): Storage {
  let closed: Promise<void> | undefined;
  return {
    ...createRepositories(driver),
    kind: driver.kind,
    driver,
    transaction: (fn) => driver.transaction((tx) => fn(createRepositories(tx))),
    async ping() {
      await driver.query('SELECT 1');
    },
    // Closing twice (a test's afterAll and a shutdown hook) is harmless.
    close: () => {
      closed ??= driver.close();
      return closed;
    },
  };
}
