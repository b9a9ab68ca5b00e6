import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeFromKeyboard } from './canvas.js';
import { useServerAndBrowser } from './server.js';

const POLL = { timeout: 20_000 };

interface Answer {
  id: string;
  version: number;
  data: Array<{ subject?: string }>;
  draft: Record<string, unknown>;
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

/** A new organization with its first user, signed in on `page`. */
async function signUp(
  page: Page,
  url: string,
  name: string,
  email: string,
  organization: string,
): Promise<void> {
  await page.goto(`${url}/signup`);
  await page.getByTestId('signup-name').fill(name);
  await page.getByTestId('signup-email').fill(email);
  await page.getByTestId('signup-password').fill('flow-flow-flow-1');
  await page.getByTestId('signup-organization').fill(organization);
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('app-shell').waitFor();
}

describe('the workflow builder in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });

  it("builds lead created → create task, publishes, runs it on a new lead, and shows a broken draft's problems", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1500, height: 950 } });
    await signUp(page, e2e.url, 'Wendy Flow', 'wendy@flow.example', 'Flow Co');

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

    await call(page, 'POST', '/leads', {
      firstName: 'Lena',
      lastName: 'Lead',
      email: 'lena@lead.example',
    });
    await page.getByTestId('runs-link').click();
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('[data-testid="run-row"]').first().textContent();
      }, POLL)
      .toContain('succeeded');
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
    expect(await page.getByTestId('publish-problems').textContent()).toMatch(
      /Branch \(if \/ else\) › condition: add at least one rule/,
    );
    await page.screenshot({ path: 'test-results/e2e-workflow-broken-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: 'test-results/e2e-workflow-broken-light.png' });
  });

  it("builds a workflow through the side panel's forms, checks fields as they are typed, and saves the definition they describe", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1500, height: 1100 } });
    await signUp(page, e2e.url, 'Fran Forms', 'fran@forms.example', 'Forms Co');
    await page.goto(`${e2e.url}/workflows`);
    await page.getByTestId('new-workflow').click();
    await page.getByTestId('wf-name').fill('Call qualified leads');
    await page.getByTestId('wf-create').click();
    await page.getByTestId('canvas').waitFor();
    const id = /\/workflows\/([^/?]+)/.exec(page.url())?.[1] ?? '';
    const panel = page.getByTestId('node-panel');

    // The trigger, opened from the keyboard: Tab to its node on the canvas and press Enter.
    await openNodeFromKeyboard(page, 'trigger:start', 'trigger-form');
    expect(await page.evaluate<string>('document.activeElement?.id')).toBe('node-panel-title');
    await page.getByTestId('trigger-type').selectOption('record_updated');
    await page.getByTestId('trigger-object').selectOption('lead');
    await page.getByTestId('trigger-fields').getByLabel('Status', { exact: true }).check();
    await page.getByTestId('trigger-to-value').fill('qualified');
    // An entry condition: the lead has an email.
    await page.getByTestId('entry-conditions').getByTestId('cond-add-rule').click();
    const rule = page.getByTestId('entry-conditions').getByTestId('cond-rule');
    await rule.getByTestId('cond-field').selectOption('email');
    await rule.getByTestId('cond-op').selectOption('isNotEmpty');
    expect(await rule.getByTestId('cond-value').count()).toBe(0);
    await panel.screenshot({ path: 'test-results/e2e-workflow-panel-trigger.png' });
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    await expect
      .poll(() => page.evaluate<string>("document.activeElement?.getAttribute('data-id')"))
      .toBe('trigger:start');

    // A create_task step whose subject gets a placeholder from the "Insert field" menu.
    await page.getByTestId('add-step-type').selectOption('create_task');
    await page.getByTestId('add-step').click();
    await page.getByTestId('step-form').waitFor();
    await page.getByTestId('step-subject').fill('');
    expect(await panel.getByRole('alert').first().textContent()).toBe('give the task a subject');
    await page.getByTestId('step-subject').fill('Call ');
    await page.getByTestId('step-subject-insert').click();
    await page.locator('[data-testid="placeholder-item"][data-token="{{lead.firstName}}"]').click();
    await expect
      .poll(() => page.getByTestId('step-subject').inputValue())
      .toBe('Call {{lead.firstName}}');
    expect(await page.evaluate<string>("document.activeElement?.getAttribute('data-testid')")).toBe(
      'step-subject',
    );
    await page.keyboard.type(' today');
    await page.getByTestId('step-due').fill('400');
    expect(await panel.getByText('must be a whole number of days from 0 to 365').count()).toBe(1);
    // Publish refuses what the forms know is wrong, names it, and the entry opens the step.
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-problems').waitFor(POLL);
    expect(await page.getByTestId('publish-problems').textContent()).toContain(
      'Create task › due in days: must be a whole number of days from 0 to 365',
    );
    await page.getByTestId('step-due').fill('2');
    await page.getByTestId('step-retry').fill('5');
    await page.getByTestId('step-name').fill('Call the lead');
    await panel.screenshot({ path: 'test-results/e2e-workflow-panel-task.png' });

    await page.getByTestId('publish').click();
    await expect.poll(() => page.getByTestId('toggle-enabled').isEnabled(), POLL).toBe(true);
    const saved = await call(page, 'GET', `/workflows/${id}`);
    const stepId = (saved.draft.steps as Array<{ id: string }>)[0]?.id;
    expect(saved.draft).toMatchObject({
      trigger: { type: 'record_updated', object: 'lead', fields: ['status'], toValue: 'qualified' },
      conditions: { match: 'all', rules: [{ field: 'email', op: 'isNotEmpty' }] },
      start: stepId,
      steps: [
        {
          id: stepId,
          type: 'create_task',
          name: 'Call the lead',
          retry: { maxAttempts: 5 },
          subject: 'Call {{lead.firstName}} today',
          dueInDays: 2,
          assignTo: 'owner',
          next: null,
        },
      ],
    });

    // And it runs as built: qualifying a lead with an email creates the task with the name filled in.
    await page.getByTestId('toggle-enabled').click();
    await expect.poll(() => page.getByTestId('toggle-enabled').textContent(), POLL).toBe('Disable');
    const lead = await call(page, 'POST', '/leads', {
      firstName: 'Quinn',
      lastName: 'Qualified',
      email: 'quinn@lead.example',
    });
    await call(page, 'PATCH', `/leads/${lead.id}`, { status: 'qualified' });
    await expect
      .poll(
        async () =>
          (await call(page, 'GET', '/activities?limit=50')).data.some(
            (t) => t.subject === 'Call Quinn today',
          ),
        POLL,
      )
      .toBe(true);
  });
});
