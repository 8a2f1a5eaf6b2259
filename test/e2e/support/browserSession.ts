import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ServerConfig } from '../../../apps/server/src/config.ts';
import { startTestServer, type TestServer } from '../../../apps/server/src/testing/testServer.ts';
import { screenshotIfFailed } from './artifacts.ts';
import { launchChromium } from './browser.ts';
import { ensureDashboardBuild } from './dashboardBuild.ts';
import { type Dashboard, startDashboard } from './dashboardServer.ts';
import { collectPageErrors, signUpInBrowser } from './userFlows.ts';

/** What a browser test works with: the API, the dashboard in front of it, and one page in chromium. */
export interface BrowserSession {
  api: TestServer;
  web: Dashboard;
  browser: Browser;
  /** The context `page` lives in. */
  context: BrowserContext;
  page: Page;
  /** The page's uncaught errors so far (a test asserts there are none). */
  pageErrors: string[];
  /** The user signed up on `page` when `signUpAs` was given. */
  user: { email: string; teamId: string } | undefined;
  /** Closes the browser, the dashboard and the API; safe to call more than once. */
  close(): Promise<void>;
}

export interface BrowserSessionOptions {
  /** Overrides of the API server's configuration (startTestServer's). */
  server?: Partial<ServerConfig>;
  /** The page's context; by default a 1280 × 1000 viewport. */
  context?: BrowserContextOptions;
  /** Signs a new user of this name up on the page before returning. */
  signUpAs?: string;
}

/**
 * Launches Debian's chromium, builds the dashboard if its build is stale, starts the API and the dashboard
 * in front of it, opens a page that collects its errors and (optionally) signs a user up. Whatever started
 * is closed again if a later step fails.
 */
export async function startBrowserSession(options: BrowserSessionOptions = {}): Promise<BrowserSession> {
  let browser: Browser | undefined;
  let web: Dashboard | undefined;
  let api: TestServer | undefined;
  let closed: Promise<void> | undefined;
  // The browser first (it talks to the dashboard), the API last; each is closed even if another fails.
  const close = () => {
    closed ??= (async () => {
      const failures: unknown[] = [];
      for (const stop of [() => browser?.close(), () => web?.stop(), () => api?.close()])
        await Promise.resolve()
          .then(stop)
          .catch((e: unknown) => failures.push(e));
      if (failures.length) throw new AggregateError(failures, 'closing the browser session failed');
    })();
    return closed;
  };
  try {
    // The browser first: a missing chromium fails at once, before the dashboard's build.
    browser = await launchChromium();
    await ensureDashboardBuild();
    api = await startTestServer(options.server);
    web = await startDashboard(api.url);
    const context = await browser.newContext(options.context ?? { viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    const user = options.signUpAs ? await signUpInBrowser(page, web.url, options.signUpAs) : undefined;
    return { api, web, browser, context, page, pageErrors, user, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

/**
 * A describe block's browser session: started before its tests (with the dashboard's build, up to 10
 * minutes), a full-page screenshot `failed-<screenshotPrefix><test name>.png` after each failed test, and
 * closed after them all. Call inside the describe; the returned function gives the session to the tests.
 */
export function useBrowserSession(
  options: BrowserSessionOptions & { screenshotPrefix?: string } = {},
): () => BrowserSession {
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    session = await startBrowserSession(options);
  }, 600_000);
  afterEach(async (context) => {
    await screenshotIfFailed(session?.page, context.task, options.screenshotPrefix);
  });
  afterAll(async () => {
    await session?.close();
  });
  return () => {
    if (!session) throw new Error('the browser session did not start (see the beforeAll hook)');
    return session;
  };
}
