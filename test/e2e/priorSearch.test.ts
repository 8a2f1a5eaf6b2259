import { loadDataset } from '@argmax/core';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { artifactPath } from './support/artifacts.ts';
import { browserSuiteRuns } from './support/browser.ts';
import { useBrowserSession } from './support/browserSession.ts';
import { shown } from './support/shownFigure.ts';
import { startRunFromForm } from './support/startRunFromForm.ts';
import { queryFromPage } from './support/userFlows.ts';

const canRun = browserSuiteRuns('prior-search');

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
  const session = useBrowserSession({ signUpAs: 'Acc', screenshotPrefix: 'prior-search-' });

  /** Fills the form's class, counts and prior; `extra` sets the realism controls; returns the run's id once it has succeeded. */
  async function startInPrior(className: string, extra: () => Promise<void>): Promise<string> {
    const { page } = session();
    const runId = await startRunFromForm(page, {
      className,
      steps: 30,
      restarts: 6,
      prior: 'FASHION_MNIST',
      fillMore: extra,
    });
    await expect
      .poll(() => page.getByTestId('run-status').textContent(), { timeout: 600_000, interval: 500 })
      .toBe('succeeded');
    return runId;
  }

  it('accentuates from an uploaded PNG: the anchor is shown beside the answer, as the API reports it', async () => {
    const { page, pageErrors } = session();
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
    const { page, pageErrors } = session();
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
