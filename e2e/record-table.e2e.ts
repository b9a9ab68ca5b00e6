import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signUp, useServerAndBrowser } from './server.js';

/** UI reads retry until they match: long enough for a busy machine. */
const POLL = { timeout: 15_000 };
const SHOTS = process.env.E2E_SHOTS_DIR ?? 'test-results';

interface Rec {
  id: string;
  name: string;
  version: number;
  ownerId: string | null;
  status?: string;
  industry?: string | null;
}
interface Page_<T> {
  data: T[];
  meta: { total?: number };
}

/** Invites a sales rep and accepts the invitation (from the dev mailbox); answers the user id. */
async function addRep(page: Page, url: string, email: string): Promise<string> {
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
    body: JSON.stringify({ token, name: 'Rita Rep', password: 'rita-rep-rita-rep-1' }),
  });
  expect(res.status).toBe(201);
  const users = await callApi<{ data: Array<{ id: string; email: string }> }>(
    page,
    'GET',
    '/users',
  );
  return users.data.find((u) => u.email === email)?.id ?? '';
}

/** Ticks the row checkboxes of the named records. */
async function select(page: Page, names: string[]) {
  for (const name of names) {
    await page.getByTestId('record-row').filter({ hasText: name }).getByRole('checkbox').check();
  }
  await page.getByTestId('bulk-bar').getByText(`${names.length} selected`).waitFor();
}

