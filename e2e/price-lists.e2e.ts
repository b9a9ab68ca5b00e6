import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from './axe.js';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const SHOTS = process.env.E2E_SHOTS_DIR ?? 'test-results';
/** UI reads retry until they match: long enough for a busy machine. */
const POLL = { timeout: 15_000 };

interface PriceList {
  id: string;
  name: string;
  isDefault: boolean;
  entries: Array<{ productId: string; unitPrice: number }>;
}
interface Deal {
  id: string;
  amount: number;
  lineItems: Array<{ productId: string | null; unitPrice: number }>;
}

const lists = async (page: Page) =>
  (await callApi<{ data: PriceList[] }>(page, 'GET', '/price-lists')).data;

// Issue 13, item 4: a default USD price list gives one product a special price on USD deals.
describe('price lists in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  let page: Page;
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    // axe is injected as an inline script, which the app's Content-Security-Policy rightly refuses.
    page = await e2e.browser.newPage({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
    await signUp(page, e2e.url, {
      name: 'Pia Price',
      email: 'pia@prices.example',
      password: 'price-lists-12',
      organization: 'Price Co',
    });
  }, 120_000);

  it('creates a default list, prices a deal line from it, edits and deletes the list', async () => {
    const seat = await callApi<{ id: string }>(page, 'POST', '/products', {
      name: 'Seat licence',
      unitPrice: 12_000,
      currency: 'USD',
    });
    await callApi(page, 'POST', '/products', {
      name: 'Onboarding',
      unitPrice: 50_000,
      currency: 'USD',
    });
    const legacy = await callApi<{ id: string }>(page, 'POST', '/products', {
      name: 'Legacy kit',
      unitPrice: 1_000,
      currency: 'USD',
    });

    await page.goto(`${e2e.url}/settings/price-lists`);
    await page.getByTestId('empty-state').getByText('No price lists yet').waitFor(POLL);
    await page.screenshot({ path: `${SHOTS}/price-lists-empty.png`, fullPage: true });

    // A price that is no amount is named on its row; the list is only saved once it is fixed.
    await page.getByTestId('price-list-new').click();
    await page.getByTestId('price-list-name').fill('Partners');
    await page.getByTestId('price-list-currency').selectOption('USD');
    await page.getByTestId('price-list-default').check();
    await page.getByTestId('price-list-add-entry').click();
    await page.getByLabel('Product 1').selectOption({ label: 'Seat licence ($120.00)' });
    await page.getByLabel('Price (USD)').fill('cheap');
    await page.getByTestId('price-list-submit').click();
    await page.getByText('must be an amount in USD').waitFor(POLL);
    // The dialog, with a row error in it, is what a11y.e2e's page walk does not open.
    expect(describeViolations(await seriousViolations(page))).toEqual([]);
    await page.getByLabel('Price (USD)').fill('99.5');
    await page.screenshot({ path: `${SHOTS}/price-lists-dialog.png` });
    await page.getByTestId('price-list-submit').click();
    const row = page.getByTestId('price-list-row');
    await row.getByText('Partners').waitFor(POLL);
    await row.getByText('Default').waitFor();
    await row.getByText('1 product').waitFor();
    expect(await lists(page)).toEqual([
      expect.objectContaining({
        name: 'Partners',
        isDefault: true,
        entries: [{ productId: seat.id, unitPrice: 9_950 }],
      }),
    ]);
    await page.screenshot({ path: `${SHOTS}/price-lists-list.png`, fullPage: true });

    // On a USD deal the picker shows the list's price, and the line gets it.
    const deal = await callApi<Deal>(page, 'POST', '/deals', { name: 'Acme', currency: 'USD' });
    await page.goto(`${e2e.url}/deals/${deal.id}`);
    await page.getByRole('button', { name: 'Add product' }).click();
    await page.getByLabel('Find a product to add').fill('seat');
    const option = page.getByRole('option', { name: /Seat licence/ });
    await expect.poll(() => option.textContent(), POLL).toContain('$99.50');
    expect(await option.textContent()).toContain('Partners');
    await page.getByLabel('Find a product to add').fill('onboard');
    await expect
      .poll(() => page.getByRole('option', { name: /Onboarding/ }).textContent(), POLL)
      .toContain('$500.00');
    await page.getByLabel('Find a product to add').fill('seat');
    await page.screenshot({ path: `${SHOTS}/price-lists-picker.png` });
    await option.click();
    await expect
      .poll(() => page.getByTestId('line-items-total').textContent(), POLL)
      .toBe('$99.50');
    expect(await page.getByLabel('Unit price of Seat licence (USD)').inputValue()).toBe('99.5');
    expect((await callApi<Deal>(page, 'GET', `/deals/${deal.id}`)).lineItems).toEqual([
      expect.objectContaining({ productId: seat.id, unitPrice: 9_950 }),
    ]);

    // Edit: a new price and name (in dark mode, which the theme takes when the page loads).
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${e2e.url}/settings/price-lists`);
    await page.getByRole('button', { name: 'Edit Partners' }).click();
    await page.getByLabel('Price (USD)').waitFor(POLL);
    expect(await page.getByLabel('Price (USD)').inputValue()).toBe('99.5');
    await page.screenshot({ path: `${SHOTS}/price-lists-edit-dark.png` });
    expect(describeViolations(await seriousViolations(page))).toEqual([]);
    await page.getByTestId('price-list-name').fill('Partners 2027');
    await page.getByLabel('Price (USD)').fill('90');
    // A product deleted while the dialog is open: the API's 422 lands on its row.
    await page.getByTestId('price-list-add-entry').click();
    await page.getByLabel('Product 2').selectOption({ label: 'Legacy kit ($10.00)' });
    await page.getByTestId('price-list-entry-price').nth(1).fill('5');
    await callApi(page, 'DELETE', `/products/${legacy.id}`);
    await page.getByTestId('price-list-submit').click();
    await page.getByRole('alert').getByText('no such product in this organization').waitFor(POLL);
    expect(await page.getByLabel('Product 2').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: `${SHOTS}/price-lists-row-error-dark.png` });
    await page.getByRole('button', { name: 'Remove price 2' }).click();
    await page.getByTestId('price-list-submit').click();
    await row.getByText('Partners 2027').waitFor(POLL);
    expect((await lists(page))[0]?.entries).toEqual([{ productId: seat.id, unitPrice: 9_000 }]);

    // Delete, after confirming.
    await page.getByRole('button', { name: 'Delete Partners 2027' }).click();
    await page.getByTestId('price-list-delete-confirm').click();
    await page.getByTestId('empty-state').waitFor(POLL);
    expect(await lists(page)).toEqual([]);
  });
});
