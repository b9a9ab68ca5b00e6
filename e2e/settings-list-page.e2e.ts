import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, useServerAndBrowser } from './server.js';

const SHOTS = process.env.E2E_SHOTS_DIR ?? 'test-results';
/** UI reads retry until they match: long enough for a busy machine. */
const POLL = { timeout: 15_000 };

// The frame every settings list shares (settings-list-page.tsx): what it does on its own.
describe('the settings list frame in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  let page: Page;
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    page = await e2e.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page, e2e.url, {
      name: 'Sam Shell',
      email: 'sam@shell.example',
      password: 'settings-shell-12',
      organization: 'Shell Co',
    });
  }, 120_000);

  it('opens the New dialog from the header, the empty state and the n key', async () => {
    await page.goto(`${e2e.url}/settings/products`);
    const empty = page.getByTestId('empty-state');
    await empty.getByText('No products yet').waitFor(POLL);
    await empty.getByRole('button', { name: 'Add your first product' }).click();
    await page.getByRole('dialog', { name: 'New product' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.keyboard.press('n');
    await page.getByRole('dialog', { name: 'New product' }).waitFor();
    await page.getByTestId('product-submit').click();
    const name = page.getByRole('dialog').getByLabel('Name');
    await expect.poll(() => name.getAttribute('aria-invalid'), POLL).toBe('true');
    expect(await name.getAttribute('aria-describedby')).toBe('product-name-error');
    expect(await page.locator('#product-name-error').textContent()).not.toBe('');
    await page.screenshot({ path: `${SHOTS}/settings-shell-row-error.png` });
    await page.keyboard.press('Escape');

    await page.getByTestId('product-new').click();
    await page.getByRole('dialog', { name: 'New product' }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('says why a list failed to load, and Try again loads it', async () => {
    let failures = 1;
    await page.route('**/api/v1/lead-assignment-rules?*', async (route) => {
      if (failures-- > 0)
        return route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({
            error: { code: 'UNAVAILABLE', message: 'The rules are resting', traceId: 't' },
          }),
        });
      return route.continue();
    });
    await page.goto(`${e2e.url}/settings/assignment-rules`);
    const problem = page.getByTestId('load-error');
    await problem.getByText('The rules are resting').waitFor(POLL);
    // No New button while there is no list to add to.
    expect(await page.getByTestId('rule-new').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/settings-shell-load-error.png` });
    await problem.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('empty-state').getByText('No assignment rules yet').waitFor(POLL);
    await page.getByTestId('rule-new').waitFor();
    await page.unroute('**/api/v1/lead-assignment-rules?*');
  });
});
