import type { Page } from 'playwright-core';
import { installLiveImageProbe } from './liveImageProbe.ts';

/**
 * Opens the new-run form from the nav, picks a class by its label, step counts (left empty: the time
 * budget chooses them), (optionally) the certificate's time limit and the prior, lets `fillMore` set
 * any other fields, and clicks Start; resolves with the new run's id once its page is open.
 */
export async function startRunFromForm(
  page: Page,
  options: {
    className: string;
    steps?: number;
    restarts?: number;
    certifySeconds?: number;
    prior?: 'NONE' | 'FASHION_MNIST' | 'MNIST';
    fillMore?: () => Promise<void>;
  },
): Promise<string> {
  await page.getByRole('link', { name: 'New run' }).first().click();
  await page.locator('#target-index').selectOption({ label: options.className });
  if (options.steps !== undefined) await page.locator('#steps').fill(String(options.steps));
  if (options.restarts !== undefined) await page.locator('#restarts').fill(String(options.restarts));
  if (options.certifySeconds !== undefined)
    await page.locator('#certify-seconds').fill(String(options.certifySeconds));
  if (options.prior !== undefined) await page.locator('#prior').selectOption(options.prior);
  await options.fillMore?.();
  await installLiveImageProbe(page);
  await page.getByTestId('start-run').click();
  await page.waitForURL(/\/runs\/[^/]+$/, { timeout: 30_000 });
  return new URL(page.url()).pathname.split('/')[2]!;
}
