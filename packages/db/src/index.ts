/**
 * What @argmax/db offers: open the storage (embedded PGlite, or PostgreSQL when a URL is given), the
 * records its repositories read and write, its errors (a wrong argument is core's `InvalidArgumentError`,
 * from `@argmax/core/errors`), and the statuses every job moves through.
 * Everything else under src/ (drivers, SQL, migrations' files) is implementation, free to move.
 */

export {
  ConflictError,
  DatabaseUnavailableError,
  type InviteProblem,
  InviteUnusableError,
  LastOwnerError,
  MigrationError,
  NotFoundError,
  StorageError,
} from './errors.ts';
export {
  FINAL_STATUSES,
  type FinalStatus,
  isFinalStatus,
  JOB_STATUSES,
  type JobStatus,
} from './jobStatus.ts';
// The advisory lock migrations hold, so a test or an operator can hold it too and watch others wait.
export { MIGRATION_LOCK_KEY } from './migrate.ts';
export { type OpenDatabaseOptions, openDatabase } from './openDatabase.ts';
export type { Page, PageRequest } from './pagination.ts';
export type { ApiToken } from './repositories/apiTokens.ts';
export type { Invite } from './repositories/invites.ts';
export type { JobOutcome, JobRepository } from './repositories/jobLifecycle.ts';
export { MODEL_ORIGINS, type ModelOrigin, type ModelSummary } from './repositories/models.ts';
export {
  CERTIFICATE_STATUSES,
  type CertificateBound,
  type CertificateStatus,
  type RunCertificate,
} from './repositories/runCertificates.ts';
export type { RunSnapshot } from './repositories/runSnapshots.ts';
export type { RunStep } from './repositories/runSteps.ts';
export type { Run, RunOutcome } from './repositories/runs.ts';
export type { Session } from './repositories/sessions.ts';
export type { ShareLink } from './repositories/shareLinks.ts';
export { type Membership, ROLES, type Role, type Team } from './repositories/teams.ts';
export type { TrainingEvent } from './repositories/trainingEvents.ts';
export type { TrainingJob, TrainingOutcome } from './repositories/trainingJobs.ts';
export type { User } from './repositories/users.ts';
export type { Repositories, Storage } from './storage.ts';
