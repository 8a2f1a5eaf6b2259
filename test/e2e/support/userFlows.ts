import type { Page } from 'playwright-core';
import { expect } from 'vitest';

let users = 0;

/** Signs up through the form; resolves with the email and the team id the dashboard lands on. */
export async function signUpInBrowser(
  page: Page,
  baseUrl: string,
  name: string,
): Promise<{ email: string; teamId: string }> {
  const email = `${name.toLowerCase()}-${++users}-${Date.now()}@example.com`;
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/t\/[^/]+\/runs$/, { timeout: 30_000 });
  const teamId = new URL(page.url()).pathname.split('/')[2];
  expect(teamId).toBeTruthy();
  return { email, teamId: teamId! };
}

/** Collects uncaught page errors so a test can assert the UI never crashed. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** A GraphQL query's data, asked from the page with the signed-in user's own session (its cookie). */
export async function queryFromPage<T>(
  page: Page,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const data: unknown = await page.evaluate(
    async (request) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      return (await response.json()).data;
    },
    { query, variables },
  );
  return data as T;
}
