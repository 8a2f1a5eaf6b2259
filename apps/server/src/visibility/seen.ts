import type { Role } from '@argmax/db';
import type { Access } from './policy.ts';

/**
 * An object as one caller reached it: a shallow copy carrying the access under a symbol, so resolvers read
 * it as before and the same stored object (e.g. a live event sent to many subscribers) can travel under
 * different accesses at once.
 */
const ACCESS = Symbol('access');

type Tagged = { [ACCESS]?: Access };

export const teamAccess = (role: Role): Access => ({ way: 'team', role });
export const SHARE_LINK: Access = { way: 'shareLink' };
export const SELF: Access = { way: 'self' };
export const INVITEE: Access = { way: 'invitee' };
export const ANYONE: Access = { way: 'anyone' };

/** `value` (an object, a list of them, or null) as reached through `access`. */
export function seenAs<T>(access: Access, value: T): T {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => seenAs(access, item)) as T;
  return Object.assign(Object.create(Object.getPrototypeOf(value)), value, { [ACCESS]: access });
}

/** The access an object was reached through, or undefined when nobody tagged it. */
export const accessOf = (value: unknown): Access | undefined =>
  value !== null && typeof value === 'object' ? (value as Tagged)[ACCESS] : undefined;

/** `value` reached the way `source` was (a loaded run's share links, its fresh copy after a cancel). */
export function seenLike<T>(source: object, value: T): T {
  const access = accessOf(source);
  if (!access) throw new Error('seenLike: the source was reached without an access');
  return seenAs(access, value);
}
