import { existsSync } from 'node:fs';
import { servicesRequired } from '@argmax/db/testing';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium (apt-get install chromium); the suite never downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const chromiumAvailable = () => existsSync(CHROMIUM_PATH);

/**
 * Whether a browser suite runs here: with chromium, or where CI (or ARGMAX_REQUIRE_SERVICES) asks for the
 * real services, so that a missing browser is a failure there, not a skip. Says so when it is skipped.
 */
export function browserSuiteRuns(suite: string): boolean {
  const runs = chromiumAvailable() || servicesRequired();
  if (!runs)
    console.warn(`e2e ${suite} suite skipped: no chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  return runs;
}

export function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable())
    throw new Error(`chromium not found at ${CHROMIUM_PATH}; install it with: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
