import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const POLL = { timeout: 15_000 };

interface Deal {
  id: string;
  name: string;
  amount: number;
  stageId: string;
  companyId: string | null;
  leadId: string | null;
}

/** Nothing wider than the screen: a phone user never scrolls the whole page sideways. */
const pageOverflow = (page: Page) =>
  page.evaluate(() => {
    const { document, innerWidth } = globalThis as unknown as {
      document: { scrollingElement: { scrollWidth: number } | null };
      innerWidth: number;
    };
    return (document.scrollingElement?.scrollWidth ?? 0) - innerWidth;
  });

/** The sidebar is a drawer on a phone: open it, pick the page, and it gets out of the way. */
async function goTo(page: Page, nav: string) {
  await page.getByRole('button', { name: 'Open menu' }).click();
  await page.getByTestId(`nav-${nav}`).click();
  await expect.poll(() => page.getByTestId(`nav-${nav}`).isVisible(), POLL).toBe(false);
}

// Issue 13: a person's day on a phone (390 × 844): a company, a lead converted with a deal, the
// deal fixed and moved on — all by tapping, in the app, with no sideways scrolling of the page.
describe('a sales rep on a phone', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  let page: Page;

  beforeAll(async () => {
    page = await e2e.browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await signUp(page, e2e.url, {
      name: 'Phoebe Phone',
      email: 'phoebe@phone.example',
      password: 'phone-phone-phone-1',
      organization: 'Pocket Co',
    });
  }, 120_000);

  it('opens the menu as a drawer that Escape and a tap beside it dismiss', async () => {
    const companies = page.getByTestId('nav-companies');
    expect(await companies.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Open menu' }).click();
    await companies.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await companies.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Open menu' }).click();
    await companies.waitFor({ state: 'visible' });
    await page.screenshot({ path: 'test-results/e2e-phone-menu.png' });
    await page.getByTestId('close-menu').click({ position: { x: 360, y: 400 } });
    await companies.waitFor({ state: 'hidden' });
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
  });

  it('creates a company and a lead, converts it with a deal, edits the deal and moves its stage', async () => {
    await goTo(page, 'companies');
    await page.getByTestId('new-record-empty').click();
    await page.locator('#new-company-name').fill('Pocket Analytics');
    await page.locator('#new-company-domain').fill('pocket-analytics.example');
    await page.getByTestId('create-submit').click();
    await page.getByTestId('company-record').waitFor(POLL);
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);

    await goTo(page, 'leads');
    await page.getByTestId('new-record-empty').click();
    await page.locator('#new-lead-firstName').fill('Priya');
    await page.locator('#new-lead-lastName').fill('Shah');
    await page.locator('#new-lead-email').fill('priya@pocket-analytics.example');
    await page.getByTestId('create-submit').click();
    await page.getByTestId('convert-lead').waitFor(POLL);
    const leadId = new URL(page.url()).pathname.split('/').pop() ?? '';
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);

    // The dialog finds the company by the email's domain and opens a deal with it.
    await page.getByTestId('convert-lead').click();
    await page.getByTestId('convert-form').waitFor();
    expect(await page.getByTestId('convert-company-summary').textContent()).toContain(
      'Pocket Analytics',
    );
    await page.getByTestId('convert-amount').fill('4800');
    await page.screenshot({ path: 'test-results/e2e-phone-convert.png' });
    await page.getByTestId('convert-submit').click();
    await page.waitForURL(/\/deals\/[0-9a-f-]{36}$/, POLL);
    const dealId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const read = () => callApi<Deal>(page, 'GET', `/deals/${dealId}`);
    const made = await read();
    expect(made.leadId).toBe(leadId);
    expect(made.amount).toBe(480_000);
    const company = await callApi<{ data: Array<{ id: string }> }>(
      page,
      'GET',
      '/companies?filter[domain]=pocket-analytics.example',
    );
    expect(made.companyId).toBe(company.data[0]?.id);

    // Fixed in place on the deal page, then moved to the next stage from its stage bar.
    await page.getByRole('button', { name: 'Edit Amount' }).click();
    await page.getByLabel('Amount').fill('5200');
    await page.getByLabel('Amount').press('Enter');
    await expect.poll(async () => (await read()).amount, POLL).toBe(520_000);
    const stages = page.getByRole('navigation', { name: 'Stages' }).getByRole('button');
    const next = stages.nth(1);
    const nextName = (await next.textContent()) ?? '';
    await next.click();
    await expect
      .poll(
        async () =>
          (await callApi<{ stage: { name: string } }>(page, 'GET', `/deals/${dealId}`)).stage.name,
        POLL,
      )
      .toBe(nextName);
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'test-results/e2e-phone-deal.png', fullPage: true });

    // The board has it in that stage's column.
    await goTo(page, 'deals');
    const column = page.getByRole('list', { name: `${nextName} deals` });
    await column.getByRole('link', { name: made.name }).waitFor(POLL);
    await page.screenshot({ path: 'test-results/e2e-phone-board.png' });
  });
});
