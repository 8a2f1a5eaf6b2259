import { buildFeasibleSet } from '@argmax/core';
import { openDatabase } from '@argmax/db';
import { describe, expect, it } from 'vitest';
import { fromDomainError } from './errors.ts';

/** What `fromDomainError` makes of the error `fail` throws (or rejects with). */
async function mapped(fail: () => unknown) {
  const error = await Promise.resolve()
    .then(fail)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(Error);
  const api = fromDomainError(error);
  return { message: api?.message, extensions: api?.extensions };
}

describe('fromDomainError', () => {
  it('maps a wrong argument from storage and from core alike: BAD_USER_INPUT naming the argument', async () => {
    const storage = await mapped(() => openDatabase({ url: 'mysql://root:hunter2@localhost/db' }));
    expect(storage.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'url' });
    expect(storage.message).toMatch(/^url: received .*; expected a PostgreSQL URL/);
    const core = await mapped(() => buildFeasibleSet({ box: { lo: 1, hi: 0 } }, { size: 2, shape: [2] }));
    expect(core.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'constraints.box' });
    expect(core.message).toMatch(/^constraints\.box: received "lo 1 > hi 0"; expected lo ≤ hi/);
  });

  it('leaves any other error unmapped (masked as internal)', () => {
    expect(fromDomainError(new TypeError('x is undefined'))).toBeUndefined();
  });
});
