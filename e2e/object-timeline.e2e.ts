import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const SHOTS = process.env.E2E_SHOTS_DIR ?? 'test-results';
/** UI reads retry until they match: long enough for a busy machine. */
const POLL = { timeout: 15_000 };

interface Activity {
  id: string;
  type: string;
  subject: string;
  status: string;
  links: Array<{ objectType: string; recordId: string }>;
}

describe("a custom object's timeline in the browser", () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  beforeAll(() => mkdir(SHOTS, { recursive: true }).then(() => undefined));

  it('adds a note and a task on a custom object record and sees them in its timeline', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Tina Timeline',
      email: 'tina@timeline.example',
      password: 'timeline-timeline-1',
      organization: 'Timeline Co',
    });
    await callApi(page, 'POST', '/objects', {
      key: 'project',
      labels: { singular: 'Project', plural: 'Projects' },
      fields: [{ key: 'budget', label: 'Budget', type: 'number' }],
    });
    const project = await callApi<{ id: string }>(page, 'POST', '/projects', {
      name: 'Office move',
    });
    await page.goto(`${e2e.url}/projects/${project.id}`);
    await page.getByTestId('project-record').waitFor();
    await page.getByText('Nothing logged yet').waitFor();

    // A note: logged at once, listed under the record.
    await page.locator('#act-subject').fill('Landlord agreed to the dates');
    await page.locator('#act-body').fill('Keys on the 1st');
    await page.getByTestId('log-activity').click();
    await page
      .getByTestId('activities-list')
      .getByText('Landlord agreed to the dates')
      .waitFor(POLL);

    // A task with a due time: open, on top of the list.
    await page.locator('#act-type').selectOption('task');
    await page.locator('#act-subject').fill('Book the movers');
    await page.locator('#act-due').fill('2031-05-02T10:00');
    await page.getByTestId('log-activity').click();
    await expect
      .poll(() => page.getByTestId('activity-item').first().textContent(), POLL)
      .toContain('Book the movers');

    // The history tab: both activities and the record's own creation.
    await page.getByRole('tab', { name: 'History' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('Book the movers').waitFor(POLL);
    await timeline.getByText('Landlord agreed to the dates').waitFor();
    await page.screenshot({ path: `${SHOTS}/custom-object-timeline.png`, fullPage: true });

    // The API agrees: both are linked to the project, and the task is still open.
    const linked = await callApi<{ data: Activity[] }>(
      page,
      'GET',
      `/activities?filter[linkedTo]=project:${project.id}`,
    );
    expect(linked.data.map((a) => [a.type, a.subject, a.status]).sort()).toEqual([
      ['note', 'Landlord agreed to the dates', 'done'],
      ['task', 'Book the movers', 'open'],
    ]);
    expect(linked.data[0]?.links).toEqual([{ objectType: 'project', recordId: project.id }]);
  });
});
