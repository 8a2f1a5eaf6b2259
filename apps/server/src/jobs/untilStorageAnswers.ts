import { DatabaseUnavailableError } from '@argmax/db';
import type { StorageWrite } from './jobKind.ts';

const isUnavailable = (error: unknown) => error instanceof DatabaseUnavailableError;

/**
 * Retries a storage call while the database is unreachable (PostgreSQL restarting, the network gone), backing
 * off to 5 s, for at most `giveUpAfterMs`: a run's steps and outcome are stored once it answers again instead
 * of being lost. Any other error passes through at once.
 */
export async function untilStorageAnswers<T>(
  call: () => Promise<T>,
  what: string,
  log: (line: string) => void,
  giveUpAfterMs = 10 * 60_000,
): Promise<T> {
  const started = Date.now();
  let delay = 500;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!isUnavailable(error) || Date.now() - started > giveUpAfterMs) throw error;
      log(`${what}: ${(error as Error).message}; retrying in ${delay / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}

/** Storage writes of an executing job: each waits out a database outage (what the job recorded is kept). */
export const waitingWrites =
  (log: (line: string) => void): StorageWrite =>
  (what, write) =>
    untilStorageAnswers(write, what, log);
