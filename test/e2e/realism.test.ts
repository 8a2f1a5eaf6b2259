import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactPath } from './support/artifacts.ts';
import { browserSuiteRuns } from './support/browser.ts';
import { useBrowserSession } from './support/browserSession.ts';
import { shown } from './support/shownFigure.ts';
import { startRunFromForm } from './support/startRunFromForm.ts';
import { queryFromPage } from './support/userFlows.ts';

const canRun = browserSuiteRuns('realism');

/** The same run as the API reports it, asked from the page with the user's own session. */
async function runFromApi(page: Page, id: string) {
  const { run } = await queryFromPage<{
    run: {
      value: number;
      spec: { prior: string };
      certificate: { region: string; upperBound: number | null } | null;
      realism: {
        realistic: boolean;
        nearest: { distance: number; image: string };
        frontier: { t: number; value: number; image: string }[] | null;
      } | null;
    };
  }>(
    page,
    'query($id: ID!) { run(id: $id) { value spec { prior } certificate { region upperBound } realism { realistic nearest { distance image } frontier { t value image } } } }',
    { id },
  );
  return run;
}

// One server with the small prior (built on the first run that asks, in this file only).
describe.runIf(canRun)('realistic answers in a real browser', () => {
  const session = useBrowserSession({ signUpAs: 'Rea', screenshotPrefix: 'realism-' });

  it('a run in the Fashion-MNIST prior shows the prior being built, then its realism beside the answer', async () => {
    const { page, pageErrors } = session();
    const runId = await startRunFromForm(page, {
      className: 'Sneaker',
      steps: 30,
      restarts: 4,
      prior: 'FASHION_MNIST',
    });
    // The prior is built once, before the run starts: its progress is on the page meanwhile.
    await page.getByTestId('prior-progress').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('prior-progress').textContent()).toMatch(/Building the prior \d+%/);
    await expect
      .poll(() => page.getByTestId('run-status').textContent(), { timeout: 300_000, interval: 500 })
      .toBe('succeeded');
    const panel = page.getByTestId('realism-panel');
    await panel.waitFor({ timeout: 30_000 });
    const run = await runFromApi(page, runId);
    expect(run.spec.prior).toBe('FASHION_MNIST');
    expect(run.realism).not.toBeNull();
    expect(await page.getByTestId('realism-nearest-image').getAttribute('src')).toBe(
      run.realism!.nearest.image,
    );
    const distance = (await page.getByTestId('realism-distance').textContent()) ?? '';
    expect(Number(distance.split(' · ')[0])).toBe(shown(run.realism!.nearest.distance));
    expect(distance).toMatch(/percentile \d+ [✓✗]/);
    expect(await page.getByTestId('realism-manifold').textContent()).toMatch(/percentile \d+ [✓✗]/);
    expect(await page.getByTestId('realism-judges').locator('li').count()).toBe(1);
    expect(await page.getByTestId('realism-verdict').textContent()).toBe(
      run.realism!.realistic ? '(all criteria met)' : '(criteria not all met)',
    );
    // Its certificate bounds the set searched in the prior, and the panel says so.
    expect(run.certificate?.region).toBe('PRIOR');
    expect(await page.getByTestId('certificate-region').textContent()).toMatch(/^Bound inside the prior/);
    expect(Number(await page.getByTestId('certificate-bound').textContent())).toBe(
      Number(run.certificate!.upperBound!.toPrecision(6)),
    );
    await panel.screenshot({ path: artifactPath('realism-panel.png') });

    // The price of realism: one point per frontier point the API gives, the answer (t = 1) ringed, and
    // each point's own image shown when it is hovered.
    const frontier = run.realism!.frontier!;
    expect(frontier.length).toBeGreaterThanOrEqual(8);
    const points = page.getByTestId('frontier-point');
    expect(await points.count()).toBe(frontier.length);
    expect(await page.locator('[data-testid="frontier-point"][data-answer="true"]').count()).toBe(1);
    for (const i of [0, frontier.length - 1]) {
      await points.nth(i).hover();
      expect(await page.getByTestId('frontier-selected').locator('img').getAttribute('src')).toBe(
        frontier[i]!.image,
      );
    }
    await page.getByTestId('frontier').screenshot({ path: artifactPath('realism-frontier.png') });
    expect(pageErrors).toEqual([]);
  }, 600_000);

  it('the gallery makes realistic prototypes by default, and the toggle adds the unconstrained maxima', async () => {
    const { page, web, pageErrors, user } = session();
    const { teamId } = user!;
    await page.goto(`${web.url}/t/${teamId}/gallery`);
    const toggle = page.getByTestId('gallery-unconstrained');
    expect(await toggle.isChecked()).toBe(false);
    await page.locator('#gallery-steps').fill('20');
    await page.getByTestId('gallery-start').click();
    const done = (selector: string) =>
      expect.poll(() => page.locator(selector).count(), { timeout: 300_000, interval: 500 }).toBe(10);
    await done('[data-testid="gallery-cell"][data-status="SUCCEEDED"] img');
    await done('[data-testid="gallery-realistic-value"]');
    const realisticIds = new URL(page.url()).searchParams.get('runs')!.split(',');
    expect(realisticIds).toHaveLength(10);

    await toggle.check();
    await page.getByTestId('gallery-start').click();
    await expect
      .poll(() => new URL(page.url()).searchParams.get('box')?.split(',').length ?? 0, { timeout: 300_000 })
      .toBe(10);
    await done('[data-testid="gallery-cell"][data-status="SUCCEEDED"] img');
    // Each cell: the box maximum with its certified bound, beside the same class's realistic value.
    await done('[data-testid="gallery-box-value"]');
    await done('[data-testid="gallery-realistic-value"]');
    const boxIds = new URL(page.url()).searchParams.get('box')!.split(',');
    const boxTexts = await page.getByTestId('gallery-box-value').allTextContents();
    const realisticTexts = await page.getByTestId('gallery-realistic-value').allTextContents();
    for (const [i, id] of boxIds.entries()) {
      const box = await runFromApi(page, id);
      const realistic = await runFromApi(page, realisticIds[i]!);
      expect(box.spec.prior).toBe('NONE');
      expect(realistic.spec.prior).toBe('FASHION_MNIST');
      expect(Number(boxTexts[i]!.match(/box max (\S+)/)![1])).toBe(shown(box.value));
      expect(Number(realisticTexts[i]!.match(/realistic (\S+)/)![1])).toBe(shown(realistic.value));
      if (box.certificate?.upperBound != null)
        expect(boxTexts[i]!.match(/≤ (\S+) \(box bound\)/)?.[1]).toBe(
          String(shown(box.certificate.upperBound)),
        );
      // The realistic prototype's bound holds inside the prior, and is said to.
      expect(realistic.certificate?.region).toBe('PRIOR');
      if (realistic.certificate?.upperBound != null)
        expect(realisticTexts[i]!.match(/≤ (\S+) \(prior bound\)/)?.[1]).toBe(
          String(shown(realistic.certificate.upperBound)),
        );
      // The box maximum is at least as high as what the prior allows (the prior searches inside the box).
      expect(box.value).toBeGreaterThan(realistic.value - 1e-6);
    }
    await page.screenshot({ path: artifactPath('gallery-realistic-and-box.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 900_000);
});
