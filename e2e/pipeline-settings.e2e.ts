import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signUp, useServerAndBrowser } from './server.js';

/** UI reads retry until they match: long enough for a busy machine. */
const POLL = { timeout: 15_000 };
const SHOTS = process.env.E2E_SHOTS_DIR ?? '/tmp';

interface Stage {
  id: string;
  name: string;
  probability: number;
  rottingDays: number | null;
  requiredFields: string[];
}
interface Pipeline {
  id: string;
  name: string;
  isDefault: boolean;
  stages: Stage[];
}
interface Quota {
  id: string;
  userId: string | null;
  amount: number;
}

const pipelineNamed = async (page: Page, name: string): Promise<Pipeline | undefined> =>
  (await callApi<{ data: Pipeline[] }>(page, 'GET', '/pipelines?limit=200')).data.find(
    (p) => p.name === name,
  );
const stageNames = (page: Page) =>
  page
    .getByTestId('stage-name')
    .evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));

/** Invites a user with a role and signs them in through the login page of a fresh browser page. */
async function signInWithRole(admin: Page, url: string, role: string, email: string) {
  const roles = await callApi<{ data: Array<{ id: string; key: string }> }>(admin, 'GET', '/roles');
  await callApi(admin, 'POST', '/users/invitations', {
    email,
    roleId: roles.data.find((r) => r.key === role)?.id,
  });
  const mail = await callApi<{ data: Array<{ id: string; to: string }> }>(admin, 'GET', '/mailbox');
  const id = mail.data.find((m) => m.to === email)?.id ?? '';
  const full = await callApi<{ text?: string; html?: string | null }>(
    admin,
    'GET',
    `/mailbox/${id}`,
  );
  const token = /token=([\w-]+)/.exec(`${full.text ?? ''} ${full.html ?? ''}`)?.[1] ?? '';
  const password = 'agent-agent-agent-1';
  const res = await fetch(`${url}/api/v1/invitations/accept`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token, name: 'Sid Support', password }),
  });
  expect(res.status).toBe(201);
  const context = await admin
    .context()
    .browser()
    ?.newContext({ viewport: { width: 1280, height: 900 } });
  if (!context) throw new Error('no browser');
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-shell').waitFor();
  return page;
}

