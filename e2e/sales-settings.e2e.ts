import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const POLL = { timeout: 15_000 };
const SHOTS = process.env.E2E_SHOTS_DIR ?? 'test-results';
const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${SHOTS}/e2e-sales-settings-${name}.png`, fullPage: true });

interface Lead {
  id: string;
  email: string | null;
  ownerId: string | null;
  source: string | null;
}
interface Rule {
  id: string;
  name: string;
}

/** Invites a sales rep, accepts the invitation from the dev mailbox, answers the rep's user id. */
async function addRep(page: Page, url: string, email: string, password: string): Promise<string> {
  const roles = await callApi<{ data: Array<{ id: string; key: string }> }>(page, 'GET', '/roles');
  const rep = roles.data.find((r) => r.key === 'sales_rep');
  await callApi(page, 'POST', '/users/invitations', { email, roleId: rep?.id });
  const mail = await callApi<{ data: Array<{ id: string; to: string }> }>(page, 'GET', '/mailbox');
  const id = mail.data.find((m) => m.to === email)?.id ?? '';
  const full = await callApi<{ text?: string; html?: string | null }>(
    page,
    'GET',
    `/mailbox/${id}`,
  );
  const token = /token=([\w-]+)/.exec(`${full.text ?? ''} ${full.html ?? ''}`)?.[1] ?? '';
  const res = await fetch(`${url}/api/v1/invitations/accept`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token, name: 'Rita Rep', password }),
  });
  expect(res.status).toBe(201);
  const users = await callApi<{ data: Array<{ id: string; email: string }> }>(
    page,
    'GET',
    '/users',
  );
  return users.data.find((u) => u.email === email)?.id ?? '';
}

async function logIn(browser: Browser, url: string, email: string, password: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${url}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-shell').waitFor();
  return page;
}

describe('sales settings: web forms, assignment rules, products', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  let page: Page;
  let rita = '';
  const RITA = { email: 'rita@forms.example', password: 'rita-rep-rita-rep-1' };

  beforeAll(async () => {
    const context = await e2e.browser.newContext({
      viewport: { width: 1400, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    page = await context.newPage();
    await signUp(page, e2e.url, {
      name: 'Fran Forms',
      email: 'fran@forms.example',
      password: 'forms-forms-forms-1',
      organization: 'Forms Co',
    });
    rita = await addRep(page, e2e.url, RITA.email, RITA.password);
  }, 120_000);

  it('assigns leads of a new web form through a rule, and reorders rules', async () => {
    // A rule first: web form leads go to Rita. Without it they would wait unassigned.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-assignment-rules').click();
    await page.getByTestId('empty-state').getByText('No assignment rules yet').waitFor();
    await page.getByTestId('rule-new').click();
    await page.getByTestId('rule-submit').click();
    await page.locator('#rule-name-error').getByText('is required').waitFor();
    await page.locator('#rule-user-error').getByText('pick the person').waitFor();
    await page.getByTestId('rule-name').fill('Web leads to Rita');
    await page.getByTestId('rule-condition-add').click();
    await page.getByTestId('rule-condition-value').fill('web form');
    await page.getByTestId('rule-user').click();
    await page.getByPlaceholder('Search…').fill('rita');
    await page.getByTestId('picker-option').filter({ hasText: 'Rita Rep' }).click();
    await expect(page.getByTestId('rule-user').textContent()).resolves.toContain('Rita Rep');
    await shot(page, 'rule-dialog');
    await page.getByTestId('rule-submit').click();
    await page.getByTestId('rule-row').filter({ hasText: 'Web leads to Rita' }).waitFor();
    await expect(page.getByTestId('rule-target').first().textContent()).resolves.toBe('Rita Rep');

    // A second rule, then moved above the first: the order is the positions on the server.
    await callApi(page, 'POST', '/lead-assignment-rules', {
      name: 'Partners',
      conditions: [{ field: 'source', op: 'equals', value: 'partner' }],
      strategy: 'user',
      userId: rita,
    });
    await page.reload();
    await page.getByRole('button', { name: 'Move Partners up' }).click();
    await expect
      .poll(
        async () =>
          (await callApi<{ data: Rule[] }>(page, 'GET', '/lead-assignment-rules')).data.map(
            (r) => r.name,
          ),
        POLL,
      )
      .toEqual(['Partners', 'Web leads to Rita']);
    await expect
      .poll(() => page.getByTestId('rule-row').first().textContent(), POLL)
      .toContain('Partners');
    await shot(page, 'rules');

    // The form: two fields, saved, then its snippet.
    await page.getByTestId('settings-forms').click();
    await page.getByTestId('empty-state').getByText('No web forms yet').waitFor();
    await shot(page, 'forms-empty');
    await page.getByTestId('form-new').click();
    await page.getByTestId('preview-blocked').getByText('Save the form').waitFor();
    await page.getByTestId('form-save').click();
    await page.locator('#form-name-error').getByText('is required').waitFor();
    await page.getByTestId('form-name').fill('Contact us');
    await page.getByTestId('form-field-label').first().fill('Your first name');
    await expect(page.getByTestId('form-field-row').count()).resolves.toBe(2);
    await page.getByTestId('form-preview').getByText('Your first name *').waitFor();
    await page.getByTestId('form-save').click();
    await page.waitForURL(/\/settings\/forms\/[0-9a-f-]{36}$/);
    const formId = page.url().split('/').pop() ?? '';
    const snippet = page.getByTestId('form-embed-html');
    await expect
      .poll(() => snippet.textContent(), POLL)
      .toContain(`/api/v1/forms/${formId}/submit`);
    await page.getByTestId('form-embed-copy').click();
    await expect
      .poll(() => page.evaluate<string>('navigator.clipboard.readText()'), POLL)
      .toContain('<form action=');
    await shot(page, 'form-editor');

    // The preview posts to the public endpoint: the server's problems land on the preview's fields.
    await page.getByTestId('preview-email').fill('not-an-email');
    await page.getByTestId('preview-submit').click();
    await page.locator('#preview-0-error').getByText('is required').waitFor();
    await page.locator('#preview-1-error').getByText('must be a valid email address').waitFor();
    await page.getByTestId('preview-firstName').fill('Vera');
    await page.getByTestId('preview-email').fill('vera@visitor.example');
    await page.getByTestId('preview-submit').click();
    await page.getByText('Lead created').waitFor();
    await shot(page, 'form-preview-sent');
    await expect
      .poll(async () => {
        const leads = await callApi<{ data: Lead[] }>(page, 'GET', '/leads?limit=200');
        return leads.data.find((l) => l.email === 'vera@visitor.example');
      }, POLL)
      .toMatchObject({ ownerId: rita, source: 'web form' });
    await page.getByRole('button', { name: 'Open leads' }).click();
    await page.waitForURL(/\/leads/);
    await page.getByTestId('record-row').filter({ hasText: 'Vera' }).waitFor();
    // The editor in dark mode, for a look at the tokens on dense controls.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${e2e.url}/settings/forms/${formId}`);
    await page.getByTestId('form-embed-html').waitFor();
    await shot(page, 'form-editor-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Deleting the form stops its URL.
    await page.goto(`${e2e.url}/settings/forms`);
    await page.getByTestId('form-row').filter({ hasText: 'Contact us' }).waitFor();
    await page.getByTestId('form-delete').click();
    await page.getByTestId('form-delete-confirm').click();
    await page.getByTestId('empty-state').getByText('No web forms yet').waitFor();
    const res = await fetch(`${e2e.url}/api/v1/forms/${formId}/submit`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ firstName: 'Late', email: 'late@visitor.example' }),
    });
    expect(res.status).toBe(404);
  });

  it('creates, searches, edits, archives and deletes a product', async () => {
    await page.goto(`${e2e.url}/settings/products`);
    await page.getByTestId('empty-state').getByText('No products yet').waitFor();
    await shot(page, 'products-empty');
    await page.getByTestId('product-new').click();
    await page.getByTestId('product-name').fill('Seat licence');
    await page.getByTestId('product-sku').fill('LIC-1');
    await page.getByTestId('product-price').fill('12.5');
    await page.getByTestId('product-currency').selectOption('EUR');
    await page.getByTestId('product-submit').click();
    const row = page.getByTestId('product-row').filter({ hasText: 'Seat licence' });
    await row.getByText('LIC-1').waitFor();
    await expect(row.textContent()).resolves.toMatch(/12[.,]50/);

    // A taken SKU is named at the SKU field (the server answers 409).
    await page.getByTestId('product-new').click();
    await page.getByTestId('product-name').fill('Other licence');
    await page.getByTestId('product-sku').fill('lic-1');
    await page.getByTestId('product-price').fill('abc');
    await page.getByTestId('product-submit').click();
    await page
      .locator('#product-price-error')
      .getByText(/must be an amount/)
      .waitFor();
    await page.getByTestId('product-price').fill('99');
    await page.getByTestId('product-submit').click();
    await page
      .locator('#product-sku-error')
      .getByText(/SKU lic-1 exists/)
      .waitFor();
    await shot(page, 'product-dialog-error');
    await page.getByTestId('product-sku').fill('SUP-1');
    await page.getByTestId('product-name').fill('Premium support');
    await page.getByTestId('product-submit').click();
    await page.getByTestId('product-row').filter({ hasText: 'Premium support' }).waitFor();

    await page.getByTestId('product-search').fill('sup-1');
    await expect.poll(() => page.getByTestId('product-row').count(), POLL).toBe(1);
    await page.getByTestId('product-search').fill('');

    await row.getByTestId('product-edit').click();
    await page.getByTestId('product-price').fill('15');
    await page.getByTestId('product-submit').click();
    await expect.poll(() => row.textContent(), POLL).toMatch(/15[.,]00/);
    const products = await callApi<{ data: Array<{ name: string; unitPrice: number }> }>(
      page,
      'GET',
      '/products',
    );
    expect(products.data.find((p) => p.name === 'Seat licence')?.unitPrice).toBe(1500);
    await shot(page, 'products');
    // The theme follows the system's scheme when the app loads.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await row.waitFor();
    await shot(page, 'products-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.reload();
    await row.waitFor();

    await row.getByTestId('product-archive').click();
    await expect.poll(() => row.count(), POLL).toBe(0);
    await page.getByText('Show archived (1)').click();
    await row.getByText('Archived').waitFor();
    await row.getByTestId('product-delete').click();
    await page.getByTestId('product-delete-confirm').click();
    await expect.poll(() => row.count(), POLL).toBe(0);
    const left = await callApi<{ data: Array<{ name: string }> }>(page, 'GET', '/products');
    expect(left.data.map((p) => p.name)).toEqual(['Premium support']);
  });

  it('hides the pages from a sales rep and refuses them when opened by URL', async () => {
    const rep = await logIn(e2e.browser, e2e.url, RITA.email, RITA.password);
    await rep.goto(`${e2e.url}/settings/profile`);
    await rep.getByTestId('settings-profile').waitFor();
    for (const entry of ['forms', 'assignment-rules', 'products'])
      await expect(rep.getByTestId(`settings-${entry}`).count()).resolves.toBe(0);
    await rep.goto(`${e2e.url}/settings/forms`);
    await rep.getByTestId('forbidden').getByText('You cannot open this page').waitFor();
    await shot(rep, 'forbidden');
    await rep.goto(`${e2e.url}/settings/assignment-rules`);
    await rep.getByTestId('forbidden').waitFor();
    // Reps read the catalogue (deals need it) but may not change it: no New, Edit or Delete.
    await rep.goto(`${e2e.url}/settings/products`);
    await rep.getByTestId('product-row').filter({ hasText: 'Premium support' }).waitFor();
    await expect(rep.getByTestId('product-new').count()).resolves.toBe(0);
    await expect(rep.getByTestId('product-edit').count()).resolves.toBe(0);
    await rep.close();
  });
});
