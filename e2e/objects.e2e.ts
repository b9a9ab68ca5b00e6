import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const SHOTS = process.env.E2E_SHOTS_DIR ?? 'test-results';
/** UI reads retry until they match: long enough for a busy machine. */
const POLL = { timeout: 15_000 };

interface Company {
  id: string;
  name: string;
  industry: string | null;
  error?: { code: string };
}
interface Definition {
  key: string;
  position: number;
  archived: boolean;
}
interface ObjectDescription {
  key: string;
  fields: Array<{ key: string }>;
}

/** The order of the custom field rows on the settings page, by key. */
const fieldOrder = (page: Page) =>
  page
    .getByTestId('custom-field-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));

/** Adds a custom field through the settings dialog. */
async function addField(page: Page, label: string, type: string, choices?: string) {
  await page.getByTestId('add-custom-field').click();
  await page.getByTestId('cf-label').fill(label);
  await page.getByTestId('cf-type').selectOption(type);
  if (choices) await page.getByTestId('cf-choices').fill(choices);
  await page.getByTestId('cf-save').click();
  await page.getByTestId('custom-field-form').waitFor({ state: 'detached' });
}

describe('generic objects in the browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  beforeAll(() => mkdir(SHOTS, { recursive: true }).then(() => undefined));

  it('creates a company with the generic form, edits it in place, deletes and restores it', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('dialog', (d) => void d.accept());
    await signUp(page, e2e.url, {
      name: 'Gene Ric',
      email: 'gene@objects.example',
      password: 'objects-objects-1',
      organization: 'Objects Co',
    });
    await page.getByTestId('nav-companies').click();
    await page.getByTestId('empty-state').getByText('No companies yet').waitFor();

    // The server's refusal lands on the field it names; the form stays open with what was typed.
    await page.getByTestId('new-record').click();
    await page.locator('#new-company-name').fill('Acme Analytics');
    await page.locator('#new-company-domain').fill('acme-analytics.example');
    await page.locator('#new-company-website').fill('not a url');
    await page.getByTestId('create-submit').click();
    await page
      .getByTestId('create-record-form')
      .getByRole('alert')
      .getByText('must be an http or https URL')
      .waitFor();
    await page.locator('#new-company-website').fill('https://acme-analytics.example');
    await page.getByTestId('create-submit').click();
    await page.getByTestId('company-record').waitFor();
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';

    // In place: click the value, type, Enter; saved with the record's version.
    await page.getByTestId('field-industry').click();
    await page.locator('#company-industry').fill('Analytics');
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => (await callApi<Company>(page, 'GET', `/companies/${id}`)).industry, POLL)
      .toBe('Analytics');
    await page.screenshot({ path: `${SHOTS}/generic-record-page.png`, fullPage: true });

    // Delete to the trash, then restore from the record page itself.
    await page.getByTestId('delete-record').click();
    await page.getByTestId('record-trashed').waitFor();
    await expect
      .poll(async () => (await callApi<Company>(page, 'GET', `/companies/${id}`)).error?.code, POLL)
      .toBe('NOT_FOUND');
    await page.getByTestId('restore-record').click();
    await page.getByTestId('company-record').waitFor();
    await expect
      .poll(async () => (await callApi<Company>(page, 'GET', `/companies/${id}`)).name, POLL)
      .toBe('Acme Analytics');

    // The list shows it, and a search that misses says so.
    await page.getByTestId('nav-companies').click();
    await page.getByRole('table').getByRole('link', { name: 'Acme Analytics' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/generic-list.png` });
    await page.getByTestId('record-search').fill('zzzz-nothing');
    await page.getByText('No company matches').waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('zzzz-nothing');
  });

  it('adds custom fields to companies in settings, reorders and archives one', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Ada Admin',
      email: 'ada@fields.example',
      password: 'fields-fields-1',
      organization: 'Fields Co',
    });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-objects').click();
    await page.getByTestId('object-company').click();
    await addField(page, 'Tier', 'select', 'Gold\nSilver');
    await addField(page, 'Renewal date', 'date');
    await expect.poll(() => fieldOrder(page), POLL).toEqual(['tier', 'renewalDate']);

    // Move the date up with the keyboard-reachable button: the API keeps the new order.
    await page.getByRole('button', { name: 'Move Renewal date up' }).click();
    await expect.poll(() => fieldOrder(page), POLL).toEqual(['renewalDate', 'tier']);
    await expect
      .poll(async () => {
        const list = await callApi<{ data: Definition[] }>(
          page,
          'GET',
          '/custom-fields?objectType=company',
        );
        return [...list.data].sort((a, b) => a.position - b.position).map((d) => d.key);
      }, POLL)
      .toEqual(['renewalDate', 'tier']);
    await page.screenshot({ path: `${SHOTS}/settings-objects.png`, fullPage: true });

    // Archive: it leaves the object's description (forms, lists), and can come back.
    await page.locator('[data-key="tier"]').getByTestId('field-archive').click();
    await page.getByTestId('archived-fields').getByText('Tier').waitFor();
    const described = async () =>
      (await callApi<{ data: ObjectDescription[] }>(page, 'GET', '/objects')).data
        .find((o) => o.key === 'company')
        ?.fields.map((f) => f.key)
        .includes('tier');
    await expect.poll(described, POLL).toBe(false);
    await page.getByTestId('field-unarchive').click();
    await expect.poll(() => fieldOrder(page), POLL).toEqual(['renewalDate', 'tier']);
    await expect.poll(described, POLL).toBe(true);
  });

  it('defines a custom object related to companies, creates a record, lists and filters it', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Olga Objects',
      email: 'olga@custom.example',
      password: 'custom-custom-1',
      organization: 'Custom Co',
    });
    const acme = await callApi<Company>(page, 'POST', '/companies', { name: 'Acme Labs' });
    await page.goto(`${e2e.url}/settings/objects`);
    await page.getByTestId('new-object').click();
    await page.getByTestId('co-singular').fill('Project');
    await page.getByLabel('Label of field 1').fill('Client');
    await page.getByLabel('Type of field 1').selectOption('relation');
    await page.getByLabel('Field 1 points at').selectOption('company');
    await page.getByTestId('co-add-field').click();
    await page.getByLabel('Label of field 2').fill('Stage');
    await page.getByLabel('Type of field 2').selectOption('select');
    await page.getByLabel('Choices of field 2, comma separated').fill('Planned, Running, Done');
    await page.getByTestId('co-save').click();
    await page.getByTestId('custom-object-form').waitFor({ state: 'detached' });

    // It has a place in the sidebar, a list, and a New form with a picker for its company.
    await page.getByTestId('nav-object-project').click();
    await page.getByTestId('new-record').click();
    await page.locator('#new-project-name').fill('Website relaunch');
    await page.getByTestId('new-client').getByRole('combobox').fill('Acme');
    await page.getByRole('option', { name: /Acme Labs/ }).click();
    await page.locator('#new-project-stage').selectOption('Running');
    await page.getByTestId('create-submit').click();
    await page.getByTestId('project-record').waitFor();
    await page.getByTestId('project-fields').getByText('Acme Labs').waitFor();
    await callApi(page, 'POST', '/projects', { name: 'Internal tooling', stage: 'Planned' });

    await page.getByTestId('nav-object-project').click();
    await expect.poll(() => page.getByTestId('record-row').count(), POLL).toBe(2);
    await page.getByTestId('filter-builder').click();
    await page.getByTestId('filter-condition').getByLabel('Field').selectOption('client');
    await page.getByTestId('filter-condition').getByLabel('Value').selectOption(acme.id);
    await page.getByTestId('apply-filters').click();
    await expect
      .poll(() => page.getByTestId('record-link').allTextContents(), POLL)
      .toEqual(['Website relaunch']);
    expect(new URL(page.url()).searchParams.get('filter[client]')).toBe(acme.id);
    await page.screenshot({ path: `${SHOTS}/custom-object-list.png` });

    // The company's page lists the projects that point at it.
    await page.goto(`${e2e.url}/companies/${acme.id}`);
    await expect
      .poll(
        () => page.getByTestId('related-project-client').getByRole('link').allTextContents(),
        POLL,
      )
      .toEqual(['Website relaunch']);

    // Renamed in settings: the sidebar follows, the key and the REST resource stay.
    await page.goto(`${e2e.url}/settings/objects?object=project`);
    await page.getByTestId('rename-singular').fill('Engagement');
    await page.getByTestId('rename-plural').fill('Engagements');
    await page.getByTestId('rename-save').click();
    await expect
      .poll(() => page.getByTestId('nav-object-project').textContent(), POLL)
      .toContain('Engagements');
    const described = await callApi<{ labels: { plural: string }; resource: string }>(
      page,
      'GET',
      '/objects/project',
    );
    expect(described).toMatchObject({ labels: { plural: 'Engagements' }, resource: 'projects' });
  });

  it("marks a custom object's field personal, then exports and erases a record from its page", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Petra Privacy',
      email: 'petra@personal.example',
      password: 'personal-personal-1',
      organization: 'Personal Co',
    });
    await callApi(page, 'POST', '/objects', {
      key: 'patient',
      labels: { singular: 'Patient', plural: 'Patients' },
      fields: [{ key: 'ward', label: 'Ward', type: 'text' }],
    });
    // The flag is set where admins define fields; the list then says which fields are personal.
    await page.goto(`${e2e.url}/settings/objects?object=patient`);
    await page.getByTestId('add-custom-field').click();
    await page.getByTestId('cf-label').fill('Home address');
    await page.getByTestId('cf-type').selectOption('text');
    await page.getByTestId('cf-personal').check();
    await page.getByTestId('cf-save').click();
    await page.getByTestId('custom-field-form').waitFor({ state: 'detached' });
    await page.locator('[data-key="homeAddress"]').getByText('Personal data').waitFor(POLL);
    const patient = await callApi<{ id: string }>(page, 'POST', '/patients', {
      name: 'Bed 7',
      homeAddress: '1 Secret Lane',
      ward: 'North',
    });

    // The generic record page offers the GDPR actions because the object declares personal data.
    await page.goto(`${e2e.url}/patients/${patient.id}`);
    await page.getByTestId('patient-record').waitFor();
    const download = page.waitForEvent('download');
    await page.getByTestId('export-personal-data').click();
    expect((await download).suggestedFilename()).toBe(`patients-${patient.id}-personal-data.json`);
    await page.getByTestId('erase-person').click();
    await page.getByRole('dialog', { name: "Erase Bed 7's personal data?" }).waitFor();
    await page.getByText('Its personal fields (Home address) are blanked').waitFor();
    await page.screenshot({ path: `${SHOTS}/custom-object-erase-dialog.png` });
    await page.getByTestId('confirm-erase').click();
    await expect
      .poll(() => callApi<Record<string, unknown>>(page, 'GET', `/patients/${patient.id}`), POLL)
      .toMatchObject({ name: 'Bed 7', homeAddress: null, ward: 'North' });
    await page
      .getByTestId('patient-fields')
      .getByText('1 Secret Lane')
      .waitFor({ state: 'detached' });
    await page.screenshot({ path: `${SHOTS}/custom-object-erased.png`, fullPage: true });
  });

  it("defines an object whose records' name is personal data, and erases a name", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signUp(page, e2e.url, {
      name: 'Nina Names',
      email: 'nina@names.example',
      password: 'names-names-1',
      organization: 'Names Co',
    });
    await page.goto(`${e2e.url}/settings/objects`);
    await page.getByTestId('new-object').click();
    await page.getByTestId('co-singular').fill('Member');
    await page.getByLabel('Label of field 1').fill('Club');
    await page
      .getByLabel("The name of each record is personal data (a person's name)", {
        exact: false,
      })
      .check();
    expect(await page.getByTestId('co-personal-name').isChecked()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/custom-object-personal-name.png` });
    await page.getByTestId('co-save').click();
    await page.getByTestId('custom-object-form').waitFor({ state: 'detached' });
    await expect
      .poll(
        async () =>
          (
            await callApi<{ data: Array<ObjectDescription & { personalName?: boolean }> }>(
              page,
              'GET',
              '/objects',
            )
          ).data.find((o) => o.key === 'member')?.personalName,
        POLL,
      )
      .toBe(true);
    // The object's settings show the flag, where it can be changed later.
    await page.goto(`${e2e.url}/settings/objects?object=member`);
    await expect.poll(() => page.getByTestId('object-personal-name').isChecked(), POLL).toBe(true);

    // Its records' name is then what erasure replaces.
    const member = await callApi<{ id: string }>(page, 'POST', '/members', {
      name: 'Ada Lovelace',
      club: 'Analytical',
    });
    await page.goto(`${e2e.url}/members/${member.id}`);
    await page.getByTestId('member-record').waitFor();
    await page.getByTestId('erase-person').click();
    await page.getByTestId('confirm-erase').click();
    await expect
      .poll(() => callApi<Record<string, unknown>>(page, 'GET', `/members/${member.id}`), POLL)
      .toMatchObject({ name: 'Erased record', club: 'Analytical' });
  });
});
