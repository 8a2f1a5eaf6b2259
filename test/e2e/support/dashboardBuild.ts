import { ensureBuild } from '../../../apps/web/src/server/nextBuild.ts';

export const WEB_DIR = new URL('../../../apps/web/', import.meta.url).pathname;

/**
 * Builds the dashboard once when `.next` is missing or older than its sources, here rather than in the
 * dashboard's own start-up, so the build's minute is not counted against the server's start timeout.
 */
export async function ensureDashboardBuild(log: (line: string) => void = console.log): Promise<void> {
  const started = Date.now();
  const built = await ensureBuild(WEB_DIR, () => log('e2e: building the dashboard (next build)…'));
  if (built) log(`e2e: dashboard built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
