import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeFromKeyboard } from './canvas.js';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const SHOTS = process.env.E2E_SHOTS_DIR ?? 'test-results';
/** UI reads retry until they match: long enough for a busy machine. */
const POLL = { timeout: 20_000 };

interface Project {
  id: string;
  name: string;
  budget: number | null;
}

describe('workflows on objects the builder learns from GET /objects', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  beforeAll(() => mkdir(SHOTS, { recursive: true }).then(() => undefined));

  it("builds 'project created, budget at least 1,000 → update the project', and runs it on a project made in the app", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await signUp(page, e2e.url, {
      name: 'Pia Projects',
      email: 'pia@projects.example',
      password: 'project-project-1',
      organization: 'Projects Co',
    });
    await callApi(page, 'POST', '/objects', {
      key: 'project',
      labels: { singular: 'Project', plural: 'Projects' },
      fields: [{ key: 'budget', label: 'Budget', type: 'number' }],
    });

    // The new-workflow dialog offers the custom object by its label.
    await page.goto(`${e2e.url}/workflows`);
    await page.getByTestId('new-workflow').click();
    await page.getByTestId('wf-name').fill('Flag big projects');
    await page.getByTestId('wf-trigger').selectOption('record_created');
    await page.getByTestId('wf-object').selectOption('project');
    expect(await page.getByTestId('wf-object').locator('option:checked').textContent()).toBe(
      'Project',
    );
    await page.getByTestId('wf-create').click();
    await page.getByTestId('canvas').waitFor();
    const id = /\/workflows\/([^/?]+)/.exec(page.url())?.[1] ?? '';

    // The trigger panel: Project chosen, and an entry condition on its Budget field.
    await openNodeFromKeyboard(page, 'trigger:start', 'trigger-form');
    const panel = page.getByTestId('node-panel');
    expect(await page.getByTestId('trigger-object').inputValue()).toBe('project');
    await page.getByTestId('entry-conditions').getByTestId('cond-add-rule').click();
    const rule = page.getByTestId('entry-conditions').getByTestId('cond-rule');
    expect(await rule.getByTestId('cond-field').locator('option').allTextContents()).toContain(
      'Budget',
    );
    await rule.getByTestId('cond-field').selectOption('budget');
    await rule.getByTestId('cond-op').selectOption('gte');
    await rule.getByTestId('cond-value').fill('1000');
    await page.screenshot({ path: `${SHOTS}/workflow-builder-custom-object-trigger.png` });
    await page.keyboard.press('Escape');

    // An update-record step that renames the project with a placeholder of its own fields.
    await page.getByTestId('add-step-type').selectOption('update_record');
    await page.getByTestId('add-step').click();
    await page.getByTestId('step-form').waitFor();
    expect(await panel.textContent()).toContain('Changes the project that started the run.');
    await page.getByTestId('value-add').click();
    await page.getByTestId('value-field').selectOption('name');
    await page.getByTestId('value-input').fill('Big: ');
    await page.getByTestId('value-input-insert').click();
    await page.locator('[data-testid="placeholder-item"][data-token="{{project.name}}"]').click();
    await expect
      .poll(() => page.getByTestId('value-input').inputValue())
      .toBe('Big: {{project.name}}');
    await page.getByTestId('value-input-insert').click();
    await page.getByTestId('placeholder-item').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/workflow-builder-custom-object-step.png` });
    await page.keyboard.press('Escape');

    await page.getByTestId('publish').click();
    await expect.poll(() => page.getByTestId('toggle-enabled').isEnabled(), POLL).toBe(true);
    await page.getByTestId('toggle-enabled').click();
    await expect.poll(() => page.getByTestId('toggle-enabled').textContent(), POLL).toBe('Disable');
    const saved = await callApi<{ draft: Record<string, unknown> }>(
      page,
      'GET',
      `/workflows/${id}`,
    );
    expect(saved.draft).toMatchObject({
      trigger: { type: 'record_created', object: 'project' },
      conditions: { match: 'all', rules: [{ field: 'budget', op: 'gte', value: 1000 }] },
      steps: [{ type: 'update_record', values: { name: 'Big: {{project.name}}' } }],
    });

    // A project created in the app starts it; the run succeeds and the project is renamed.
    await page.getByTestId('nav-object-project').click();
    await page.getByTestId('new-record').click();
    await page.locator('#new-project-name').fill('Data platform');
    await page.locator('#new-project-budget').fill('5000');
    await page.getByTestId('create-submit').click();
    await page.getByTestId('project-record').waitFor();
    const projectId = /\/projects\/([^/?]+)/.exec(page.url())?.[1] ?? '';

    await page.goto(`${e2e.url}/workflows/${id}/runs`);
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('[data-testid="run-row"]').first().textContent();
      }, POLL)
      .toContain('succeeded');
    expect(await page.getByTestId('run-record').first().textContent()).toBe('Project');
    await page.screenshot({ path: `${SHOTS}/workflow-custom-object-runs.png` });
    const project = await callApi<Project>(page, 'GET', `/projects/${projectId}`);
    expect(project).toMatchObject({ name: 'Big: Data platform', budget: 5000 });
    // The run links to the project's page, named by the object's label.
    await page.getByTestId('run-record').first().click();
    await page.waitForURL(`**/projects/${projectId}`);
    await page.getByTestId('project-record').getByText('Big: Data platform').first().waitFor();
  });

  it('lists Notes in the sidebar and creates a note from its list page', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Nora Notes',
      email: 'nora@notes.example',
      password: 'notes-notes-notes-1',
      organization: 'Notes Co',
    });
    const nav = page.getByTestId('objects-nav');
    expect(await nav.getByTestId('nav-object-note').textContent()).toBe('Notes');
    await nav.getByTestId('nav-object-note').click();
    await page.getByTestId('new-record').click();
    await page.locator('#new-note-name').fill('Kick-off call');
    await page.getByTestId('create-submit').click();
    await page.getByTestId('note-record').waitFor();
    await page.getByTestId('nav-object-note').click();
    await expect
      .poll(() => page.getByTestId('record-link').allTextContents(), POLL)
      .toEqual(['Kick-off call']);
    await page.screenshot({ path: `${SHOTS}/notes-list.png` });
  });
});
