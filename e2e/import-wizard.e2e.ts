import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from './axe.js';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const POLL = { timeout: 30_000, interval: 200 };

/**
 * Full-page shots in light and dark (colour transitions off, so a shot never catches one halfway),
 * each step checked by axe-core: the a11y suite visits only the wizard's first step.
 */
async function shots(page: Page, name: string): Promise<void> {
  await page.addStyleTag({ content: '*{transition:none!important}' });
  for (const theme of ['light', 'dark'] as const) {
    await page
      .locator('html')
      .evaluate((html, t) => html.classList.toggle('dark', t === 'dark'), theme);
    await page.screenshot({
      path: `test-results/e2e-import-wizard-${name}-${theme}.png`,
      fullPage: true,
    });
    expect(describeViolations(await seriousViolations(page))).toEqual([]);
  }
  await page.locator('html').evaluate((html) => html.classList.remove('dark'));
}

const contactEmails = async (page: Page) =>
  (
    await callApi<{ data: Array<{ email: string }> }>(
      page,
      'GET',
      '/contacts?filter[email][contains]=wizard.example&limit=50',
    )
  ).data.map((c) => c.email);

// Issue 13, item 8: map the columns after one upload, check, and import that same upload.
describe('the import wizard', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });

  it('maps a column the suggestion missed, checks, imports without re-uploading and rolls back', async () => {
    // bypassCSP: axe-core is injected as a script, which the app's CSP rightly refuses.
    const page = await e2e.browser.newPage({
      viewport: { width: 1440, height: 900 },
      bypassCSP: true,
    });
    await signUp(page, e2e.url, {
      name: 'Wanda Wizard',
      email: 'wanda@wizard.example',
      password: 'map-every-column',
      organization: 'Wizard Co',
    });
    // "Given" matches no field, so it starts as "don't import".
    const csv = path.join(tmpdir(), `wizard-${Date.now()}.csv`);
    const content = [
      'Given,Surname,Email,Role',
      'Ada,Lovelace,ada@wizard.example,Analyst',
      'Bad,Row,not-an-email,Tester',
      'Grace,Hopper,grace@wizard.example,Admiral',
    ].join('\n');
    await writeFile(csv, content);

    await page.goto(`${e2e.url}/contacts/import`);
    await expect(page.locator('[aria-current="step"]').textContent()).resolves.toContain('Upload');
    await page.getByTestId('import-file').setInputFiles(csv);
    await expect(page.getByTestId('import-file-size').textContent()).resolves.toBe(
      `${Buffer.byteLength(content)} B`,
    );
    await shots(page, 'upload');
    await page.getByTestId('import-start').click();

    // Mapping: every column, the suggestions preselected, the first rows under them.
    const given = page.getByTestId('import-map-Given');
    await given.waitFor();
    await expect(page.locator('[aria-current="step"]').textContent()).resolves.toContain(
      'Map columns',
    );
    await expect(given.inputValue()).resolves.toBe('');
    await expect(page.getByTestId('import-map-Surname').inputValue()).resolves.toBe('lastName');
    await expect(page.getByTestId('import-map-Email').inputValue()).resolves.toBe('email');
    await expect(page.getByTestId('import-map-Role').inputValue()).resolves.toBe('title');
    await page.getByTestId('import-preview').getByText('Given (not imported)').waitFor();
    await expect(
      page.getByTestId('import-preview').getByText('Grace', { exact: true }).count(),
    ).resolves.toBe(1);
    await given.selectOption('firstName');
    await page.getByTestId('import-preview').getByText('First name (Given)').waitFor();
    await shots(page, 'mapping');
    await page.getByTestId('import-check').click();

    // Check: a dry run of the edited mapping, with the one bad row named.
    await expect.poll(() => page.getByTestId('import-count-created').textContent(), POLL).toBe('2');
    await expect(page.locator('[aria-current="step"]').textContent()).resolves.toContain('Check');
    const problems = page.getByTestId('import-problems');
    await expect(problems.locator('tbody tr').count()).resolves.toBe(1);
    await expect(problems.locator('tbody tr td').first().textContent()).resolves.toBe('2');
    await expect(problems.locator('tbody tr td').nth(1).textContent()).resolves.toBe('Email');
    await expect(page.getByTestId('import-errors-csv').getAttribute('href')).resolves.toMatch(
      /\/api\/v1\/imports\/[\w-]+\/errors\.csv$/,
    );
    await expect(contactEmails(page)).resolves.toEqual([]);
    await shots(page, 'check');

    // Import: the same upload (no file chooser on this step), then its progress and result.
    await expect(page.getByTestId('import-file').count()).resolves.toBe(0);
    await page.getByTestId('import-run').getByText('Import 2 rows').waitFor();
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-rollback').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('import-progress').getAttribute('aria-valuenow')).resolves.toBe(
      '100',
    );
    await expect(page.getByTestId('import-count-created').textContent()).resolves.toBe('2');
    await expect(page.getByTestId('import-count-failed').textContent()).resolves.toBe('1');
    const ada = await callApi<{
      data: Array<{ firstName: string; lastName: string; title: string }>;
    }>(page, 'GET', '/contacts?filter[email]=ada@wizard.example');
    expect(ada.data[0]).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', title: 'Analyst' });
    await shots(page, 'result');

    // Phone width: the steps and the result still fit.
    await page.setViewportSize({ width: 390, height: 844 });
    await shots(page, 'result-phone');
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByTestId('import-rollback').click();
    await page.getByTestId('import-rollback-confirm').click();
    await page.getByText('rolled back', { exact: true }).waitFor();
    await expect.poll(() => contactEmails(page), POLL).toEqual([]);
  });

  it('goes back from the check to the columns and keeps the edited mapping', async () => {
    const page = await e2e.browser.newPage({
      viewport: { width: 390, height: 844 },
      bypassCSP: true,
    });
    await page.goto(`${e2e.url}/login`);
    await page.getByTestId('login-email').fill('wanda@wizard.example');
    await page.getByTestId('login-password').fill('map-every-column');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-shell').waitFor();
    const csv = path.join(tmpdir(), `wizard-back-${Date.now()}.csv`);
    await writeFile(csv, 'Given,Email\nLin,lin@wizard.example\n');
    await page.goto(`${e2e.url}/contacts/import`);
    await page.getByTestId('import-file').setInputFiles(csv);
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-map-Given').selectOption('firstName');
    await shots(page, 'mapping-phone');
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-run').getByText('Import 1 row').waitFor(POLL);
    await page.getByTestId('import-back-to-mapping').click();
    await expect
      .poll(() => page.getByTestId('import-map-Given').inputValue(), POLL)
      .toBe('firstName');
  });
});
