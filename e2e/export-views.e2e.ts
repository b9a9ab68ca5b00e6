import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from './axe.js';
import { callApi, signUp, useServerAndBrowser } from './server.js';

/** UI reads retry until they match: long enough for a busy machine. */
const POLL = { timeout: 15_000 };
const SHOTS = process.env.E2E_SHOTS_DIR ?? '/tmp';
const PASSWORD = 'views-views-views-1';

/** Invites a sales rep and accepts the invitation from the dev mailbox; answers the user id. */
async function invite(page: Page, url: string, email: string, name: string): Promise<string> {
  const roles = await callApi<{ data: Array<{ id: string; key: string }> }>(page, 'GET', '/roles');
  const rep = roles.data.find((r) => r.key === 'sales_rep');
  await callApi(page, 'POST', '/users/invitations', { email, roleId: rep?.id });
  const mail = await callApi<{ data: Array<{ id: string; to: string }> }>(page, 'GET', '/mailbox');
  const id = mail.data.find((m) => m.to === email)?.id ?? '';
  const full = await callApi<{ text?: string }>(page, 'GET', `/mailbox/${id}`);
  const token = /token=([\w-]+)/.exec(full.text ?? '')?.[1] ?? '';
  const res = await fetch(`${url}/api/v1/invitations/accept`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token, name, password: PASSWORD }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { user: { id: string } }).user.id;
}

