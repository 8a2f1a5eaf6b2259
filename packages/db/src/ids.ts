import { randomUUID } from 'node:crypto';

/** Random (v4) UUIDs: unguessable, so an ID alone reveals nothing and cannot be enumerated. */
export function newId(): string {
  return randomUUID();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Lookups check this first: a malformed ID (a client guessing) is simply "not found" instead of a
 * PostgreSQL cast error.
 */
export function isId(value: string): boolean {
  return UUID.test(value);
}
