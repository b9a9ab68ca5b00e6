import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './server.js';

const POLL = { timeout: 20_000 };

async function call(page: Page, method: string, path: string, body?: unknown): Promise<{ id: string; data: Array<{ subject?: string }> }> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'cerebro_csrf')?.value ?? '';
  return page.evaluate(async ({ method, path, body, csrf }) => {
    const res = await fetch(`/api/v1${path}`, {
      method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(csrf), 'X-Cerebro-Client': 'web' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as { id: string; data: Array<{ subject?: string }> };
  }, { method, path, body, csrf });
}

describe('the workflow builder in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });

  it('builds lead created → create task, publishes, runs it on a new lead, and shows a broken draft\'s problems', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1500, height: 950 } });
    await page.goto(`${e2e.url}/signup`);
    await page.getByTestId('signup-name').fill('Wendy Flow');
    await page.getByTestId('signup-email').fill('wendy@flow.example');
    await page.getByTestId('signup-password').fill('flow-flow-flow-1');
    await page.getByTestId('signup-organization').fill('Flow Co');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('app-shell').waitFor();

    await page.goto(`${e2e.url}/workflows`);
    await page.getByTestId('empty-state').waitFor();
    await page.getByTestId('new-workflow').click();
    await page.getByTestId('wf-name').fill('Call new leads');
    await page.getByTestId('wf-trigger').selectOption('record_created');
    await page.getByTestId('wf-object').selectOption('lead');
    await page.getByTestId('wf-create').click();
    await page.getByTestId('canvas').waitFor();
    await page.getByTestId('add-step-type').selectOption('create_task');
    await page.getByTestId('add-step').click();
    await page.getByTestId('publish').click();
    await expect.poll(() => page.getByTestId('toggle-enabled').isEnabled(), POLL).toBe(true);
    await page.getByTestId('toggle-enabled').click();
    await expect.poll(() => page.getByTestId('toggle-enabled').textContent(), POLL).toBe('Disable');
    await page.screenshot({ path: 'test-results/e2e-workflow-builder.png' });

    await call(page, 'POST', '/leads', { firstName: 'Lena', lastName: 'Lead', email: 'lena@lead.example' });
    await page.getByTestId('runs-link').click();
    await expect.poll(async () => { await page.reload(); return page.locator('[data-testid="run-row"]').first().textContent(); }, POLL).toContain('succeeded');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/e2e-workflow-runs-dark.png' });
    const tasks = await call(page, 'GET', '/activities?limit=10');
    expect(tasks.data.some((t) => t.subject === 'Follow up')).toBe(true);

    // A broken draft: a step whose subject is empty cannot be published; the problem is listed.
    await page.goto(`${e2e.url}/workflows`);
    await page.getByTestId('new-workflow').click();
    await page.getByTestId('wf-name').fill('Broken');
    await page.getByTestId('wf-create').click();
    await page.getByTestId('canvas').waitFor();
    await page.getByTestId('add-step-type').selectOption('branch');
    await page.getByTestId('add-step').click();
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-problems').waitFor(POLL);
    expect(await page.getByTestId('publish-problems').textContent()).toMatch(/steps/);
    await page.screenshot({ path: 'test-results/e2e-workflow-broken-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: 'test-results/e2e-workflow-broken-light.png' });
  });
});
