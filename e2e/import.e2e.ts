import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, useServerAndBrowser } from './server.js';

describe('importing contacts in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });

  it('uploads a HubSpot export, shows progress to the end, and lists the contacts', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${e2e.url}/signup`);
    await page.getByTestId('signup-name').fill('Imogen Importer');
    await page.getByTestId('signup-email').fill('imogen@import.example');
    await page.getByTestId('signup-password').fill('import-all-the-things');
    await page.getByTestId('signup-organization').fill('Import Co');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('app-shell').waitFor();

    const csv = path.join(tmpdir(), `hubspot-${Date.now()}.csv`);
    await writeFile(
      csv,
      [
        'First Name,Last Name,Email,Lifecycle Stage',
        'Ada,Lovelace,ada@x.example,customer',
        'Bad,Row,not-an-email,lead',
        'Grace,Hopper,grace@x.example,lead',
      ].join('\n'),
    );
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('import-contacts').click();
    await page.getByTestId('import-file').setInputFiles(csv);
    // The wizard: the HubSpot headers all map as suggested, so the check comes straight after.
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-run').getByText('Import 2 rows').waitFor({ timeout: 30_000 });
    await page.getByTestId('import-run').click();
    await page.getByText('done', { exact: true }).waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('import-progress').getAttribute('aria-valuenow')).resolves.toBe(
      '100',
    );
    await expect(page.getByTestId('import-errors-csv').count()).resolves.toBe(1);
    await page.screenshot({ path: 'test-results/e2e-import-done.png' });
    const importUrl = page.url();
    await page.getByText('Go to contacts').click();
    // By link: the grid also names each row in its cells' screen-reader labels.
    await page.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    await expect(page.getByRole('link', { name: 'Ada Lovelace' }).count()).resolves.toBe(1);

    // Bulk-tag everything loaded from the grid, then the tags show in every row.
    await page.getByLabel('Select all loaded').check();
    await page.getByTestId('bulk-bar').getByText('2 selected').waitFor();
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Add tag' }).click();
    await page.getByTestId('bulk-edit-form').getByLabel('Tag', { exact: true }).fill('imported');
    await page.getByTestId('bulk-apply').click();
    await page.getByText('2 contacts changed').waitFor();
    // The toast comes before the grid refetches: wait for the second tag, then count exactly.
    await page.getByTestId('contacts-grid').getByText('imported').nth(1).waitFor();
    await expect(page.getByTestId('contacts-grid').getByText('imported').count()).resolves.toBe(2);
    await page.screenshot({ path: 'test-results/e2e-bulk-tag.png' });

    // The job title is edited in the list itself; an edit of a stale row is refused, not saved.
    const titleOf = async (q: string) =>
      (
        await callApi<{ data: Array<{ id: string; title: string | null }> }>(
          page,
          'GET',
          `/contacts?q=${q}`,
        )
      ).data[0];
    const row = (name: string) => page.getByTestId('record-row').filter({ hasText: name });
    await row('Grace Hopper').getByTestId('edit-title').click();
    await page.getByLabel('Title of Grace Hopper').fill('Rear Admiral');
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => (await titleOf('grace'))?.title, { timeout: 15_000 })
      .toBe('Rear Admiral');
    await row('Grace Hopper').getByText('Rear Admiral').waitFor();
    const ada = await titleOf('ada');
    // Someone else gives Ada a title after the list was loaded: the row's version is stale.
    await callApi(page, 'PATCH', `/contacts/${ada?.id ?? ''}`, { title: 'Analyst' });
    await row('Ada Lovelace').getByTestId('edit-title').click();
    await page.getByLabel('Title of Ada Lovelace').fill('Countess');
    await page.keyboard.press('Enter');
    await page.getByText(/Someone else changed this contact/).waitFor();
    expect((await titleOf('ada'))?.title).toBe('Analyst');
    // The refusal reloads the list, so the row shows what is really stored.
    await row('Ada Lovelace').getByText('Analyst').waitFor();
    await page.screenshot({ path: 'test-results/e2e-contacts-list.png' });

    // Rolling back asks first, says where the records go, and then they leave the list.
    await page.goto(importUrl);
    await page.getByTestId('import-rollback').click();
    await page.getByText(/move to the trash; you can restore them for 30 days/).waitFor();
    await page.screenshot({ path: 'test-results/e2e-import-rollback-confirm.png' });
    await page.getByTestId('import-rollback-confirm').click();
    await page.getByText('rolled back', { exact: true }).waitFor();
    await page.getByText('Go to contacts').click();
    await page
      .getByText(/No contacts|Import contacts/)
      .first()
      .waitFor();
    await expect(page.getByText('Grace Hopper').count()).resolves.toBe(0);
  });
});
