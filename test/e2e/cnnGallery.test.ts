import { loadavg } from 'node:os';
import { evaluateObjective, importModel } from '@argmax/core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactPath, writeArtifactJson } from './support/artifacts.ts';
import { browserSuiteRuns } from './support/browser.ts';
import { useBrowserSession } from './support/browserSession.ts';
import { shown } from './support/shownFigure.ts';
import { queryFromPage } from './support/userFlows.ts';

const canRun = browserSuiteRuns('CNN gallery');

const KERAS_CNN = '../../packages/core/fixtures/models/keras3-fashion-mnist-cnn/fashion_mnist.keras';

/** A run as the API reports it, asked from the page with the user's own session. */
async function runFromApi(page: Page, id: string) {
  const { run } = await queryFromPage<{
    run: {
      status: string;
      value: number;
      bestInput: number[];
      outputs: number[];
      spec: { prior: string; objective: { kind: string; index: number } };
      certificate: { status: string; region: string; upperBound: number | null } | null;
    };
  }>(
    page,
    'query($id: ID!) { run(id: $id) { status value bestInput outputs spec { prior objective { kind index } } certificate { status region upperBound } } }',
    { id },
  );
  return run;
}

// The server as deployed on this machine: a job slot per core and the 10 s default certificate.
describe.runIf(canRun)('the class gallery on an uploaded Keras CNN', () => {
  const session = useBrowserSession({
    server: { maxConcurrentJobs: 2, defaultCertifySeconds: 10 },
    signUpAs: 'Cat',
    screenshotPrefix: 'cnn-gallery-',
  });

  it('runs all 10 classes of the uploaded CNN, each cell with its value and a certified bound above it', async () => {
    const { page, web, pageErrors, user } = session();
    const { teamId } = user!;
    await page.goto(`${web.url}/t/${teamId}/models`);
    await page.locator('#upload-name').fill('keras cnn');
    await page.locator('#upload-files').setInputFiles(new URL(KERAS_CNN, import.meta.url).pathname);
    await page.getByRole('button', { name: 'Upload model' }).click();
    await page.getByText('Uploaded and checked with a forward pass.').waitFor({ timeout: 120_000 });

    await page.goto(`${web.url}/t/${teamId}/gallery`);
    await page.locator('#gallery-model').selectOption({ label: 'keras cnn' });
    // The .keras file names no classes: no known dataset, so the gallery can only show the box maximum.
    expect(await page.getByTestId('gallery-unconstrained').isChecked()).toBe(true);
    expect(await page.getByTestId('gallery-unconstrained').isDisabled()).toBe(true);
    const start = page.getByTestId('gallery-start');
    expect(await start.textContent()).toBe('Run all 10 classes');
    const loadBefore = loadavg()[0]!;
    const clickedAt = performance.now();
    await start.click();
    await expect
      .poll(() => page.locator('[data-testid="gallery-cell"][data-status="SUCCEEDED"] img').count(), {
        timeout: 900_000,
        interval: 500,
      })
      .toBe(10);
    await expect
      .poll(() => page.getByTestId('gallery-box-bound').count(), { timeout: 60_000, interval: 500 })
      .toBe(10);
    const seconds = (performance.now() - clickedAt) / 1000;
    const loadAfter = loadavg()[0]!;

    const ids = new URL(page.url()).searchParams.get('box')!.split(',');
    expect(ids).toHaveLength(10);
    const cells = page.getByTestId('gallery-cell');
    expect(await cells.count()).toBe(10);
    // The model, imported here from the fixture file: the answers' logits computed apart from the server.
    const { model } = await importModel(new URL(KERAS_CNN, import.meta.url).pathname);
    const classifiedAs: number[] = [];
    for (const [index, id] of ids.entries()) {
      const cell = cells.nth(index);
      expect(await cell.locator('strong').textContent()).toBe(`output ${index}`);
      const text = (await cell.getByTestId('gallery-box-value').textContent()) ?? '';
      const value = Number(text.match(/^box max (\S+)/)?.[1]);
      const bound = Number(text.match(/≤ (\S+) \(box bound\)/)?.[1]);
      const run = await runFromApi(page, id);
      // The cell is this class's run, its figures are the API's, and the certificate bounds the value.
      expect(run.spec.objective).toEqual({ kind: 'logit', index });
      expect(run.spec.prior).toBe('NONE');
      expect(run.certificate).toMatchObject({ status: 'DONE', region: 'BOX' });
      expect(value).toBe(shown(run.value));
      expect(bound).toBe(shown(run.certificate!.upperBound!));
      expect(run.certificate!.upperBound!).toBeGreaterThanOrEqual(run.value);
      const [own] = await evaluateObjective(model, { kind: 'logit', index }, [run.bestInput]);
      expect(Math.abs(own!.value - run.value)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(run.value)));
      // Raising one logit need not make it the largest (Shirt's maximum can score higher still as T-shirt):
      // recorded, not asserted.
      classifiedAs.push(run.outputs.indexOf(Math.max(...run.outputs)));
    }
    // What the wall time was and how the answers are classified (never asserted: the machine is shared).
    writeArtifactJson('cnn-gallery.json', { seconds, loadBefore, loadAfter, classifiedAs });
    await page.screenshot({ path: artifactPath('cnn-gallery.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 1_200_000);
});
