const UNREACHABLE = new Set(['DatabaseUnavailableError', 'RedisUnavailableError']);

/**
 * Starts a process whose database or Redis may not be up yet (a whole stack starting at once, or a restart
 * of PostgreSQL): while they do not answer it says so and tries again every 2 s, up to `waitSeconds`,
 * instead of exiting into a crash loop. Any other error (a bad configuration) fails at once.
 */
export async function startWhenReachable<T>(
  start: () => Promise<T>,
  log: (line: string) => void,
  waitSeconds: number,
): Promise<T> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    try {
      return await start();
    } catch (error) {
      if (!(error instanceof Error) || !UNREACHABLE.has(error.name) || Date.now() > deadline) throw error;
      log(`${error.message}; trying again in 2 s`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}
