import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const POLL = { timeout: 10_000 };

interface Pipelines {
  data: Array<{ id: string; stages: Array<{ id: string; name: string }> }>;
}
interface DealAnswer {
  id: string;
  stageId: string;
}

const column = (page: Page, stage: string) =>
  page.locator(`[data-testid="board-column"][data-stage="${stage}"]`);

/** Presses the pointer on a card, moves it in steps to `to` (page coordinates) and keeps it held. */
async function pickUpAndMove(page: Page, card: Locator, to: { x: number; y: number }) {
  const from = await card.boundingBox();
  if (!from) throw new Error('card not laid out');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height - 8);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 20, from.y + from.height + 20, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 15 });
}

describe('the deals board', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });

  it('drags with an overlay, drops on won, keeps headers in view and toggles to the list', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Bo Board',
      email: 'bo@board.example',
      password: 'drag-and-drop-1',
      organization: 'Board Co',
    });
    const pipelines = await callApi<Pipelines>(page, 'GET', '/pipelines');
    const stages = pipelines.data[0]?.stages ?? [];
    const stageId = (name: string) => stages.find((s) => s.name === name)?.id ?? '';
    const create = (name: string, stage: string) =>
      callApi<DealAnswer>(page, 'POST', '/deals', {
        name,
        amount: 150_000,
        stageId: stageId(stage),
      });
    // Enough cards for the first column to scroll; the newest is on top.
    for (let i = 1; i <= 14; i++) await create(`Filler ${i}`, 'Qualification');
    const dragged = await create('Dragged deal', 'Qualification');
    const winner = await create('Winner deal', 'Qualification');
    const keyed = await create('Keyed deal', 'Discovery');

    await page.goto(`${e2e.url}/deals`);
    await column(page, 'Qualification').waitFor();
    await expect
      .poll(() => column(page, 'Qualification').getByTestId('column-count').textContent(), POLL)
      .toBe('16');
    // The card's link sits beside its drag button, never inside it (axe: nested-interactive).
    expect(await page.locator('[data-testid="deal-card"] [role="button"] a').count()).toBe(0);
    expect(await page.locator('[data-testid="deal-card"][role="button"]').count()).toBe(0);

    // Drag to Discovery: while held, the overlay follows the pointer and the won/lost bar is up.
    const target = await column(page, 'Discovery').boundingBox();
    if (!target) throw new Error('board not laid out');
    await pickUpAndMove(page, page.locator(`[data-deal-id="${dragged.id}"]`), {
      x: target.x + target.width / 2,
      y: target.y + 200,
    });
    const overlay = page.getByTestId('deal-drag-overlay');
    await overlay.waitFor();
    const box = await overlay.boundingBox();
    expect(box && box.x > target.x - box.width && box.x < target.x + target.width).toBe(true);
    expect(await overlay.textContent()).toContain('Dragged deal');
    await page.getByTestId('drop-zones').waitFor();
    await page.screenshot({ path: 'test-results/e2e-board-dragging.png' });
    await page.mouse.up();
    await expect
      .poll(
        async () => (await callApi<DealAnswer>(page, 'GET', `/deals/${dragged.id}`)).stageId,
        POLL,
      )
      .toBe(stageId('Discovery'));
    await expect.poll(() => overlay.count(), POLL).toBe(0);
    await expect.poll(() => page.getByTestId('drop-zones').count(), POLL).toBe(0);

    // Drop on the "Closed won" zone of the bottom bar, whichever column lies beneath it.
    await page.waitForLoadState('networkidle');
    const card = page.locator(`[data-deal-id="${winner.id}"]`);
    const start = await card.boundingBox();
    if (!start) throw new Error('card not laid out');
    await page.mouse.move(start.x + start.width / 2, start.y + start.height - 8);
    await page.mouse.down();
    await page.mouse.move(start.x + start.width / 2 + 20, start.y + 60, { steps: 5 });
    const won = page.getByTestId('drop-won');
    await won.waitFor();
    const zone = await won.boundingBox();
    if (!zone) throw new Error('won zone not laid out');
    expect(zone.y + zone.height).toBeLessThanOrEqual(900);
    await page.mouse.move(zone.x + zone.width / 2, zone.y + zone.height / 2, { steps: 15 });
    await page.mouse.move(zone.x + zone.width / 2 + 4, zone.y + zone.height / 2, { steps: 2 });
    await page.screenshot({ path: 'test-results/e2e-board-drop-won.png' });
    await page.mouse.up();
    await expect
      .poll(
        async () => (await callApi<DealAnswer>(page, 'GET', `/deals/${winner.id}`)).stageId,
        POLL,
      )
      .toBe(stageId('Closed won'));

    // Keyboard: from the card's grip, Space, one → jumps a whole column, Space drops.
    await page.waitForLoadState('networkidle');
    await page.locator(`[data-deal-id="${keyed.id}"] [data-testid="deal-drag-handle"]`).focus();
    // Each press is announced before the next: the sensor reads where the card is from the last render.
    const live = page.locator('[id^="DndLiveRegion"]');
    await page.keyboard.press('Space');
    await expect.poll(() => live.textContent(), POLL).toContain('Over Discovery');
    for (const [key, stage] of [
      ['ArrowRight', 'Proposal'],
      ['ArrowLeft', 'Discovery'],
      ['ArrowLeft', 'Qualification'],
    ] as const) {
      await page.keyboard.press(key);
      await expect.poll(() => live.textContent(), POLL).toContain(`Over ${stage}`);
    }
    await page.keyboard.press('Space');
    await expect
      .poll(
        async () => (await callApi<DealAnswer>(page, 'GET', `/deals/${keyed.id}`)).stageId,
        POLL,
      )
      .toBe(stageId('Qualification'));

    // A column scrolls on its own, and its header stays where it was.
    await page.waitForLoadState('networkidle');
    const qualification = column(page, 'Qualification');
    const header = qualification.getByTestId('column-header');
    const before = await header.boundingBox();
    const scrolled = await qualification
      .getByTestId('column-scroll')
      .evaluate((el) => ((el.scrollTop = el.scrollHeight), el.scrollTop));
    expect(scrolled).toBeGreaterThan(100);
    const after = await header.boundingBox();
    expect(after?.y).toBe(before?.y);
    expect(await header.isVisible()).toBe(true);
    // The page itself did not scroll: the board fits the window.
    expect(await page.evaluate('window.scrollY')).toBe(0);
    await page.screenshot({ path: 'test-results/e2e-board-scrolled.png' });

    // Search narrows the board, and the list keeps the same filters.
    await page.getByLabel('Search').fill('winner');
    await expect.poll(() => page.url(), POLL).toContain('q=winner');
    await expect.poll(() => page.getByTestId('deal-card').count(), POLL).toBe(1);
    await page.getByTestId('view-list').click();
    await expect
      .poll(() => page.getByTestId('deal-row').allTextContents(), POLL)
      .toEqual([expect.stringContaining('Winner deal')]);
    await page.getByLabel('Search').fill('');
    await expect.poll(() => page.getByTestId('deal-row').count(), POLL).toBe(17);
    await page.getByTestId('view-board').click();
    await expect
      .poll(() => column(page, 'Closed won').getByTestId('column-count').textContent(), POLL)
      .toBe('1');
  });
});
