import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './server.js';

const POLL = { timeout: 10_000 };
interface Answer {
  id: string;
  stageId: string;
  user: { id: string };
  stages: Array<{ id: string; name: string }>;
  data: Array<{ id: string; name: string; stages: Array<{ id: string; name: string }> }>;
}

async function call(page: Page, method: string, path: string, body?: unknown): Promise<Answer> {
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
      return (await res.json()) as Answer;
    },
    { method, path, body, csrf },
  );
}

const count = (page: Page, stage: string) =>
  page
    .locator(`[data-testid="board-column"][data-stage="${stage}"] [data-testid="column-count"]`)
    .textContent();

describe('the deals board and the sales dashboard in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });

  it('moves deals by mouse and by keyboard, asks for what a stage requires, and charts the pipeline', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1500, height: 950 } });
    await page.goto(`${e2e.url}/signup`);
    await page.getByTestId('signup-name').fill('Sam Sales');
    await page.getByTestId('signup-email').fill('sam@sales.example');
    await page.getByTestId('signup-password').fill('sell-sell-sell-1');
    await page.getByTestId('signup-organization').fill('Sales Co');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('app-shell').waitFor();
    const stages = (await call(page, 'GET', '/pipelines')).data[0]?.stages ?? [];
    const stageId = (name: string) => stages.find((s) => s.name === name)?.id ?? '';
    const today = new Date().toISOString().slice(0, 10);
    const mouse = await call(page, 'POST', '/deals', {
      name: 'Mouse deal',
      amount: 500_000,
      expectedCloseDate: today,
      stageId: stageId('Qualification'),
    });
    const keys = await call(page, 'POST', '/deals', {
      name: 'Keyboard deal',
      amount: 250_000,
      stageId: stageId('Qualification'),
    });
    const bare = await call(page, 'POST', '/deals', {
      name: 'Bare deal',
      stageId: stageId('Discovery'),
    });

    await page.goto(`${e2e.url}/deals`);
    await page.getByTestId('board').waitFor();
    await expect.poll(() => count(page, 'Qualification'), POLL).toBe('2');
    await page.screenshot({ path: 'test-results/e2e-board.png' });

    // Mouse: drag the card onto the Discovery column.
    const card = page.locator(`[data-deal-id="${mouse.id}"]`);
    const from = await card.boundingBox();
    const to = await page
      .locator('[data-testid="board-column"][data-stage="Discovery"]')
      .boundingBox();
    if (!from || !to) throw new Error('board not laid out');
    await page.mouse.move(from.x + 20, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 40, from.y + 40, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + 120, { steps: 15 });
    await page.mouse.up();
    await expect
      .poll(async () => (await call(page, 'GET', `/deals/${mouse.id}`)).stageId, POLL)
      .toBe(stageId('Discovery'));
    await expect.poll(() => count(page, 'Discovery'), POLL).toBe('2');

    // Keyboard: focus the card's grip, pick it up, one column right to Discovery, drop.
    await page.waitForLoadState('networkidle');
    await page.locator(`[data-deal-id="${keys.id}"] [data-testid="deal-drag-handle"]`).focus();
    await page.keyboard.press('Space');
    const live = page.locator('[id^="DndLiveRegion"]');
    await expect
      .poll(() => live.textContent(), POLL)
      .toMatch(/Picked up Keyboard deal|Over Qualification/);
    // One press moves one column and the live region says so a moment later: after each press,
    // wait for it to speak before deciding whether to press again (reading it at once could
    // press past Discovery on a busy machine).
    for (let i = 0; i < 3 && !((await live.textContent()) ?? '').includes('Over Discovery'); i++) {
      await page.keyboard.press('ArrowRight');
      // Past the starting column, or (the press lost) still there after 5 s: press again.
      await expect
        .poll(() => live.textContent(), { timeout: 5_000 })
        .toMatch(/Over (?!Qualification)/)
        .catch(() => undefined);
    }
    expect(await live.textContent()).toContain('Over Discovery');
    await page.keyboard.press('Space');
    await expect
      .poll(async () => (await call(page, 'GET', `/deals/${keys.id}`)).stageId, POLL)
      .toBe(stageId('Discovery'));

    // Proposal needs an amount and a close date: the dialog asks for them, then the move goes through.
    const bareCard = page.locator(`[data-deal-id="${bare.id}"]`);
    const b = await bareCard.boundingBox();
    const proposal = await page
      .locator('[data-testid="board-column"][data-stage="Proposal"]')
      .boundingBox();
    if (!b || !proposal) throw new Error('board not laid out');
    await page.mouse.move(b.x + 20, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + 40, b.y + 40, { steps: 5 });
    await page.mouse.move(proposal.x + proposal.width / 2, proposal.y + 120, { steps: 15 });
    await page.mouse.up();
    await page.getByTestId('move-dialog').waitFor();
    await page.screenshot({ path: 'test-results/e2e-move-dialog.png' });
    await page.getByLabel('Amount').fill('1200');
    await page.getByLabel('Expected close date').fill(today);
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await expect
      .poll(async () => (await call(page, 'GET', `/deals/${bare.id}`)).stageId, POLL)
      .toBe(stageId('Proposal'));
    await expect.poll(() => count(page, 'Proposal'), POLL).toBe('1');

    // A lead assigned to me by someone else rings the bell live, over the WebSocket, without a
    // reload: a web form's lead that the assignment rules give me (my own choices notify nobody).
    const me = (await call(page, 'GET', '/auth/me')).user.id;
    await call(page, 'POST', '/lead-assignment-rules', {
      name: 'Everything to Sam',
      strategy: 'user',
      userId: me,
    });
    const form = await call(page, 'POST', '/forms', {
      name: 'Bell form',
      fields: [
        { name: 'first', label: 'First name', leadField: 'firstName', required: true },
        { name: 'last', label: 'Last name', leadField: 'lastName' },
        { name: 'email', label: 'Email', leadField: 'email', required: true },
      ],
    });
    await call(page, 'POST', `/forms/${form.id}/submit`, {
      first: 'Bell',
      last: 'Ringer',
      email: 'bell@ring.example',
    });
    await expect.poll(() => page.getByTestId('unread-count').textContent(), POLL).toBe('1');
    await page.getByTestId('notification-bell').click();
    await page.getByText('A lead was assigned to you').waitFor();
    await page.screenshot({ path: 'test-results/e2e-notifications.png' });
    await page.keyboard.press('Escape');

    // The dashboard draws its charts from the same numbers.
    await page.goto(`${e2e.url}/sales`);
    await page.getByTestId('chart-pipeline').locator('svg').first().waitFor();
    await expect
      .poll(
        () => page.getByTestId('chart-pipeline').locator('.recharts-bar-rectangle').count(),
        POLL,
      )
      .toBeGreaterThan(0);
    await page.screenshot({ path: 'test-results/e2e-sales-dashboard.png', fullPage: true });
    // A number opens the deals behind it: best case = the open deals due this period (two here).
    await page.getByTestId('stat').filter({ hasText: 'Best case' }).click();
    await expect.poll(() => page.getByTestId('deal-row').count(), POLL).toBe(2);
    await expect
      .poll(async () => (await page.getByTestId('deal-row').allTextContents()).join(' '), POLL)
      .toMatch(/Mouse deal[\s\S]*Bare deal|Bare deal[\s\S]*Mouse deal/);
    await page.screenshot({ path: 'test-results/e2e-deal-list.png' });
  });
});
