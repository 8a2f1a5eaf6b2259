import { describe } from '@argmax/core/errors';

/**
 * One base class for every error the storage layer throws on purpose. The server maps these to GraphQL
 * error codes (ConflictError → CONFLICT, NotFoundError → NOT_FOUND, ...); anything else is an internal bug.
 * A wrong argument is core's `InvalidArgumentError` (`@argmax/core/errors`, which loads nothing else), the
 * one definition both packages throw.
 */
export class StorageError extends Error {
  override name = 'StorageError';
}

/** A unique value is already taken (an email, a membership) or a row is still referenced (a model with runs). */
export class ConflictError extends StorageError {
  override name = 'ConflictError';
  constructor(
    readonly entity: string,
    message: string,
  ) {
    super(`${entity}: ${message}`);
  }
}

/** A row an update needs does not exist. Lookups return null instead of throwing. */
export class NotFoundError extends StorageError {
  override name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${describe(id)} not found`);
  }
}

export type InviteProblem = 'not_found' | 'expired' | 'accepted' | 'revoked' | 'email_mismatch';

/** An invite token that cannot be accepted, and why. */
export class InviteUnusableError extends StorageError {
  override name = 'InviteUnusableError';
  constructor(readonly problem: InviteProblem) {
    super(`invite cannot be accepted: ${problem.replace('_', ' ')}`);
  }
}

/** A change would leave a team without an owner; teams always keep at least one. */
export class LastOwnerError extends StorageError {
  override name = 'LastOwnerError';
  constructor(readonly teamId: string) {
    super(`team ${teamId}: the last owner cannot be removed or demoted; make another member owner first`);
  }
}

/** The database cannot be reached (PostgreSQL down, wrong URL) or refused the connection. */
export class DatabaseUnavailableError extends StorageError {
  override name = 'DatabaseUnavailableError';
}

/** Migrations could not be applied, or an applied migration was edited afterwards. */
export class MigrationError extends StorageError {
  override name = 'MigrationError';
}