describe('the record table', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  let page: Page;
  let rita = '';

  beforeAll(async () => {
    page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Tara Table',
      email: 'tara@table.example',
      password: 'table-table-table-1',
      organization: 'Table Co',
    });
    rita = await addRep(page, e2e.url, 'rita@table.example');
  }, 120_000);

  it('assigns companies an owner and sets a field in bulk', async () => {
    const names = ['Alpha Ltd', 'Bravo Ltd', 'Charlie Ltd', 'Delta Ltd'];
    for (const name of names) await callApi(page, 'POST', '/companies', { name, industry: 'Old' });
    await page.goto(`${e2e.url}/companies`);
    await page.getByTestId('record-row').filter({ hasText: 'Delta Ltd' }).waitFor();

    await select(page, names.slice(0, 3));
    await page.getByTestId('bulk-assign').click();
    await page.getByTestId('bulk-owner').selectOption(rita);
    await page.getByTestId('bulk-apply').click();
    await page.getByText('3 companies changed').waitFor();
    const owners = async () =>
      (await callApi<Page_<Rec>>(page, 'GET', '/companies?sort=name')).data.map((c) => c.ownerId);
    await expect.poll(owners, POLL).toEqual([rita, rita, rita, expect.not.stringMatching(rita)]);

    await select(page, names.slice(1, 4));
    await page.getByTestId('bulk-set').click();
    // An incomplete form says what is missing instead of sending anything.
    await page.getByTestId('bulk-apply').click();
    await page.getByTestId('bulk-problem').getByText('Choose a field').waitFor();
    await page.getByTestId('bulk-field').selectOption('industry');
    await page.getByTestId('bulk-value').fill('Robotics');
    await page.getByTestId('bulk-apply').click();
    await page.getByText('3 companies changed').waitFor();
    const industries = async () =>
      (await callApi<Page_<Rec>>(page, 'GET', '/companies?sort=name')).data.map((c) => c.industry);
    await expect.poll(industries, POLL).toEqual(['Old', 'Robotics', 'Robotics', 'Robotics']);
  });

  it('sets a lead field in bulk; a stale version fails alone and the toast says why', async () => {
    const made: Rec[] = [];
    for (const n of ['Lee One', 'Lee Two', 'Lee Three'])
      made.push(await callApi<Rec>(page, 'POST', '/leads', { firstName: n, status: 'new' }));
    await page.goto(`${e2e.url}/leads`);
    await page.getByTestId('record-row').filter({ hasText: 'Lee Three' }).waitFor();
    // Someone else edits one lead after the table loaded it: the table's version is stale.
    const stale = made[1];
    await callApi(page, 'PATCH', `/leads/${stale?.id}`, { lastName: 'Changed' });
    await select(page, ['Lee One', 'Lee Two', 'Lee Three']);
    await page.getByTestId('bulk-set').click();
    await page.getByTestId('bulk-field').selectOption('status');
    await page.getByTestId('bulk-value').selectOption('working');
    await page.getByTestId('bulk-apply').click();
    await page.getByText(/2 leads changed, 1 failed — changed by someone else/).waitFor();
    const statuses = async () => {
      const all = await callApi<Page_<Rec>>(page, 'GET', '/leads?limit=200');
      return made.map((m) => all.data.find((l) => l.id === m.id)?.status);
    };
    await expect.poll(statuses, POLL).toEqual(['working', 'new', 'working']);
  });

  it("assigns leads to a rep in one request to the leads' bulk action, and says how many changed", async () => {
    const made: Rec[] = [];
    for (const n of ['Bulk Ann', 'Bulk Ben', 'Bulk Cal'])
      made.push(await callApi<Rec>(page, 'POST', '/leads', { firstName: n }));
    await page.goto(`${e2e.url}/leads`);
    await page.getByTestId('record-row').filter({ hasText: 'Bulk Cal' }).waitFor();
    await select(page, ['Bulk Ann', 'Bulk Cal']);
    await page.getByTestId('bulk-assign').click();
    await page.getByTestId('bulk-owner').selectOption(rita);
    const bulk = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/leads/bulk'),
    );
    await page.screenshot({ path: `${SHOTS}/e2e-record-table-bulk-assign-leads.png` });
    await page.getByTestId('bulk-apply').click();
    // One request for the selection, finished inline: the server's bulk action, not a PATCH per row.
    expect(await (await bulk).json()).toMatchObject({
      objectType: 'lead',
      action: 'assign',
      status: 'done',
      total: 2,
      succeeded: 2,
    });
    await page.getByText('2 leads changed').waitFor();
    const owners = async () => {
      const all = await callApi<Page_<Rec>>(page, 'GET', '/leads?limit=200');
      return made.map((m) => all.data.find((l) => l.id === m.id)?.ownerId);
    };
    await expect.poll(owners, POLL).toEqual([rita, made[1]?.ownerId, rita]);
  });

  it('groups leads by status with the counts the API gives', async () => {
    for (const [n, status] of [
      ['Quinn', 'qualified'],
      ['Quincy', 'qualified'],
      ['Nia', 'new'],
    ] as const)
      await callApi(page, 'POST', '/leads', { firstName: n, status });
    await page.goto(`${e2e.url}/leads`);
    await page.getByTestId('group-by').selectOption('status');
    await expect.poll(() => new URL(page.url()).searchParams.get('group'), POLL).toBe('status');
    const expected: Record<string, string> = {};
    for (const s of ['new', 'working', 'qualified', 'disqualified', 'converted']) {
      const res = await callApi<Page_<Rec>>(
        page,
        'GET',
        `/leads?filter[status]=${s}&count=true&limit=1`,
      );
      if (res.meta.total) expected[s] = String(res.meta.total);
    }
    expect(Object.keys(expected).length).toBeGreaterThan(1);
    const shown = () =>
      page
        .getByTestId('group-header')
        .evaluateAll((els) =>
          Object.fromEntries(
            els.map((el) => [
              el.getAttribute('data-group'),
              el.querySelector('[data-testid="group-count"]')?.textContent,
            ]),
          ),
        );
    await expect.poll(shown, POLL).toEqual(expected);
    // Folding a group hides its rows and keeps the others.
    const qualified = page.locator('[data-testid="group-header"][data-group="qualified"]');
    await qualified.getByRole('button', { name: 'Collapse group' }).click();
    await expect
      .poll(() => page.getByTestId('record-row').filter({ hasText: 'Quinn' }).count(), POLL)
      .toBe(0);
    await page.getByTestId('record-row').filter({ hasText: 'Nia' }).waitFor();
    // Enter on a focused group header unfolds it again.
    await qualified.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('record-row').filter({ hasText: 'Quinn' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/record-table-grouped.png` });
  });

  it('exports the filtered view with its visible columns', async () => {
    await page.goto(`${e2e.url}/companies?filter[industry]=Robotics&sort=name`);
    await page.getByTestId('record-row').filter({ hasText: 'Delta Ltd' }).waitFor();
    // Hiding a column leaves it out of the file.
    await page.getByTestId('column-chooser').click();
    await page.getByTestId('column-domain').click();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('sort-domain').count(), POLL).toBe(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-view').click(),
    ]);
    const file = await readFile(await download.path());
    const rows = parse<Record<string, string>>(file, { columns: true, bom: true });
    const api = await callApi<Page_<Rec>>(
      page,
      'GET',
      '/companies?filter[industry]=Robotics&sort=name',
    );
    expect(rows.map((r) => r.name)).toEqual(api.data.map((c) => c.name));
    expect(rows.map((r) => r.name)).toEqual(['Bravo Ltd', 'Charlie Ltd', 'Delta Ltd']);
    const [header] = parse(file, { bom: true, to: 1 });
    expect(header?.slice(0, 2)).toEqual(['id', 'name']);
    expect(header).toContain('industry');
    expect(header).not.toContain('domain');
  });

  it('moves between rows with the arrows, selects with Space and opens with Enter', async () => {
    await page.goto(`${e2e.url}/companies?sort=name`);
    const rows = page.getByTestId('record-row');
    await rows.filter({ hasText: 'Delta Ltd' }).waitFor();
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    const focused = async () => (await page.locator(':focus').textContent()) ?? '';
    await expect.poll(focused, POLL).toContain('Bravo Ltd');
    await page.keyboard.press(' ');
    await page.getByTestId('bulk-bar').getByText('1 selected').waitFor();
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused, POLL).toContain('Charlie Ltd');
    await page.keyboard.press('ArrowUp');
    await expect.poll(focused, POLL).toContain('Bravo Ltd');
    const bravo = (await callApi<Page_<Rec>>(page, 'GET', '/companies?sort=name')).data[1];
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/companies/${bravo?.id}$`));
  });

  it('keeps a dragged column width for the object', async () => {
    await page.goto(`${e2e.url}/companies`);
    const header = page.getByRole('columnheader', { name: 'Name' });
    await header.waitFor();
    const before = (await header.boundingBox())?.width ?? 0;
    const handle = await page.getByTestId('resize-name').boundingBox();
    if (!handle) throw new Error('no resize handle');
    await page.mouse.move(handle.x + 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + 122, handle.y + handle.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect
      .poll(async () => (await header.boundingBox())?.width ?? 0, POLL)
      .toBeGreaterThan(before + 100);
    await page.reload();
    await header.waitFor();
    await expect
      .poll(async () => (await header.boundingBox())?.width ?? 0, POLL)
      .toBeGreaterThan(before + 100);
  });
});
