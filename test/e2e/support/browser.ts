import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium (apt-get install chromium); the suite never downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** In CI (or when asked) a missing browser is a failure, not a skip. */
export const servicesRequired = (env: NodeJS.ProcessEnv = process.env) =>
  Boolean(env.CI) || env.ARGMAX_REQUIRE_SERVICES === '1';

export const chromiumAvailable = () => existsSync(CHROMIUM_PATH);

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
