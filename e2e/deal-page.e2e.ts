import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const SHOTS = process.env.E2E_SHOTS_DIR ?? 'test-results';
/** UI reads retry until they match: long enough for a busy machine. */
const POLL = { timeout: 15_000 };

interface Deal {
  id: string;
  amount: number;
  expectedCloseDate: string | null;
  contacts: Array<{ contactId: string; role: string | null }>;
  lineItems: Array<{ productId: string | null; quantity: number; total: number }>;
  stage: { name: string };
}

const fieldValue = (page: Page, label: string) =>
  page
    .getByRole('button', { name: `Edit ${label}` })
    .getByTestId('field-value')
    .textContent();

// Issue 13, item 3: a deal made from a lead ("$0, no close date") is fixed and worked on its page.
describe('the deal page in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  let page: Page;
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    page = await e2e.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Dana Deal',
      email: 'dana@deals.example',
      password: 'deal-page-deal-1',
      organization: 'Deal Co',
    });
  }, 120_000);

  it('edits fields, people, line items, logs a note and moves the stage', async () => {
    const company = await callApi<{ id: string }>(page, 'POST', '/companies', { name: 'Acme' });
    const ada = await callApi<{ id: string }>(page, 'POST', '/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      companyId: company.id,
    });
    const grace = await callApi<{ id: string }>(page, 'POST', '/contacts', {
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    const product = await callApi<{ id: string }>(page, 'POST', '/products', {
      name: 'Seat licence',
      sku: 'SEAT-1',
      unitPrice: 12_000,
      currency: 'USD',
    });
    const deal = await callApi<Deal>(page, 'POST', '/deals', {
      name: 'Acme rollout',
      companyId: company.id,
      contactId: ada.id,
    });
    const read = () => callApi<Deal>(page, 'GET', `/deals/${deal.id}`);
    await page.goto(`${e2e.url}/deals/${deal.id}`);

    // The header names the company and the primary contact, each a link.
    const links = page.getByTestId('deal-links');
    await links.getByRole('link', { name: 'Acme' }).waitFor(POLL);
    await links.getByRole('link', { name: 'Ada Lovelace' }).waitFor(POLL);

    // Amount and close date, edited in place.
    await page.getByRole('button', { name: 'Edit Amount' }).click();
    await page.getByLabel('Amount').fill('2500');
    await page.getByLabel('Amount').press('Enter');
    await expect.poll(async () => (await read()).amount, POLL).toBe(250_000);
    await expect.poll(() => fieldValue(page, 'Amount'), POLL).toContain('2,500');
    await page.getByRole('button', { name: 'Edit Expected close date' }).click();
    await page.getByLabel('Expected close date').fill('2031-03-31');
    await page.getByLabel('Expected close date').press('Enter');
    await expect.poll(async () => (await read()).expectedCloseDate, POLL).toBe('2031-03-31');
    await expect.poll(() => fieldValue(page, 'Expected close date'), POLL).toContain('2031');

    // A second person, found by name, with a role from the suggestions.
    const people = page.getByTestId('deal-people');
    await people.getByRole('button', { name: 'Add contact' }).click();
    await people.getByLabel('Find a contact to add to the deal').fill('Grace');
    await people.getByRole('option', { name: /Grace Hopper/ }).click();
    await people.getByRole('link', { name: 'Grace Hopper' }).waitFor(POLL);
    await people.getByLabel('Role of Grace Hopper').fill('Decision maker');
    await people.getByLabel('Role of Grace Hopper').press('Enter');
    await expect
      .poll(async () => (await read()).contacts, POLL)
      .toEqual([{ contactId: grace.id, role: 'Decision maker' }]);

    // A product line: priced by the catalog, the amount becomes the lines' sum.
    await page.getByRole('button', { name: 'Add product' }).click();
    await page.getByLabel('Find a product to add').fill('seat');
    await page.getByRole('option', { name: /Seat licence/ }).click();
    await page.getByTestId('line-item').first().waitFor(POLL);
    await page.getByLabel('Quantity of Seat licence').fill('3');
    await page.getByLabel('Quantity of Seat licence').press('Enter');
    const total = page.getByTestId('line-items-total');
    await expect.poll(() => total.textContent(), POLL).toBe('$360.00');
    await page.getByTestId('deal-amount-rule').getByText('sum of these lines').waitFor();
    expect((await read()).lineItems).toEqual([
      expect.objectContaining({ productId: product.id, quantity: 3, total: 36_000 }),
    ]);
    expect((await read()).amount).toBe(36_000);
    // The amount is the lines' now: it is no longer typed by hand in Details.
    expect(await page.getByRole('button', { name: 'Edit Amount' }).count()).toBe(0);

    // A note in the timeline.
    await page.locator('#act-subject').fill('Legal wants the DPA');
    await page.getByTestId('log-activity').click();
    await page.getByTestId('activities-list').getByText('Legal wants the DPA').waitFor(POLL);

    // A move to the next stage shows in the stage history, with who moved it.
    await page
      .getByRole('navigation', { name: 'Stages' })
      .getByRole('button', { name: 'Discovery' })
      .click();
    const history = page.getByTestId('stage-history');
    await expect
      .poll(() => history.getByTestId('stage-stay').first().textContent(), POLL)
      .toMatch(/Qualification → Discovery.*by Dana Deal \(you\)/);
    expect((await read()).stage.name).toBe('Discovery');
    await page.screenshot({ path: `${SHOTS}/deal-page.png`, fullPage: true });

    // The history tab names the note and the changes.
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByTestId('timeline').getByText('Legal wants the DPA').waitFor(POLL);

    // Dark mode follows the system until the user picks one: applied on load.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await page.getByTestId('stage-stay').first().waitFor(POLL);
    await page.screenshot({ path: `${SHOTS}/deal-page-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('logs a call on a lead and sees it on its timeline', async () => {
    const lead = await callApi<{ id: string }>(page, 'POST', '/leads', {
      firstName: 'Lee',
      lastName: 'Prospect',
      email: 'lee@prospect.example',
    });
    await page.goto(`${e2e.url}/leads/${lead.id}`);
    await page.getByTestId('lead-record').waitFor(POLL);
    await page.locator('#act-type').selectOption('call');
    await page.locator('#act-subject').fill('Intro call booked a demo');
    await page.getByTestId('log-activity').click();
    await page.getByTestId('activities-list').getByText('Intro call booked a demo').waitFor(POLL);
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByTestId('timeline').getByText('Intro call booked a demo').waitFor(POLL);
    await page.screenshot({ path: `${SHOTS}/lead-timeline.png`, fullPage: true });
    const timeline = await callApi<{ data: Array<{ kind: string; data: { type?: string } }> }>(
      page,
      'GET',
      `/leads/${lead.id}/timeline`,
    );
    expect(timeline.data.filter((e) => e.kind === 'activity').map((e) => e.data.type)).toEqual([
      'call',
    ]);
  });
});
