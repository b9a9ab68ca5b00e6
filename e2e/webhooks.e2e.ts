import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../test/webhook-receiver.js';
import { useServerAndBrowser } from './server.js';

const POLL = { timeout: 15_000 };
/** The first retry comes within 2 s of a failure (the jobs' backoff, platform/jobs/backoff.ts), plus a runner tick. */
const RETRY_POLL = { timeout: 30_000, interval: 500 };

async function call(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
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
      return {
        status: res.status,
        json: (await res.json().catch(() => ({}))) as Record<string, unknown>,
      };
    },
    { method, path, body, csrf },
  );
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `test-results/e2e-webhooks-${name}.png`, fullPage: true });
const firstRow = (page: Page) => page.getByTestId('delivery-row').first();

describe('webhooks in the browser', () => {
  // The receiver runs on loopback, which the SSRF guard refuses unless the operator allows it.
  const e2e = useServerAndBrowser({ beforeAll, afterAll }, { OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
  let receiver: Receiver;
  beforeAll(async () => {
    // The first request fails, every later one succeeds: a receiver that was briefly down.
    receiver = await startReceiver((_req, n) =>
      n === 0 ? { status: 500, body: 'receiver warming up' } : { status: 200, body: 'thanks' },
    );
  });
  afterAll(() => receiver.close());

  it('creates a webhook, shows the failed then the delivered attempt, redelivers, filters and replays', async () => {
    const context = await e2e.browser.newContext({
      viewport: { width: 1400, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(`${e2e.url}/signup`);
    await page.getByTestId('signup-name').fill('Wendy Hook');
    await page.getByTestId('signup-email').fill('wendy@hooks.example');
    await page.getByTestId('signup-password').fill('signed-and-sealed-1');
    await page.getByTestId('signup-organization').fill('Hook Co');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('app-shell').waitFor();

    // Settings → Webhooks: the empty state explains, and `n` opens the dialog.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-webhooks').click();
    await page.getByTestId('empty-state').getByText('No webhooks yet').waitFor();
    await shot(page, 'empty');
    await page.keyboard.press('n');
    await page.getByTestId('webhook-form').waitFor();

    // Bad input is named at its field: a client-side rule, then the server's SSRF refusal.
    await page.getByTestId('webhook-url').fill('ftp://files.example/drop');
    await page.getByTestId('webhook-submit').click();
    await page
      .locator('#webhook-url-error')
      .getByText(/http\(s\) URL/)
      .waitFor();
    await page
      .locator('#webhook-events-error')
      .getByText('needs at least one event type')
      .waitFor();
    await page.getByTestId('webhook-event-input').fill('contact.cr');
    await page.getByTestId('event-suggestion').filter({ hasText: 'contact.created' }).waitFor();
    await shot(page, 'suggestions');
    await page.getByTestId('event-suggestion').filter({ hasText: 'contact.created' }).click();
    // By keyboard: arrow down to the suggestion, Enter picks it.
    await page.getByTestId('webhook-event-input').fill('deal.st');
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.getByTestId('event-suggestion').first().getAttribute('aria-selected'), POLL)
      .toBe('true');
    await page.keyboard.press('Enter');
    // Free entry: a pattern Cerebro has no suggestion for, committed with Enter.
    await page.getByTestId('webhook-event-input').fill('ticket.created');
    await page.keyboard.press('Enter');
    await page.getByTestId('webhook-event-input').fill('Not An Event');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'is not an event type' }).waitFor();
    await page.getByTestId('webhook-event-input').fill('');
    await expect
      .poll(() => page.getByTestId('event-chip').allTextContents(), POLL)
      .toEqual(['contact.created', 'deal.stage_changed', 'ticket.created']);
    await page.getByTestId('webhook-url').fill('http://10.0.0.1/hook');
    await page.getByTestId('webhook-submit').click();
    await page
      .locator('#webhook-url-error')
      .getByText(/loopback, private or link-local/)
      .waitFor();

    await page.getByTestId('webhook-url').fill(receiver.url);
    await page.getByTestId('webhook-description').fill('ERP sync');
    await page.getByTestId('webhook-submit').click();
    const secret = (await page.getByTestId('webhook-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_[\w-]{32}$/);
    await page.getByText('X-Cerebro-Signature: t=<unix seconds>,v1=<hex>').waitFor();
    await page.getByTestId('copy-webhook-secret').click();
    await expect
      .poll(() => page.evaluate<string>('navigator.clipboard.readText()'), POLL)
      .toBe(secret);
    await shot(page, 'secret');
    await page.getByTestId('webhook-secret-done').click();

    const row = page.getByTestId('webhook-row');
    await expect.poll(() => row.count(), POLL).toBe(1);
    await expect
      .poll(() => row.getByTestId('webhook-state').getAttribute('data-state'), POLL)
      .toBe('active');
    await row.getByText('None yet').waitFor();

    // An event: the first attempt gets the 500, the automatic retry the 200.
    expect(
      (await call(page, 'POST', '/contacts', { firstName: 'Ada', lastName: 'Lovelace' })).status,
    ).toBe(201);
    await row.getByTestId('webhook-deliveries').click();
    await page.getByTestId('deliveries-url').getByText(receiver.url).waitFor();
    // The first attempt failed; its retry comes about 2 s later, so a slow machine may already
    // show it by the time the page is up: either state is right here, the 500 is checked below.
    await expect
      .poll(() => firstRow(page).getByTestId('delivery-attempts').textContent(), POLL)
      .toMatch(/^[12]$/);
    await expect
      .poll(() => firstRow(page).getByTestId('delivery-status').getAttribute('data-status'), POLL)
      .toMatch(/^(pending|delivered)$/);
    await firstRow(page).getByTestId('delivery-expand').click();
    const details = page.getByTestId('delivery-details');
    await expect
      .poll(() => details.getByTestId('attempt-status').first().textContent(), POLL)
      .toBe('Status 500');
    await details.getByText('receiver warming up').waitFor();
    await details.getByText('the receiver answered 500').waitFor();
    await shot(page, 'deliveries-failed-attempt');

    // The page refreshes on its own while the delivery is pending; the expanded row stays open.
    await expect
      .poll(
        () => firstRow(page).getByTestId('delivery-status').getAttribute('data-status'),
        RETRY_POLL,
      )
      .toBe('delivered');
    await expect.poll(() => details.getByTestId('delivery-attempt').count(), POLL).toBe(2);
    await expect
      .poll(() => details.getByTestId('attempt-status').nth(1).textContent(), POLL)
      .toBe('Status 200');
    await details.getByText('thanks').first().waitFor();
    await shot(page, 'deliveries-delivered');

    // What the receiver got verifies with the secret the page showed once.
    const first = receiver.requests[0];
    const signature = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(
      String(first?.headers['x-cerebro-signature']),
    );
    expect(signature?.[2]).toBe(
      createHmac('sha256', secret).update(`${signature?.[1]}.${first?.body}`).digest('hex'),
    );

    // Redeliver: one more attempt with the same delivery id.
    await firstRow(page).getByTestId('redeliver').click();
    await page.getByText('Redelivery of contact.created queued').waitFor();
    await expect
      .poll(() => firstRow(page).getByTestId('delivery-attempts').textContent(), RETRY_POLL)
      .toBe('3');
    await expect
      .poll(() => firstRow(page).getByTestId('delivery-status').getAttribute('data-status'), POLL)
      .toBe('delivered');
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.headers['x-cerebro-delivery'])).size).toBe(1);

    // Filters ask the server for one status.
    await page.getByTestId('delivery-status-filter').selectOption('failed');
    await page.getByTestId('empty-state').getByText('No failed deliveries').waitFor();
    await page.getByTestId('delivery-status-filter').selectOption('delivered');
    await expect.poll(() => page.getByTestId('delivery-row').count(), POLL).toBe(1);
    await page.getByTestId('delivery-status-filter').selectOption('');

    // Off: an event while it is off is not queued; after switching it on, a replay catches up.
    await page.getByTestId('back-to-webhooks').click();
    await row.getByTestId('webhook-edit').click();
    await page.getByTestId('webhook-active').click();
    await page.getByTestId('webhook-submit').click();
    await expect
      .poll(() => row.getByTestId('webhook-state').getAttribute('data-state'), POLL)
      .toBe('disabled');
    await shot(page, 'list-disabled');
    expect(
      (await call(page, 'POST', '/contacts', { firstName: 'Grace', lastName: 'Hopper' })).status,
    ).toBe(201);
    await row.getByTestId('webhook-enable').click();
    await expect
      .poll(() => row.getByTestId('webhook-state').getAttribute('data-state'), POLL)
      .toBe('active');
    await row.getByTestId('webhook-deliveries').click();
    await expect.poll(() => page.getByTestId('delivery-row').count(), POLL).toBe(1);
    await page.getByTestId('replay-since').fill(
      await page.evaluate(() => {
        const d = new Date(Date.now() - 60 * 60 * 1000);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
      }),
    );
    await page.getByTestId('replay-submit').click();
    await page.getByText('Queued 1 delivery; 1 event already delivered left alone').waitFor();
    await expect.poll(() => page.getByTestId('delivery-row').count(), POLL).toBe(2);
    await expect
      .poll(
        () => firstRow(page).getByTestId('delivery-status').getAttribute('data-status'),
        RETRY_POLL,
      )
      .toBe('delivered');
    expect(receiver.requests.at(-1)?.body).toContain('Grace');
    await firstRow(page).getByTestId('delivery-expand').click();
    await shot(page, 'deliveries-light');

    // The same pages in dark mode (after the 150 ms colour transitions, or the shot catches them halfway).
    await page.getByTestId('theme-toggle').click();
    await page.waitForTimeout(400);
    await shot(page, 'deliveries-dark');
    await page.getByTestId('back-to-webhooks').click();
    await expect
      .poll(() => row.getByTestId('delivery-status').getAttribute('data-status'), POLL)
      .toBe('delivered');
    await shot(page, 'list-dark');
    await row.getByTestId('webhook-edit').click();
    await page.getByTestId('webhook-event-input').focus();
    await page.getByTestId('event-suggestion').first().waitFor();
    await shot(page, 'edit-dark');
    await page.keyboard.press('Escape');
    // Escape closes the suggestions first, then the dialog.
    await page.getByTestId('webhook-form').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('webhook-form').waitFor({ state: 'detached' });
    await page.getByTestId('theme-toggle').click();
    await page.waitForTimeout(400);
    await shot(page, 'list-light');
    // Tablet width: the tables scroll sideways inside their frame instead of breaking the page.
    await page.setViewportSize({ width: 820, height: 1000 });
    await row.getByTestId('webhook-deliveries').click();
    await expect.poll(() => page.getByTestId('delivery-row').count(), POLL).toBe(2);
    await shot(page, 'deliveries-tablet');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      820,
    );

    // Delete asks first, then the list is empty again and the deliveries page says the webhook is gone.
    const deliveriesUrl = page.url();
    await page.getByTestId('back-to-webhooks').click();
    await row.getByTestId('webhook-edit').click();
    await page.getByTestId('webhook-delete').click();
    await page.getByTestId('confirm-delete-webhook').click();
    await page.getByTestId('empty-state').getByText('No webhooks yet').waitFor();
    await page.goto(deliveriesUrl);
    await page.getByTestId('empty-state').getByText('Webhook not found').waitFor();
    expect(failures).toEqual([]);
    await context.close();
  });
});
