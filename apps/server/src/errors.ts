import { InvalidArgumentError, NonFiniteError, UnsupportedError } from '@argmax/core';
import {
  ConflictError,
  DatabaseUnavailableError,
  InviteUnusableError,
  LastOwnerError,
  NotFoundError,
} from '@argmax/db';
import { GraphQLError } from 'graphql';

/**
 * Expected failures, each with a stable `extensions.code` clients can switch on. Yoga passes
 * GraphQLErrors through unmasked; anything else is masked and logged with the request id.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'LIMIT_EXCEEDED'
  | 'CONFLICT'
  | 'SERVICE_UNAVAILABLE';

export class ApiError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const unauthenticated = (message = 'sign in first (session cookie or Bearer token)') =>
  new ApiError('UNAUTHENTICATED', message);

export const forbidden = (message: string) => new ApiError('FORBIDDEN', message);

/** Also used for resources in other teams, so IDs cannot be probed. */
export const notFound = (what: string, id: string) => new ApiError('NOT_FOUND', `${what} ${id} not found`);

export const badInput = (field: string, message: string) =>
  new ApiError('BAD_USER_INPUT', `${field}: ${message}`, { field });

export const limitExceeded = (limit: string, message: string, extra: Record<string, unknown> = {}) =>
  new ApiError('LIMIT_EXCEEDED', message, { limit, ...extra });

/**
 * GraphQL's own errors about the request: parse and validation failures carry yoga's codes, but a variable
 * that cannot be coerced (e.g. "NaN" for a Float) or an unknown operation name comes with none. Those are
 * the only ones with neither a code nor a field path, and they are the client's input: BAD_USER_INPUT
 * (with the variable as `field`).
 */
export function withRequestErrorCode(error: GraphQLError): GraphQLError {
  if (error.extensions?.code !== undefined || error.path !== undefined) return error;
  const variable = /^Variable "\$(\w+)"/.exec(error.message)?.[1];
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT', ...(variable ? { field: variable } : {}) },
  });
}

/**
 * Expected failures from the packages below, mapped by class to their codes in this one place: storage's
 * `StorageError` family (a taken email, a last owner, an unusable invite, a database away) and core's
 * `ArgmaxError` family (a non-finite value, something unsupported), and the invalid argument both throw
 * (core's one `InvalidArgumentError`; storage takes it from `@argmax/core/errors`). Returns undefined for
 * anything else (a bug: masked).
 */
export function fromDomainError(error: unknown): ApiError | undefined {
  if (error instanceof InvalidArgumentError)
    return new ApiError('BAD_USER_INPUT', error.message, { field: error.argument });
  if (error instanceof ConflictError || error instanceof LastOwnerError)
    return new ApiError('CONFLICT', error.message);
  if (error instanceof InviteUnusableError)
    return new ApiError('BAD_USER_INPUT', error.message, { field: 'token' });
  // Where the database is stays in the server's log; the client learns it is temporary.
  if (error instanceof DatabaseUnavailableError)
    return new ApiError('SERVICE_UNAVAILABLE', 'the database is unavailable; try again shortly');
  if (error instanceof NotFoundError) return new ApiError('NOT_FOUND', error.message);
  if (error instanceof NonFiniteError || error instanceof UnsupportedError)
    return new ApiError('BAD_USER_INPUT', error.message);
  return undefined;
}
