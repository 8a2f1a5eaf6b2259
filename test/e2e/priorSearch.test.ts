import { loadDataset } from '@argmax/core';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../apps/server/src/testing/testServer.ts';
import { artifactPath, screenshotIfFailed } from './support/artifacts.ts';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium, servicesRequired } from './support/browser.ts';
import { ensureDashboardBuild } from './support/dashboardBuild.ts';
import { type Dashboard, startDashboard } from './support/dashboardServer.ts';
import { collectPageErrors, queryFromPage, signUpInBrowser } from './support/userFlows.ts';

const canRun = chromiumAvailable() || servicesRequired();
if (!canRun)
  console.warn(
    `e2e prior-search suite skipped: no chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`,
  );

interface ApiRun {
  value: number;
  spec: { prior: string; accentuate: string | null; diverse: number | null };
  accentuation: { anchorIndex: number | null; anchorImage: string; anchorValue: number } | null;
  prototypes: { value: number; image: string; realistic: boolean }[] | null;
}

/** The same run as the API reports it, asked from the page with the user's own session. */
async function runFromApi(page: Page, id: string): Promise<ApiRun> {
  const { run } = await queryFromPage<{ run: ApiRun }>(
    page,
    'query($id: ID!) { run(id: $id) { value spec { prior accentuate diverse } accentuation { anchorIndex anchorImage anchorValue } prototypes { value image realistic } } }',
    { id },
  );
  return run;
}

/** The dashboard shows figures to 4 significant digits (formatNumber). */
const shown = (v: number) => Number(v.toPrecision(4));

/** A Fashion-MNIST test image of `label` as a PNG file (its grey bytes), for the form's file input. */
async function testImagePng(label: number) {
  const { test } = await loadDataset('fashion-mnist');
  let row = 0;
  while (test.labels[row] !== label) row++;
  const bytes = Array.from(test.images.subarray(row * 784, (row + 1) * 784));
  const png = new PNG({ width: 28, height: 28 });
  png.data = Buffer.from(bytes.flatMap((b) => [b, b, b, 255]));
  return { bytes, buffer: PNG.sync.write(png) };
}

const greyOf = (url: string) => {
  const png = PNG.sync.read(Buffer.from(url.split(',')[1]!, 'base64'));
  return Array.from({ length: png.width * png.height }, (_, j) => png.data[j * 4]!);
};

// One server with the small prior (built on the first run that asks, in this file only).
describe.runIf(canRun)('accentuation and diverse prototypes in a real browser', () => {
  let api: TestServer;
  let web: Dashboard;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    browser = await launchChromium();
    await ensureDashboardBuild();
    api = await startTestServer({ maxConcurrentJobs: 2 });
    web = await startDashboard(api.url);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    pageErrors = collectPageErrors(page);
    await signUpInBrowser(page, web.url, 'Acc');
  }, 600_000);

  afterEach(async (context) => {
    await screenshotIfFailed(page, context.task, 'prior-search-');
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.close();
  });

  /** Fills the form's class, counts and prior; `extra` sets the realism controls; returns the run's id once it has succeeded. */
  async function startInPrior(className: string, extra: () => Promise<void>): Promise<string> {
    await page.getByRole('link', { name: 'New run' }).first().click();
    await page.locator('#target-index').selectOption({ label: className });
    await page.locator('#steps').fill('30');
    await page.locator('#restarts').fill('6');
    await page.locator('#prior').selectOption('FASHION_MNIST');
    await extra();
    await page.getByTestId('start-run').click();
    await page.waitForURL(/\/runs\/[^/]+$/, { timeout: 30_000 });
    const runId = new URL(page.url()).pathname.split('/')[2]!;
    await expect
      .poll(() => page.getByTestId('run-status').textContent(), { timeout: 600_000, interval: 500 })
      .toBe('succeeded');
    return runId;
  }

  it('accentuates from an uploaded PNG: the anchor is shown beside the answer, as the API reports it', async () => {
    const reference = await testImagePng(7);
    const runId = await startInPrior('Sneaker', async () => {
      await page.locator('#accentuate').selectOption('REFERENCE');
      await page
        .locator('#anchor-file')
        .setInputFiles({ name: 'sneaker.png', mimeType: 'image/png', buffer: reference.buffer });
      await page.getByText('Reference loaded: 784 values.').waitFor();
    });
    const panel = page.getByTestId('accentuation-panel');
    await panel.waitFor({ timeout: 30_000 });
    const run = await runFromApi(page, runId);
    expect(run.spec).toMatchObject({ prior: 'FASHION_MNIST', accentuate: 'REFERENCE', diverse: null });
    expect(run.accentuation!.anchorIndex).toBeNull();
    // The anchor the server kept is the uploaded image (the browser read it at its own size, 28×28).
    const kept = greyOf(run.accentuation!.anchorImage);
    expect(Math.max(...kept.map((b, j) => Math.abs(b - reference.bytes[j]!)))).toBeLessThanOrEqual(1);
    const shownAnchor = page.getByTestId('accentuation-anchor-image');
    expect(await shownAnchor.getAttribute('src')).toBe(run.accentuation!.anchorImage);
    expect(await page.getByTestId('accentuation-anchor-caption').textContent()).toMatch(
      /your reference image/,
    );
    expect(Number(await page.getByTestId('accentuation-anchor-value').textContent())).toBe(
      shown(run.accentuation!.anchorValue),
    );
    await panel.screenshot({ path: artifactPath('accentuation-panel.png') });
    expect(pageErrors).toEqual([]);
  }, 900_000);

  it('asks for 3 diverse prototypes and shows them as a strip, strongest first, as the API reports them', async () => {
    const runId = await startInPrior('Bag', async () => {
      await page.locator('#diverse').fill('3');
    });
    const strip = page.getByTestId('prototype-strip');
    await strip.waitFor({ timeout: 30_000 });
    const run = await runFromApi(page, runId);
    expect(run.spec.diverse).toBe(3);
    const prototypes = run.prototypes!;
    expect(prototypes.length).toBeGreaterThanOrEqual(1);
    const figures = strip.getByTestId('prototype');
    expect(await figures.count()).toBe(prototypes.length);
    for (const [i, p] of prototypes.entries()) {
      expect(await figures.nth(i).locator('img').getAttribute('src')).toBe(p.image);
      expect(Number(await figures.nth(i).getByTestId('prototype-value').textContent())).toBe(shown(p.value));
    }
    await strip.screenshot({ path: artifactPath('prototype-strip.png') });
    expect(pageErrors).toEqual([]);
  }, 900_000);
});
