import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const POLL = { timeout: 15_000 };
interface TicketAnswer {
  id: string;
  number: number;
  status: string;
  priority: string;
  contactId: string | null;
  solvedAt: string | null;
  tags: string[];
}

describe('tickets in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });

  it('opens a ticket from the empty queue, changes its status on the record page and runs a workflow on it', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1400, height: 950 } });
    await signUp(page, e2e.url, {
      name: 'Sue Port',
      email: 'sue@desk.example',
      password: 'help-help-help-1',
      organization: 'Help Desk Co',
    });
    const ada = await callApi<{ id: string }>(page, 'POST', '/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@engines.example',
    });

    // The sidebar leads to an empty queue that says what to do.
    await page.getByRole('link', { name: 'Tickets' }).click();
    await page.getByTestId('empty-state').getByText('No tickets yet').waitFor();
    await page.screenshot({ path: 'test-results/e2e-tickets-empty.png' });

    await page.getByTestId('new-record').click();
    await page.getByTestId('ticket-subject').fill('Engine will not start');
    await page.getByTestId('ticket-description').fill('Cranked it twice, nothing.');
    await page.getByTestId('ticket-pick-contact').click();
    await page.getByRole('option', { name: /Ada Lovelace/ }).click();
    await page.getByTestId('ticket-contact').getByText('Ada Lovelace').waitFor();
    await page.getByTestId('ticket-priority').selectOption('high');
    await page.screenshot({ path: 'test-results/e2e-ticket-new.png' });
    await page.getByTestId('ticket-create').click();

    await page.getByTestId('ticket-record').waitFor();
    const id = page.url().split('/').pop() ?? '';
    const created = await callApi<TicketAnswer>(page, 'GET', `/tickets/${id}`);
    expect(created).toMatchObject({
      number: 1,
      status: 'new',
      priority: 'high',
      contactId: ada.id,
    });
    await page.getByTestId('ticket-customer').getByText('ada@engines.example').waitFor();

    // Status: a click on "Solved" solves it and stamps the time.
    await page.getByTestId('ticket-status').getByRole('button', { name: 'Solved' }).click();
    await expect
      .poll(async () => (await callApi<TicketAnswer>(page, 'GET', `/tickets/${id}`)).status, POLL)
      .toBe('solved');
    expect((await callApi<TicketAnswer>(page, 'GET', `/tickets/${id}`)).solvedAt).not.toBeNull();
    await expect
      .poll(
        () =>
          page
            .getByTestId('ticket-status')
            .getByRole('button', { name: 'Solved' })
            .getAttribute('aria-current'),
        POLL,
      )
      .toBe('step');
    // Priority edits in place like any record field.
    await page.getByTestId('field-priority').click();
    await page.getByTestId('ticket-fields').locator('select').selectOption('urgent');
    await expect
      .poll(async () => (await callApi<TicketAnswer>(page, 'GET', `/tickets/${id}`)).priority, POLL)
      .toBe('urgent');
    await page.screenshot({ path: 'test-results/e2e-ticket-record.png', fullPage: true });

    // A manual ticket workflow shows in the record's Run workflow menu and runs on this ticket.
    const wf = await callApi<{ id: string }>(page, 'POST', '/workflows', {
      name: 'Ask for feedback',
      draft: {
        trigger: { type: 'manual', object: 'ticket' },
        conditions: null,
        start: 'tag',
        steps: [{ id: 'tag', type: 'add_tag', tag: 'feedback-asked', next: null }],
        layout: {},
      },
    });
    expect(
      await callApi<{ publishedVersion: number }>(page, 'POST', `/workflows/${wf.id}/publish`, {}),
    ).toMatchObject({ publishedVersion: 1 });
    expect(
      await callApi<{ enabled: boolean }>(page, 'PATCH', `/workflows/${wf.id}`, { enabled: true }),
    ).toMatchObject({ enabled: true });
    await page.reload();
    await page.getByTestId('run-workflow').click();
    await page.getByRole('menuitem', { name: 'Ask for feedback' }).click();
    await expect
      .poll(async () => (await callApi<TicketAnswer>(page, 'GET', `/tickets/${id}`)).tags, POLL)
      .toEqual(['feedback-asked']);

    // Back in the queue, the status filter finds it and hides it from the unsolved view.
    await page.goto(`${e2e.url}/tickets`);
    await page.getByTestId('ticket-status-filter').selectOption('solved');
    await expect.poll(() => page.getByTestId('record-row').count(), POLL).toBe(1);
    await page.getByTestId('ticket-status-filter').selectOption({ label: 'Unsolved' });
    await page.getByText('No ticket matches').waitFor();
    await page.getByTestId('ticket-status-filter').selectOption('');
    await page.getByTestId('record-row').first().waitFor();
    await page.screenshot({ path: 'test-results/e2e-tickets-list.png' });
  });

  it('sorts the queue by priority from the header, keeps a status filter across a reload and assigns two tickets at once', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1400, height: 950 } });
    await signUp(page, e2e.url, {
      name: 'Quinn Queue',
      email: 'quinn@queue.example',
      password: 'queue-queue-queue-1',
      organization: 'Queue Co',
    });
    const me = await callApi<{ user: { id: string } }>(page, 'GET', '/auth/me');
    const plan = [
      ['Feature idea', 'low', 'open'],
      ['Printer on fire', 'urgent', 'open'],
      ['Typo on invoice', 'normal', 'pending'],
      ['Login slow', 'high', 'open'],
    ] as const;
    const made: Record<string, string> = {};
    for (const [subject, priority, status] of plan)
      made[subject] = (
        await callApi<TicketAnswer>(page, 'POST', '/tickets', {
          subject,
          priority,
          status,
          ownerId: null,
        })
      ).id;
    const subjects = () => page.getByTestId('record-link').allTextContents();

    // Priority sorts in its own order, not the alphabet's: low → urgent, then urgent → low.
    await page.goto(`${e2e.url}/tickets`);
    await page.getByTestId('record-row').nth(3).waitFor();
    await page.getByTestId('sort-priority').click();
    await expect
      .poll(subjects, POLL)
      .toEqual(['Feature idea', 'Typo on invoice', 'Login slow', 'Printer on fire']);
    await page.getByTestId('sort-priority').click();
    await expect
      .poll(subjects, POLL)
      .toEqual(['Printer on fire', 'Login slow', 'Typo on invoice', 'Feature idea']);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-priority');
    await page.screenshot({ path: 'test-results/e2e-tickets-sorted.png' });

    // The status filter is in the address: a reload keeps it, and the sort with it.
    await page.getByTestId('ticket-status-filter').selectOption('open');
    await expect
      .poll(() => new URL(page.url()).searchParams.get('filter[status]'), POLL)
      .toBe('open');
    await expect.poll(subjects, POLL).toEqual(['Printer on fire', 'Login slow', 'Feature idea']);
    await page.reload();
    await expect.poll(subjects, POLL).toEqual(['Printer on fire', 'Login slow', 'Feature idea']);
    await expect(page.getByTestId('ticket-status-filter').inputValue()).resolves.toBe('open');
    await expect(page.getByTestId('record-count').textContent()).resolves.toBe('3 tickets');

    // Two of the unassigned tickets get an assignee in one go; the third stays in the queue.
    for (const subject of ['Printer on fire', 'Feature idea'])
      await page
        .getByTestId('record-row')
        .filter({ hasText: subject })
        .getByRole('checkbox')
        .check();
    await page.getByTestId('bulk-bar').getByText('2 selected').waitFor();
    await page.screenshot({ path: 'test-results/e2e-tickets-bulk.png' });
    await page.getByTestId('bulk-assign').click();
    await page.getByTestId('bulk-owner').selectOption(me.user.id);
    await page.getByTestId('bulk-apply').click();
    await page.getByText('2 tickets changed').waitFor();
    const owner = async (subject: string) =>
      (
        await callApi<TicketAnswer & { ownerId: string | null }>(
          page,
          'GET',
          `/tickets/${made[subject] ?? ''}`,
        )
      ).ownerId;
    await expect.poll(() => owner('Printer on fire'), POLL).toBe(me.user.id);
    expect(await owner('Feature idea')).toBe(me.user.id);
    expect(await owner('Login slow')).toBeNull();
    expect(await owner('Typo on invoice')).toBeNull();
    await page
      .getByTestId('record-row')
      .filter({ hasText: 'Printer on fire' })
      .getByText('Quinn Queue')
      .waitFor();
  });
});
