import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './server.js';

const SHOTS = process.env.E2E_SHOTS_DIR ?? 'test-results';
/** UI reads retry until they match, since a value can show a render after its row: long enough for a busy machine. */
const POLL = { timeout: 10_000 };

/** The parts of API answers this test reads. */
interface Answer {
  id: string;
  version: number;
  title: string | null;
  firstName: string | null;
  phone: string | null;
  customFields: Record<string, unknown>;
  error: { code: string };
}

/** Calls the API from inside the page, with the session cookies and the CSRF token the app itself uses. */
async function call(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Answer }> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'cerebro_csrf')?.value ?? '';
  return page.evaluate(
    async ({ method, path, body, csrf }) => {
      const res = await fetch(`/api/v1${path}`, {
        method,
        headers: {
          'Content-Type': 'application/json',
          'X-CSRF-Token': decodeURIComponent(csrf),
          'X-Cerebro-Client': 'web',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, json: (text ? JSON.parse(text) : null) as Answer };
    },
    { method, path, body, csrf },
  );
}

async function create(page: Page, path: string, body: unknown): Promise<Answer> {
  const res = await call(page, 'POST', path, body);
  if (res.status !== 201)
    throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json;
}

describe('record pages and merging in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });

  it('edits custom fields in place, shows a company with its people, and merges duplicates with undo', async () => {
    await mkdir(SHOTS, { recursive: true });
    const page = await e2e.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    await page.goto(`${e2e.url}/signup`);
    await page.getByTestId('signup-name').fill('Rita Records');
    await page.getByTestId('signup-email').fill('rita@records.example');
    await page.getByTestId('signup-password').fill('records-all-the-way');
    await page.getByTestId('signup-organization').fill('Records Co');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('app-shell').waitFor();

    await create(page, '/custom-fields', {
      objectType: 'contact',
      key: 'seats',
      label: 'Seats',
      type: 'number',
    });
    await create(page, '/custom-fields', {
      objectType: 'contact',
      key: 'plan',
      label: 'Plan',
      type: 'select',
      options: { choices: ['Free', 'Pro', 'Enterprise'] },
    });
    await create(page, '/custom-fields', {
      objectType: 'contact',
      key: 'backupEmail',
      label: 'Backup email',
      type: 'email',
    });
    await create(page, '/custom-fields', {
      objectType: 'company',
      key: 'tier',
      label: 'Tier',
      type: 'select',
      options: { choices: ['Gold', 'Silver'] },
    });
    const acme = await create(page, '/companies', {
      name: 'Acme Analytics',
      domain: 'acme.example',
      industry: 'Software',
      size: '51-200',
      customFields: { tier: 'Gold' },
    });
    const ada = await create(page, '/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@acme.example',
      title: 'CTO',
      companyId: acme.id,
      status: 'CUSTOMER',
    });
    await create(page, '/contacts', {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@acme.example',
      title: 'Engineer',
      companyId: acme.id,
    });
    const alan = await create(page, '/contacts', {
      firstName: 'Alan',
      lastName: 'Turing',
      email: 'alan@bletchley.example',
      title: 'Mathematician',
    });
    const alanAgain = await create(page, '/contacts', {
      firstName: 'Alan M.',
      lastName: 'Turing',
      email: 'alan@bletchley.example',
      phone: '+44 20 7946 0958',
    });
    await create(page, '/activities', {
      type: 'task',
      subject: 'Send the renewal quote',
      contactId: ada.id,
      status: 'open',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });

    // The contact page: header, and a custom number field edited in place survives a reload.
    await page.goto(`${e2e.url}/contacts/${ada.id}`);
    await page.getByRole('heading', { name: /Ada Lovelace/ }).waitFor();
    await expect
      .poll(
        () =>
          page.getByTestId('contact-company').getByRole('link', { name: 'Acme Analytics' }).count(),
        POLL,
      )
      .toBe(1);
    await page.getByRole('button', { name: 'Edit Seats' }).click();
    await page.getByLabel('Seats').fill('42');
    await page.getByLabel('Seats').press('Enter');
    await expect
      .poll(
        () =>
          page.getByRole('button', { name: 'Edit Seats' }).getByTestId('field-value').textContent(),
        POLL,
      )
      .toBe('42');
    await page.getByRole('button', { name: 'Edit Plan' }).click();
    await page.getByLabel('Plan').selectOption('Pro');
    await page.getByRole('button', { name: 'Edit Plan' }).getByText('Pro').waitFor();
    await page.reload();
    await expect
      .poll(
        () =>
          page.getByRole('button', { name: 'Edit Seats' }).getByTestId('field-value').textContent(),
        POLL,
      )
      .toBe('42');
    await expect
      .poll(
        () =>
          page.getByRole('button', { name: 'Edit Plan' }).getByTestId('field-value').textContent(),
        POLL,
      )
      .toBe('Pro');
    await expect(
      call(page, 'GET', `/contacts/${ada.id}`).then((r) => r.json.customFields),
    ).resolves.toEqual({ seats: 42, plan: 'Pro' });

    // A value the API refuses shows its message beside the field and nothing is saved.
    await page.getByRole('button', { name: 'Edit Backup email' }).click();
    await page.getByLabel('Backup email').fill('not-an-email');
    await page.getByLabel('Backup email').press('Enter');
    await expect(
      page.getByRole('alert').filter({ hasText: 'Backup email' }).textContent({ timeout: 5000 }),
    ).resolves.toMatch(/Backup email .*email/i);
    await page.getByLabel('Backup email').press('Escape');
    await expect(
      call(page, 'GET', `/contacts/${ada.id}`).then((r) => r.json.customFields.backupEmail),
    ).resolves.toBeUndefined();

    // Someone else edits meanwhile: the stale save is refused (412), the page says so and shows their value.
    await call(page, 'PATCH', `/contacts/${ada.id}`, { title: 'Chief Analyst' });
    await page.getByRole('button', { name: 'Edit Title' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Countess');
    await page.getByLabel('Title', { exact: true }).press('Enter');
    await page.getByText(/Someone else changed this contact/).waitFor();
    await expect(call(page, 'GET', `/contacts/${ada.id}`).then((r) => r.json.title)).resolves.toBe(
      'Chief Analyst',
    );
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(
        () =>
          page.getByRole('button', { name: 'Edit Title' }).getByTestId('field-value').textContent(),
        POLL,
      )
      .toBe('Chief Analyst');

    // The open task is listed first; a note logged from the composer joins the list.
    await expect
      .poll(() => page.getByTestId('activity-item').first().textContent(), POLL)
      .toContain('Send the renewal quote');
    await page.getByLabel('Subject').fill('Intro call went well');
    await page.getByTestId('log-activity').click();
    await page.getByTestId('activities-list').getByText('Intro call went well').waitFor();
    await expect.poll(() => page.getByTestId('activity-item').count(), POLL).toBe(2);
    await page.screenshot({ path: `${SHOTS}/contact-page.png`, fullPage: true });

    // The company page, reached from the companies list, lists its people.
    await page.getByTestId('nav-companies').click();
    await page.getByRole('table').getByRole('link', { name: 'Acme Analytics' }).click();
    await page.getByTestId('company-record').waitFor();
    await expect
      .poll(
        () => page.getByTestId('related-contact-companyId').getByRole('link').allTextContents(),
        POLL,
      )
      .toEqual(['Grace Hopper', 'Ada Lovelace']);
    await expect
      .poll(
        () =>
          page
            .getByTestId('company-custom-fields')
            .getByRole('button', { name: 'Edit Tier' })
            .getByTestId('field-value')
            .textContent(),
        POLL,
      )
      .toBe('Gold');
    await page.screenshot({ path: `${SHOTS}/company-page.png`, fullPage: true });

    // Duplicates: merge the two Alans, keeping the second record but the first one's first name
    // (the API's default would keep the survivor's); its empty title is filled from the other.
    await page.getByTestId('nav-duplicates').click();
    await page
      .getByTestId('duplicate-groups')
      .getByText('alan@bletchley.example', { exact: true })
      .waitFor();
    await page.getByTestId('merge-group').first().click();
    await page.getByTestId('merge-dialog').waitFor();
    await page.getByLabel('Keep Alan M. Turing').check();
    await page.getByLabel('First name from Alan Turing').check();
    await page.screenshot({ path: `${SHOTS}/merge-dialog.png` });
    await page.getByTestId('merge-confirm').click();
    await page.getByText('Merged 1 contact into Alan Turing').waitFor();
    const merged = await call(page, 'GET', `/contacts/${alanAgain.id}`);
    expect(merged.json).toMatchObject({
      firstName: 'Alan',
      title: 'Mathematician',
      phone: '+442079460958',
    });
    await expect(
      call(page, 'GET', `/contacts/${alan.id}`).then((r) => r.json.error.code),
    ).resolves.toBe('RECORD_MERGED');
    await page.screenshot({ path: `${SHOTS}/merge-toast.png` });

    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Merge undone: 1 contact restored').waitFor();
    await expect(call(page, 'GET', `/contacts/${alan.id}`).then((r) => r.status)).resolves.toBe(
      200,
    );
    await expect(
      call(page, 'GET', `/contacts/${alanAgain.id}`).then((r) => [r.json.firstName, r.json.title]),
    ).resolves.toEqual(['Alan M.', null]);
    await page
      .getByTestId('duplicate-groups')
      .getByText('alan@bletchley.example', { exact: true })
      .waitFor();

    // "Merge with…" on a record page offers the same duplicate first; Escape closes the dialog.
    await page.goto(`${e2e.url}/contacts/${alan.id}`);
    await page.getByTestId('merge-with').click();
    await expect
      .poll(() => page.getByTestId('likely-duplicates').getByRole('button').allTextContents(), POLL)
      .toEqual(['Alan M. TuringSame email']);
    await page.screenshot({ path: `${SHOTS}/merge-with.png` });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });
});