describe('pipeline and quota settings in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  let admin: Page;

  beforeAll(async () => {
    admin = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    admin.on('dialog', (d) => void d.accept());
    await signUp(admin, e2e.url, {
      name: 'Polly Pipeline',
      email: 'polly@stages.example',
      password: 'stages-stages-12',
      organization: 'Stages Co',
    });
  }, 120_000);

  it('creates a pipeline, adds and reorders a stage by keyboard, requires a field, and saves it', async () => {
    const page = admin;
    await page.goto(`${e2e.url}/settings/profile`);
    await page.getByTestId('settings-pipelines').click();
    await page.getByTestId('pipeline-editor').waitFor();

    await page.getByTestId('new-pipeline-name').fill('Enterprise');
    await page.getByTestId('create-pipeline').click();
    await expect
      .poll(() => page.getByTestId('pipeline-name').inputValue(), POLL)
      .toBe('Enterprise');
    expect(await stageNames(page)).toEqual([
      'Qualification',
      'Discovery',
      'Proposal',
      'Negotiation',
      'Closed won',
      'Closed lost',
    ]);

    // A new stage goes before the closed ones; the keyboard moves it up to second place.
    await page.getByTestId('stage-add').click();
    await page.getByLabel('Name of stage 5').fill('Security review');
    await page.getByLabel('Probability of Security review (%)').fill('40');
    await page.getByLabel('Rotting days of Security review (empty: never)').fill('10');
    await page.getByRole('button', { name: 'Move Security review up' }).focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Enter');
    await expect
      .poll(() => stageNames(page), POLL)
      .toEqual([
        'Qualification',
        'Security review',
        'Discovery',
        'Proposal',
        'Negotiation',
        'Closed won',
        'Closed lost',
      ]);

    await page.getByRole('button', { name: /^Required fields of Security review/ }).click();
    await page.getByRole('checkbox', { name: 'Amount' }).check();
    await page.keyboard.press('Escape');
    await page.getByTestId('pipeline-unsaved').waitFor();
    await page.screenshot({ path: `${SHOTS}/sales-settings-pipeline-editing.png` });

    // A probability the API would refuse is caught next to its field, and nothing is sent.
    await page.getByLabel('Probability of Discovery (%)').fill('150');
    await page.getByTestId('pipeline-save').click();
    await page.getByText('Enter a whole number from 0 to 100').waitFor();
    // The API's own rule (unique names) comes back from the 422 and is shown on the page.
    await page.getByLabel('Probability of Discovery (%)').fill('25');
    await page.getByLabel('Name of stage 3').fill('Qualification');
    await page.getByTestId('pipeline-save').click();
    await expect
      .poll(() => page.getByTestId('pipeline-problems').textContent(), POLL)
      .toContain('stage names must be unique');
    await page.getByLabel('Name of stage 3').fill('Discovery');

    await page.getByTestId('pipeline-save').click();
    await expect.poll(() => page.getByTestId('pipeline-unsaved').count(), POLL).toBe(0);
    const saved = await pipelineNamed(page, 'Enterprise');
    expect(saved?.stages.map((s) => s.name).slice(0, 3)).toEqual([
      'Qualification',
      'Security review',
      'Discovery',
    ]);
    expect(saved?.stages[1]).toMatchObject({
      probability: 40,
      rottingDays: 10,
      requiredFields: ['amount'],
    });

    await page.reload();
    await page.getByTestId('pipeline-editor').waitFor();
    await expect
      .poll(() => page.getByTestId('pipeline-name').inputValue(), POLL)
      .toBe('Enterprise');
    expect((await stageNames(page)).slice(0, 3)).toEqual([
      'Qualification',
      'Security review',
      'Discovery',
    ]);
    await expect(
      page.getByLabel('Rotting days of Security review (empty: never)').inputValue(),
    ).resolves.toBe('10');

    // Cancel throws unsaved edits away.
    await page.getByLabel('Name of stage 1').fill('Renamed');
    await page.getByTestId('pipeline-cancel').click();
    await expect
      .poll(() => page.getByLabel('Name of stage 1').inputValue(), POLL)
      .toBe('Qualification');
    await page.screenshot({ path: `${SHOTS}/sales-settings-pipelines.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    // The theme is chosen before the first paint, so it takes a reload.
    await page.reload();
    await page.getByTestId('pipeline-editor').waitFor();
    await page.screenshot({ path: `${SHOTS}/sales-settings-pipelines-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('asks for the required field when a deal moves into that stage on the board', async () => {
    const page = admin;
    const pipeline = await pipelineNamed(page, 'Enterprise');
    const stage = (name: string) => pipeline?.stages.find((s) => s.name === name)?.id ?? '';
    const deal = await callApi<{ id: string }>(page, 'POST', '/deals', {
      name: 'Bare deal',
      pipelineId: pipeline?.id,
      stageId: stage('Qualification'),
    });
    await page.goto(`${e2e.url}/deals?pipeline=${pipeline?.id ?? ''}`);
    await page.getByTestId('board').waitFor();
    const card = await page.locator(`[data-deal-id="${deal.id}"]`).boundingBox();
    const target = await page
      .locator('[data-testid="board-column"][data-stage="Security review"]')
      .boundingBox();
    if (!card || !target) throw new Error('board not laid out');
    await page.mouse.move(card.x + 20, card.y + card.height / 2);
    await page.mouse.down();
    await page.mouse.move(card.x + 40, card.y + 40, { steps: 5 });
    await page.mouse.move(target.x + target.width / 2, target.y + 120, { steps: 15 });
    await page.mouse.up();
    await page.getByTestId('move-dialog').waitFor();
    await page.getByLabel('Amount').fill('900');
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await expect
      .poll(
        async () => (await callApi<{ stageId: string }>(page, 'GET', `/deals/${deal.id}`)).stageId,
        POLL,
      )
      .toBe(stage('Security review'));
  });

  it('shows why a pipeline with deals cannot be deleted, sets the default, and deletes an empty one', async () => {
    const page = admin;
    await callApi(page, 'POST', '/pipelines', { name: 'Scratch' });
    await page.goto(`${e2e.url}/settings/pipelines`);
    await page.getByRole('button', { name: 'Delete Enterprise' }).click();
    await expect
      .poll(() => page.getByTestId('pipelines-problem').textContent(), POLL)
      .toContain('Enterprise was not deleted: The pipeline still holds deals');
    expect(await pipelineNamed(page, 'Enterprise')).toBeDefined();

    await page.getByRole('button', { name: 'Make Enterprise the default' }).click();
    await expect
      .poll(async () => (await pipelineNamed(page, 'Enterprise'))?.isDefault, POLL)
      .toBe(true);

    await page.getByRole('button', { name: 'Delete Scratch' }).click();
    await expect.poll(async () => pipelineNamed(page, 'Scratch'), POLL).toBeUndefined();
    await expect.poll(() => page.locator('[data-pipeline="Scratch"]').count(), POLL).toBe(0);
  });

  it('creates, refuses a duplicate of, edits and deletes a quota', async () => {
    const page = admin;
    const me = await callApi<{ user: { id: string } }>(page, 'GET', '/auth/me');
    await page.getByTestId('settings-quotas').click();
    await expect
      .poll(() => page.getByTestId('empty-state').textContent(), POLL)
      .toContain('attainment');
    await page.screenshot({ path: `${SHOTS}/sales-settings-quotas-empty.png` });

    await page.getByTestId('new-quota').click();
    await page.getByTestId('quota-amount').fill('0');
    await page.getByTestId('quota-save').click();
    await page.locator('#quota-target-error').getByText('Pick a user or a team').waitFor();
    await page.locator('#quota-amount-error').getByText('Must be a positive amount').waitFor();
    await page.getByTestId('quota-target').selectOption(`user:${me.user.id}`);
    await page.getByTestId('quota-amount').fill('50000');
    await page.getByTestId('quota-save').click();
    await expect.poll(() => page.getByTestId('quota-row').count(), POLL).toBe(1);
    await expect.poll(() => page.getByTestId('quota-row').textContent(), POLL).toContain('$50,000');
    const [created] = (await callApi<{ data: Quota[] }>(page, 'GET', '/quotas')).data;
    expect(created).toMatchObject({ userId: me.user.id, amount: 5_000_000 });

    // The same person and period again: the API's 409 lands next to the period.
    await page.getByTestId('new-quota').click();
    await page.getByTestId('quota-target').selectOption(`user:${me.user.id}`);
    await page.getByTestId('quota-amount').fill('1');
    await page.getByTestId('quota-save').click();
    await page
      .locator('#quota-start-error')
      .getByText('Already has a quota for this period')
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/sales-settings-quota-dialog.png` });
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByTestId('quota-edit').click();
    await page.getByTestId('quota-amount').fill('60000.50');
    await page.getByTestId('quota-save').click();
    await expect.poll(() => page.getByTestId('quota-row').textContent(), POLL).toContain('$60,001');
    const [edited] = (await callApi<{ data: Quota[] }>(page, 'GET', '/quotas')).data;
    expect(edited?.amount).toBe(6_000_050);
    await page.screenshot({ path: `${SHOTS}/sales-settings-quotas.png` });

    await page.getByTestId('quota-delete').click();
    await page.getByTestId('empty-state').waitFor();
    expect((await callApi<{ data: Quota[] }>(page, 'GET', '/quotas')).data).toEqual([]);
  });

  it("hides both pages from a role without the permission and shows the API's 403", async () => {
    const agent = await signInWithRole(admin, e2e.url, 'support_agent', 'sid@stages.example');
    await agent.goto(`${e2e.url}/settings/profile`);
    await agent.getByTestId('settings-profile').waitFor();
    expect(await agent.getByTestId('settings-pipelines').count()).toBe(0);
    expect(await agent.getByTestId('settings-quotas').count()).toBe(0);

    await agent.goto(`${e2e.url}/settings/quotas`);
    await expect
      .poll(() => agent.getByTestId('empty-state').textContent(), POLL)
      .toContain('You do not have permission (quotas:read)');

    // Pipelines are readable by everyone (deals need them), but not changeable by this role.
    await agent.goto(`${e2e.url}/settings/pipelines`);
    await agent.getByText('Your role may look at stages but not change them.').waitFor();
    expect(await agent.getByTestId('pipeline-save').count()).toBe(0);
    const pipeline = await pipelineNamed(agent, 'Enterprise');
    const refused = await callApi<{ error: { code: string } }>(
      agent,
      'PATCH',
      `/pipelines/${pipeline?.id ?? ''}`,
      {
        name: 'Hijacked',
      },
    );
    expect(refused.error.code).toBe('FORBIDDEN');
    await agent.screenshot({ path: `${SHOTS}/sales-settings-forbidden.png` });
    await agent.context().close();
  });
});
