import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations, useTheme } from './axe.js';
import { callApi, signUp, useServerAndBrowser } from './server.js';

// Every page of the app, with records in it, in light and dark: no critical or serious axe finding.
describe('accessibility (axe-core) of every page', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  let page: Page;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // axe is injected as an inline script, which the app's Content-Security-Policy rightly refuses.
    page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    await signUp(page, e2e.url, {
      name: 'Ally Access',
      email: 'ally@a11y.example',
      password: 'access-access-12',
      organization: 'Access Co',
    });
    const company = await callApi<{ id: string }>(page, 'POST', '/companies', { name: 'Acme' });
    const contact = await callApi<{ id: string }>(page, 'POST', '/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@acme.example',
      companyId: company.id,
    });
    // With people and a line item, so the deal page's cards are checked with content in them.
    const deal = await callApi<{ id: string }>(page, 'POST', '/deals', {
      name: 'Acme renewal',
      companyId: company.id,
      contactId: contact.id,
      contacts: [{ contactId: contact.id, role: 'Champion' }],
      lineItems: [{ name: 'Support plan', quantity: 2, unitPrice: 60_000, discountPercent: 10 }],
    });
    const lead = await callApi<{ id: string }>(page, 'POST', '/leads', {
      firstName: 'Lee',
      email: 'lee@lead.example',
    });
    const ticket = await callApi<{ id: string }>(page, 'POST', '/tickets', {
      subject: 'Cannot log in',
      contactId: contact.id,
    });
    Object.assign(ids, {
      company: company.id,
      contact: contact.id,
      deal: deal.id,
      lead: lead.id,
      ticket: ticket.id,
    });
  }, 120_000);

  // Sales settings with something in them: a web form (its editor, preview and snippet), a rule, a product.
  beforeAll(async () => {
    const form = await callApi<{ id: string }>(page, 'POST', '/forms', {
      name: 'Contact us',
      fields: [
        { name: 'email', label: 'Email', leadField: 'email', required: true },
        { name: 'notes', label: 'Message', leadField: 'notes' },
      ],
    });
    const me = await callApi<{ user: { id: string } }>(page, 'GET', '/auth/me');
    await callApi(page, 'POST', '/lead-assignment-rules', {
      name: 'Web leads',
      conditions: [{ field: 'source', op: 'equals', value: 'web form' }],
      strategy: 'user',
      userId: me.user.id,
    });
    const seat = await callApi<{ id: string }>(page, 'POST', '/products', {
      name: 'Seat',
      unitPrice: 1250,
      currency: 'USD',
    });
    await callApi(page, 'POST', '/price-lists', {
      name: 'Partners',
      currency: 'USD',
      isDefault: true,
      entries: [{ productId: seat.id, unitPrice: 990 }],
    });
    ids.form = form.id;
  }, 60_000);

  const ROUTES: Array<[string, (ids: Record<string, string>) => string]> = [
    ['home', () => '/'],
    ['contacts', () => '/contacts'],
    ['contact', (i) => `/contacts/${i.contact}`],
    ['companies', () => '/companies'],
    ['company', (i) => `/companies/${i.company}`],
    ['leads', () => '/leads'],
    ['leads grouped by status', () => '/leads?group=status'],
    ['lead', (i) => `/leads/${i.lead}`],
    ['deals board', () => '/deals'],
    ['deals list', () => '/deals/list'],
    ['deal', (i) => `/deals/${i.deal}`],
    ['sales dashboard', () => '/sales'],
    ['tickets', () => '/tickets'],
    ['ticket', (i) => `/tickets/${i.ticket}`],
    ['notes', () => '/notes'],
    ['workflows', () => '/workflows'],
    ['trash', () => '/trash'],
    ['duplicates', () => '/duplicates'],
    ['import', () => '/contacts/import'],
    ['settings: profile', () => '/settings/profile'],
    ['settings: users', () => '/settings/users'],
    ['settings: roles', () => '/settings/roles'],
    ['settings: teams', () => '/settings/teams'],
    ['settings: API keys', () => '/settings/api-keys'],
    ['settings: webhooks', () => '/settings/webhooks'],
    ['settings: audit', () => '/settings/audit'],
    ['settings: mailbox', () => '/settings/mailbox'],
    ['settings: jobs', () => '/settings/jobs'],
    ['settings: web forms', () => '/settings/forms'],
    ['settings: web form', (i) => `/settings/forms/${i.form}`],
    ['settings: new web form', () => '/settings/forms/new'],
    ['settings: assignment rules', () => '/settings/assignment-rules'],
    ['settings: products', () => '/settings/products'],
    ['settings: price lists', () => '/settings/price-lists'],
    ['settings: currencies', () => '/settings/currencies'],
    ['settings: pipelines', () => '/settings/pipelines'],
    ['settings: quotas', () => '/settings/quotas'],
    ['settings: objects', () => '/settings/objects'],
    ['not found', () => '/no-such-page/at-all'],
  ];

  // One visit per page checks both themes: switching is the same class toggle as the theme button,
  // so the dark check needs no second load of the page and its data.
  it.each(ROUTES)('%s has no critical or serious violations, light or dark', async (_n, path) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${e2e.url}${path(ids)}`);
    await page.getByTestId('app-shell').waitFor();
    // Wait for the page's data: skeletons gone and the network quiet.
    await page.waitForLoadState('networkidle');
    await expect
      .poll(async () => page.locator('[aria-busy="true"]').count(), { timeout: 10_000 })
      .toBe(0);
    const light = describeViolations(await seriousViolations(page));
    await useTheme(page, 'dark');
    const dark = describeViolations(await seriousViolations(page));
    expect({ light, dark }).toEqual({ light: [], dark: [] });
  });

  it('offers a skip link to the main content and names its landmarks', async () => {
    await page.goto(`${e2e.url}/contacts`);
    await page.getByTestId('app-shell').waitFor();
    await page.keyboard.press('Tab');
    const focused = () =>
      page.evaluate(() => {
        const { document } = globalThis as unknown as {
          document: { activeElement: { textContent: string | null } | null };
        };
        return document.activeElement?.textContent ?? '';
      });
    await expect.poll(focused).toMatch(/skip to (main )?content/i);
    await page.keyboard.press('Enter');
    expect(page.url()).toContain('#main');
    expect(await page.locator('main').count()).toBe(1);
    expect(await page.getByRole('navigation').count()).toBeGreaterThan(0);
  });
});
