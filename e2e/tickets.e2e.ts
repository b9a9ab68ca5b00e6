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

    await page.getByTestId('new-ticket').click();
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
    await expect.poll(() => page.getByTestId('ticket-row').count(), POLL).toBe(1);
    await page.getByTestId('ticket-status-filter').selectOption({ label: 'Unsolved' });
    await page.getByText('No ticket matches').waitFor();
    await page.getByTestId('ticket-status-filter').selectOption('');
    await page.getByTestId('ticket-row').first().waitFor();
    await page.screenshot({ path: 'test-results/e2e-tickets-list.png' });
  });
});
