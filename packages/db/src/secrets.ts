import { createHash, randomBytes } from 'node:crypto';

export type SecretPrefix = 'sess' | 'amx' | 'inv' | 'shr';

/**
 * 256 random bits with a readable prefix (`amx_…` is an API token), so a leaked secret is recognisable by
 * secret scanners and by people.
 */
export function newSecret(prefix: SecretPrefix): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * Only this digest is stored. The secrets are 256 random bits, so a fast hash is enough: there is nothing
 * to brute-force, unlike passwords (those get argon2id in the server).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
