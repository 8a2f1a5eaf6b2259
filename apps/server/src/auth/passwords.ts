import { hash, verify } from '@node-rs/argon2';
import { limitExceeded } from '../errors.ts';
import { BoundedQueue, QueueFullError } from './boundedQueue.ts';

// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes): ~30 ms per hash here.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a stored value that is no argon2 hash. */
  verify(stored: string, password: string): Promise<boolean>;
}

// The API's resolvers reach the hasher as `services.passwords` (see graphql/apiContext.ts).
declare module '../graphql/apiContext.ts' {
  interface ApiServices {
    /** Every argon2 hash and check of this process, bounded (ServerConfig.passwordHashes). */
    passwords: PasswordHasher;
  }
}

/**
 * Every argon2 computation of the process goes through one bounded queue: each costs a core for ~30 ms and
 * 19 MiB, so a burst of sign-ins (or sign-ups) may take `concurrency` cores, never all of them, and a queue
 * longer than `queue` is answered LIMIT_EXCEEDED at once rather than growing without bound.
 */
export function createPasswordHasher(limits: { concurrency: number; queue: number }): PasswordHasher {
  const slots = new BoundedQueue(limits.concurrency, limits.queue);
  const bounded = async <T>(task: () => Promise<T>): Promise<T> => {
    try {
      return await slots.run(task);
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      throw limitExceeded('passwordHashQueue', 'the server is busy checking passwords; try again in 1 s', {
        retryAfterSeconds: 1,
      });
    }
  };
  return {
    hash: (password) => bounded(() => hash(password, options)),
    verify: (stored, password) => bounded(() => verify(stored, password).catch(() => false)),
  };
}
