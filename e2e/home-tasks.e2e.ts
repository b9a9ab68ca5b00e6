import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const SHOTS = process.env.E2E_SHOTS_DIR ?? 'test-results';
const POLL = { timeout: 10_000 };

interface Stage {
  id: string;
  name: string;
  kind: 'open' | 'won' | 'lost';
}
interface Deal {
  id: string;
  version: number;
  amount: number;
  stage: { kind: Stage['kind'] };
}
interface Task {
  id: string;
  subject: string;
  status: 'open' | 'done';
  contactId: string | null;
}

/** POSTs through the page's session and fails the test on anything but 201. */
async function create<T>(page: Page, path: string, body: unknown): Promise<T> {
  const answer = await callApi<T & { error?: unknown }>(page, 'POST', path, body);
  if (answer.error) throw new Error(`POST ${path}: ${JSON.stringify(answer.error)}`);
  return answer;
}

/** A `datetime-local` value for `date` in the browser's zone (the test and Chromium share it). */
const localInput = (date: Date) =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

const rowOf = (page: Page, subject: string) =>
  page.getByTestId('task-row').filter({ hasText: subject });

describe('Home and the Tasks page in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });

  it('shows my overdue task and pipeline on Home, and adds, completes and undoes tasks on /tasks', async () => {
    await mkdir(SHOTS, { recursive: true });
    const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Tess Tasker',
      email: 'tess@tasks.example',
      password: 'tick-it-off-42',
      organization: 'Tasks Co',
    });
    const me = await callApi<{ user: { id: string } }>(page, 'GET', '/auth/me');

    // Seed: an overdue task, a contact to link a new task to, and deals open, won and in another stage.
    const overdue = await create<Task>(page, '/activities', {
      type: 'task',
      subject: 'Call back Ada about the renewal',
      dueAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
    });
    const grace = await create<{ id: string }>(page, '/contacts', {
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    const stages = (await callApi<{ data: Array<{ stages: Stage[] }> }>(page, 'GET', '/pipelines'))
      .data[0]?.stages;
    const open = stages?.filter((s) => s.kind === 'open') ?? [];
    const won = stages?.find((s) => s.kind === 'won');
    if (open.length < 2 || !won) throw new Error('the default pipeline has no open and won stages');
    for (const [name, amount, stage] of [
      ['Acme expansion', 1_200_000, open[0]],
      ['Globex pilot', 350_000, open[0]],
      ['Initech renewal', 800_000, open[1]],
      ['Umbrella won', 990_000, open[0]],
    ] as const)
      await create<Deal>(page, '/deals', { name, amount, currency: 'USD', stageId: stage?.id });
    const deals = await callApi<{ data: Array<Deal & { name: string }> }>(
      page,
      'GET',
      `/deals?filter[ownerId]=${me.user.id}&limit=200`,
    );
    const umbrella = deals.data.find((d) => d.name === 'Umbrella won');
    const moved = await callApi<Deal>(page, 'PATCH', `/deals/${umbrella?.id ?? ''}`, {
      stageId: won.id,
    });
    expect(moved.stage.kind).toBe('won');

    // What Home should count: my deals whose stage is open, as the deals API answers it.
    const mine = await callApi<{ data: Deal[] }>(
      page,
      'GET',
      `/deals?filter[ownerId]=${me.user.id}&limit=200`,
    );
    const openDeals = mine.data.filter((d) => d.stage.kind === 'open');
    expect(openDeals.length).toBeGreaterThan(0);
    const openValue = openDeals.reduce((n, d) => n + d.amount, 0);

    await page.goto(`${e2e.url}/`);
    await page.getByTestId('home-tasks-overdue').getByText(overdue.subject).waitFor();
    await expect
      .poll(() => page.getByTestId('pipeline-open-count').textContent(), POLL)
      .toBe(String(openDeals.length));
    const total = await page.getByTestId('pipeline-open-total').textContent();
    expect(total?.replace(/[^\d]/g, '')).toBe(String(openValue / 100));
    await page.screenshot({ path: `${SHOTS}/e2e-home.png`, fullPage: true });

    // The pipeline number opens the deals it counts.
    await page.getByTestId('pipeline-open-count').click();
    await expect.poll(() => page.getByTestId('deal-row').count(), POLL).toBe(openDeals.length);

    // Tasks page: `n` opens the form; the task is linked to a contact through the record picker.
    await page.getByTestId('nav-tasks').click();
    await rowOf(page, overdue.subject).waitFor();
    await page.keyboard.press('n');
    await page.getByTestId('task-subject').fill('Send Grace the signed order form');
    const tomorrow = new Date(Date.now() + 86_400_000);
    tomorrow.setHours(10, 0, 0, 0);
    await page.getByTestId('task-due-input').fill(localInput(tomorrow));
    await page.getByTestId('task-link-type').selectOption('contactId');
    await page.getByPlaceholder('Search name or email').fill('Hopper');
    await page.getByRole('option', { name: /Grace Hopper/ }).click();
    await page.getByTestId('task-link-record').getByText('Grace Hopper').waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-new-task.png` });
    await page.getByTestId('task-submit').click();
    const added = rowOf(page, 'Send Grace the signed order form');
    await added.getByText('Grace Hopper').waitFor();
    await added.getByText('Due tomorrow').waitFor();

    // Complete it in place: it leaves the open list and shows under Done.
    await added.getByTestId('task-done').check();
    await page.getByText('Done: Send Grace the signed order form').waitFor();
    await expect.poll(() => added.count(), POLL).toBe(0);
    await page.getByTestId('task-filter-done').click();
    await expect
      .poll(() => rowOf(page, 'Send Grace the signed order form').getAttribute('data-status'), POLL)
      .toBe('done');
    const tasks = await callApi<{ data: Task[] }>(
      page,
      'GET',
      '/activities?filter[type]=task&filter[status]=done&assignee=me',
    );
    expect(tasks.data.map((t) => [t.subject, t.contactId])).toEqual([
      ['Send Grace the signed order form', grace.id],
    ]);

    // Keyboard: j moves to the overdue task, x completes it, and the toast's Undo reopens it.
    await page.getByTestId('task-filter-overdue').click();
    await rowOf(page, overdue.subject).waitFor();
    await page.keyboard.press('j');
    await expect
      .poll(() => rowOf(page, overdue.subject).getAttribute('aria-current'), POLL)
      .toBe('true');
    await page.keyboard.press('x');
    // The earlier completion's toast may still be up: take the Undo of this one.
    await page
      .locator('[data-sonner-toast]')
      .filter({ hasText: `Done: ${overdue.subject}` })
      .getByRole('button', { name: 'Undo' })
      .click();
    await expect
      .poll(
        async () => (await callApi<Task>(page, 'GET', `/activities/${overdue.id}`)).status,
        POLL,
      )
      .toBe('open');
    await rowOf(page, overdue.subject).waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-tasks.png`, fullPage: true });

    // The command palette offers the page and its "New task" action from anywhere.
    await page.getByTestId('nav-home').click();
    await page.keyboard.press('Control+k');
    await page.getByTestId('command-palette').locator('input').fill('new task');
    await page.keyboard.press('Enter');
    await page.getByTestId('task-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/tasks');
  });
});
