import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const POLL = { timeout: 15_000 };
interface Rates {
  base: string;
  rates: Record<string, number>;
}

describe('settings pages in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });

  it('sets exchange rates, refuses a rate for the base, and changes the base currency with a fresh table', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Cara Currency',
      email: 'cara@rates.example',
      password: 'rates-rates-rates-1',
      organization: 'Rates Co',
    });
    await page.goto(`${e2e.url}/settings/currencies`);
    await page.getByText('No rates yet.').waitFor();

    await page.getByRole('button', { name: 'Add a rate' }).click();
    await page.getByLabel('Currency of rate 1').selectOption('EUR');
    await page.getByLabel('1 EUR in USD').fill('1.08');
    await page.getByTestId('save-currencies').click();
    await expect
      .poll(async () => (await callApi<Rates>(page, 'GET', '/exchange-rates')).rates, POLL)
      .toEqual({ EUR: 1.08 });
    await page.screenshot({ path: 'test-results/e2e-currencies.png' });

    // A new base empties the table: rates to the old base mean nothing to the new one.
    await page.getByTestId('base-currency').selectOption('EUR');
    await page.getByText('No rates yet.').waitFor();
    await page.getByRole('button', { name: 'Add a rate' }).click();
    await page.getByLabel('Currency of rate 1').selectOption('USD');
    await page.getByLabel('1 USD in EUR').fill('0.93');
    await page.getByTestId('save-currencies').click();
    await expect
      .poll(async () => callApi<Rates>(page, 'GET', '/exchange-rates'), POLL)
      .toEqual({ base: 'EUR', rates: { USD: 0.93 } });
  });

  it('filters the dev mailbox by recipient and says how many it shows', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Mo Mail',
      email: 'mo@mail.example',
      password: 'mail-mail-mail-12',
      organization: 'Mail Co',
    });
    const roles = await callApi<{ data: Array<{ id: string; key: string }> }>(
      page,
      'GET',
      '/roles',
    );
    const rep = roles.data.find((r) => r.key === 'sales_rep');
    for (const email of ['ann@mail.example', 'bob@mail.example', 'cid@mail.example']) {
      await callApi(page, 'POST', '/users/invitations', { email, roleId: rep?.id });
    }
    await page.goto(`${e2e.url}/settings/mailbox`);
    await page.getByText('bob@mail.example').waitFor();
    await page.getByLabel('Recipient address').fill('BOB@mail.example');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect
      .poll(() => page.getByTestId('mailbox-count').textContent(), POLL)
      .toBe('Showing 1 of 1');
    await expect(page.getByText('ann@mail.example').count()).resolves.toBe(0);
    await page.screenshot({ path: 'test-results/e2e-mailbox-filter.png' });
  });

  it('runs the best match of the command palette on Enter: a page by name, a record by search', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Pat Palette',
      email: 'pat@palette.example',
      password: 'palette-palette-1',
      organization: 'Palette Co',
    });
    const acme = await callApi<{ id: string }>(page, 'POST', '/companies', {
      name: 'Acme Labs',
      domain: 'acmelabs.example',
    });
    await page.keyboard.press('Control+k');
    await page.getByPlaceholder('Search records or type a command…').fill('settings');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/settings\/profile$/);
    // Each settings page is in the palette by its name.
    await page.keyboard.press('Control+k');
    await page.getByPlaceholder('Search records or type a command…').fill('pipelines');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/settings\/pipelines$/);

    await page.keyboard.press('Control+k');
    await page.getByPlaceholder('Search records or type a command…').fill('acme labs');
    await page.getByTestId('command-palette').getByText('Acme Labs').waitFor();
    await page.screenshot({ path: 'test-results/e2e-palette-record.png' });
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/companies/${acme.id}$`));
  });

  it('says so at an unknown address instead of showing Home', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Nora Nowhere',
      email: 'nora@nowhere.example',
      password: 'nowhere-nowhere-1',
      organization: 'Nowhere Co',
    });
    await page.goto(`${e2e.url}/no-such-page`);
    await page.getByTestId('not-found').getByText('Nothing lives at /no-such-page').waitFor();
    await page.getByRole('link', { name: 'Go to Home' }).click();
    await page.waitForURL(`${e2e.url}/`);
  });

  it('restores a deleted contact and a deleted deal from the trash', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Tess Trash',
      email: 'tess@trash.example',
      password: 'trash-trash-trash-1',
      organization: 'Trash Co',
    });
    const ada = await callApi<{ id: string }>(page, 'POST', '/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    const deal = await callApi<{ id: string }>(page, 'POST', '/deals', { name: 'Engine deal' });
    await callApi(page, 'DELETE', `/contacts/${ada.id}`);
    await callApi(page, 'DELETE', `/deals/${deal.id}`);
    await page.getByRole('link', { name: 'Trash' }).click();
    await page.getByTestId('trash-row').getByText('Ada Lovelace').waitFor();
    await page.screenshot({ path: 'test-results/e2e-trash.png' });
    await page.getByTestId('trash-row').getByRole('button', { name: 'Restore' }).click();
    await page.getByText('No deleted contacts').waitFor();
    await expect
      .poll(
        async () =>
          (await callApi<{ deletedAt: string | null }>(page, 'GET', `/contacts/${ada.id}`))
            .deletedAt,
        POLL,
      )
      .toBeNull();
    await page.getByRole('tab', { name: 'Deals' }).click();
    await page.getByTestId('trash-row').getByText('Engine deal').waitFor();
    await page.getByTestId('trash-row').getByRole('button', { name: 'Restore' }).click();
    await page.getByText('No deleted deals').waitFor();
  });
});