/** A fresh browser session signed in as `email`. */
async function signIn(browser: Browser, url: string, email: string): Promise<Page> {
  const context = await browser.newContext({
    bypassCSP: true,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-shell').waitFor();
  return page;
}

/** The names the saved-view menu offers (it closes again afterwards). */
async function viewNames(page: Page): Promise<string[]> {
  await page.getByTestId('saved-view').click();
  const menu = page.getByRole('menu');
  await menu.waitFor();
  const names = await menu.getByRole('menuitem').allTextContents();
  await page.keyboard.press('Escape');
  return names;
}

describe('lead export and team views', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  let admin: Page;

  beforeAll(async () => {
    // axe is injected as an inline script, which the app's Content-Security-Policy rightly refuses.
    admin = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    await signUp(admin, e2e.url, {
      name: 'Vera Views',
      email: 'vera@views.example',
      password: PASSWORD,
      organization: 'Views Co',
    });
    const mia = await invite(admin, e2e.url, 'mia@views.example', 'Mia Member');
    const max = await invite(admin, e2e.url, 'max@views.example', 'Max Member');
    await invite(admin, e2e.url, 'olga@views.example', 'Olga Outsider');
    const team = await callApi<{ id: string }>(admin, 'POST', '/teams', { name: 'Inbound' });
    await callApi(admin, 'PUT', `/teams/${team.id}/members`, {
      members: [
        { userId: mia, isManager: false },
        { userId: max, isManager: false },
      ],
    });
    for (const [companyName, source] of [
      ['Acme', 'Webinar'],
      ['=HYPERLINK("x")', 'Webinar'],
      ['Globex', 'Webinar'],
      ['Initech', 'Referral'],
    ])
      await callApi(admin, 'POST', '/leads', { companyName, source, ownerId: mia });
  }, 180_000);

  it('exports the filtered leads view as CSV with its columns', async () => {
    await admin.goto(`${e2e.url}/leads?filter[source]=Webinar&sort=companyName`);
    await admin.getByTestId('record-row').filter({ hasText: 'Globex' }).waitFor();
    await expect.poll(() => admin.getByTestId('record-row').count(), POLL).toBe(3);
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByTestId('export-view').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = await readFile(await download.path());
    const [header] = parse(file, { bom: true, to: 1 });
    expect(header?.[0]).toBe('id');
    // The file has `id` and the table's visible columns (the checkbox column aside), no others.
    const shown = await admin.getByRole('columnheader').count();
    expect(header).toHaveLength(shown);
    expect(header).toContain('companyName');
    expect(header).not.toContain('source');
    const rows = parse<Record<string, string>>(file, { columns: true, bom: true });
    expect(rows.map((r) => r.companyName)).toEqual(
      ['=HYPERLINK("x")', 'Acme', 'Globex'].map((n) => (n.startsWith('=') ? `'${n}` : n)),
    );
  });

  it('saves a team view that the team sees and others do not', async () => {
    const mia = await signIn(e2e.browser, e2e.url, 'mia@views.example');
    await mia.goto(`${e2e.url}/leads?filter[source]=Webinar`);
    await mia.getByTestId('record-row').filter({ hasText: 'Globex' }).waitFor();
    await mia.getByTestId('save-view').click();
    const dialog = mia.getByTestId('save-view-dialog');
    await dialog.waitFor();
    // Everyone is for admins; a rep in a team may share with it.
    expect(await mia.getByTestId('view-visibility-everyone').isDisabled()).toBe(true);
    await mia.getByTestId('view-name').fill('Webinar leads');
    await mia.getByTestId('view-visibility-team').check();
    await expect.poll(() => mia.getByTestId('view-team').inputValue(), POLL).not.toBe('');
    expect(describeViolations(await seriousViolations(mia))).toEqual([]);
    await mia.screenshot({ path: `${SHOTS}/export-views-save-dialog.png` });
    await mia.getByTestId('save-view-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => mia.getByTestId('saved-view').textContent(), POLL)
      .toContain('Webinar leads');
    await mia.getByTestId('saved-view').locator('[aria-label="Shared with a team"]').waitFor();

    const max = await signIn(e2e.browser, e2e.url, 'max@views.example');
    await max.goto(`${e2e.url}/leads`);
    await max.getByTestId('record-row').filter({ hasText: 'Initech' }).waitFor();
    await expect.poll(() => viewNames(max), POLL).toContain('Webinar leads');
    await max.getByTestId('saved-view').click();
    await max.getByTestId('view-Webinar leads').click();
    await expect.poll(() => max.getByTestId('record-row').count(), POLL).toBe(3);
    // A teammate who may edit leads may change the team's view too.
    await max.getByTestId('saved-view').click();
    await max.getByTestId('edit-view').waitFor();
    await max.screenshot({ path: `${SHOTS}/export-views-menu.png` });
    await max.keyboard.press('Escape');

    const olga = await signIn(e2e.browser, e2e.url, 'olga@views.example');
    await olga.goto(`${e2e.url}/leads`);
    await olga.getByTestId('saved-view').waitFor();
    expect(await viewNames(olga)).not.toContain('Webinar leads');
  });

  it('edits and deletes a view through dialogs (in dark mode)', async () => {
    await admin.emulateMedia({ colorScheme: 'dark' });
    await admin.goto(`${e2e.url}/leads`);
    await admin.getByTestId('save-view').click();
    await admin.getByTestId('view-name').fill('Everything');
    await admin.getByTestId('view-visibility-everyone').check();
    expect(describeViolations(await seriousViolations(admin))).toEqual([]);
    await admin.screenshot({ path: `${SHOTS}/export-views-save-dialog-dark.png` });
    await admin.getByTestId('save-view-submit').click();
    await admin.getByTestId('saved-view').locator('[aria-label="Shared with everyone"]').waitFor();
    await admin.getByTestId('saved-view').click();
    await admin.getByTestId('edit-view').click();
    await admin.getByTestId('view-name').fill('Every lead');
    await admin.getByTestId('view-visibility-private').check();
    await admin.getByTestId('save-view-submit').click();
    await expect
      .poll(() => admin.getByTestId('saved-view').textContent(), POLL)
      .toContain('Every lead');
    await admin.getByTestId('saved-view').click();
    await admin.getByTestId('delete-view').click();
    await admin.screenshot({ path: `${SHOTS}/export-views-delete.png` });
    await admin.getByTestId('delete-view-confirm').click();
    await expect.poll(() => viewNames(admin), POLL).not.toContain('Every lead');
  });
});
