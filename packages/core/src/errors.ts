/**
 * One base class for every error core throws on purpose. Callers (CLI, server) map these to
 * exit codes / GraphQL error codes; anything else is an internal bug and is masked. This file imports
 * nothing, so storage takes `InvalidArgumentError` and `describe` from it (`@argmax/core/errors`) without
 * loading tfjs.
 */
export class ArgmaxError extends Error {
  override name = 'ArgmaxError';
}

/** An argument was wrong: names it, says what was received and what is accepted. */
export class InvalidArgumentError extends ArgmaxError {
  override name = 'InvalidArgumentError';
  constructor(
    readonly argument: string,
    readonly received: unknown,
    readonly accepted: string,
  ) {
    super(`${argument}: received ${describe(received)}; expected ${accepted}`);
  }
}

/** NaN or Inf found where only finite numbers make sense (weights, inputs, references). */
export class NonFiniteError extends ArgmaxError {
  override name = 'NonFiniteError';
  constructor(
    readonly where: string,
    readonly count: number,
  ) {
    super(`${where}: ${count} value(s) are NaN or Infinity; only finite numbers are accepted`);
  }
}

/** The model or request uses something this code cannot handle (a layer, an objective on a layer, ...). */
export class UnsupportedError extends ArgmaxError {
  override name = 'UnsupportedError';
}

/** The work was cancelled through an AbortSignal. */
export class CancelledError extends ArgmaxError {
  override name = 'CancelledError';
  constructor(reason = 'cancelled') {
    super(reason);
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value))
    return `a ${value.constructor.name} of length ${(value as Float32Array).length}`;
  return typeof value;
}

/** Throws NonFiniteError when any value is NaN/Inf. */
export function assertFinite(values: ArrayLike<number>, where: string): void {
  let bad = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) bad++;
  if (bad > 0) throw new NonFiniteError(where, bad);
}
