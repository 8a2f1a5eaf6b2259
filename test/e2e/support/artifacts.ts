import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** test/artifacts/ (gitignored): screenshots and measurements worth looking at after a run. */
export const ARTIFACTS_DIR = new URL('../../artifacts/', import.meta.url).pathname;

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}

export function writeArtifactJson(name: string, value: unknown): string {
  const path = artifactPath(name);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

/** After a failed test, a full-page picture of where `page` was: `failed-<prefix><test name>.png`. */
export async function screenshotIfFailed(
  page: Page | undefined,
  task: { name: string; result?: { state?: string } },
  prefix = '',
): Promise<void> {
  if (task.result?.state !== 'fail' || !page) return;
  await page.screenshot({
    path: artifactPath(`failed-${prefix}${task.name.replace(/\W+/g, '-')}.png`),
    fullPage: true,
  });
}
