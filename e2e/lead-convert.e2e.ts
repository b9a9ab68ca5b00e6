import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from './axe.js';
import { callApi, signUp, useServerAndBrowser } from './server.js';

const POLL = { timeout: 10_000 };

interface Deal {
  amount: number;
  currency: string;
  expectedCloseDate: string | null;
  contactId: string | null;
  companyId: string | null;
  leadId: string | null;
}

describe('converting a lead through the dialog', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });
  let page: Page;

  beforeAll(async () => {
    // axe is injected as an inline script, which the app's Content-Security-Policy rightly refuses.
    page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await signUp(page, e2e.url, {
      name: 'Connie Convert',
      email: 'connie@convert.example',
      password: 'convert-convert-1',
      organization: 'Convert Co',
    });
  }, 120_000);

  const openDialog = async (leadId: string) => {
    await page.goto(`${e2e.url}/leads/${leadId}`);
    await page.getByTestId('convert-lead').click();
    await page.getByTestId('convert-form').waitFor();
  };

  it('previews the matching contact and company, and converts with a deal onto the deal page', async () => {
    const company = await callApi<{ id: string }>(page, 'POST', '/companies', {
      name: 'Engines',
      domain: 'engines.example',
    });
    const ada = await callApi<{ id: string }>(page, 'POST', '/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@engines.example',
    });
    await callApi(page, 'POST', '/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada.l@elsewhere.example',
    });
    const lead = await callApi<{ id: string }>(page, 'POST', '/leads', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@engines.example',
      companyName: 'Analytical Engines',
    });
    await openDialog(lead.id);
    expect(await page.getByTestId('convert-contact-summary').textContent()).toBe(
      'Contact: Will use existing Ada Lovelace (same email)',
    );
    expect(await page.getByTestId('convert-company-summary').textContent()).toBe(
      'Company: Will use existing Engines (same email domain)',
    );
    expect(await page.getByTestId('convert-deal-name').inputValue()).toBe(
      'Analytical Engines deal',
    );
    // The chooser offers the match, a new contact and the namesake as a likely other.
    await page.getByTestId('convert-contact-change').click();
    await page.getByRole('radio', { name: /ada\.l@elsewhere\.example/ }).waitFor();
    expect(await page.getByTestId('convert-contact-option').count()).toBe(3);

    await page.screenshot({ path: '/tmp/lead-convert-dialog-light.png' });
    expect(describeViolations(await seriousViolations(page))).toEqual([]);
    // The theme follows the system's scheme as the app loads: reopen in dark and go on there.
    await page.emulateMedia({ colorScheme: 'dark' });
    await openDialog(lead.id);
    await page.getByTestId('convert-contact-change').click();
    await page.getByRole('radio', { name: /ada\.l@elsewhere\.example/ }).waitFor();
    await page.screenshot({ path: '/tmp/lead-convert-dialog-dark.png' });
    expect(describeViolations(await seriousViolations(page))).toEqual([]);
    await page.getByTestId('convert-contact-change').click();

    // The client checks what it can before asking the server.
    await page.getByTestId('convert-deal-name').fill('');
    await page.getByTestId('convert-deal-name').press('Enter');
    await page.getByText('Name the deal').waitFor();
    await page.getByTestId('convert-deal-name').fill('Engines rollout');
    await page.getByTestId('convert-amount').fill('12500');
    await page.getByTestId('convert-close-date').fill('2027-01-15');
    await page.getByTestId('convert-amount').press('Enter');

    await page.waitForURL(/\/deals\/[0-9a-f-]{36}$/, POLL);
    const dealId = page.url().split('/').pop() ?? '';
    await page.getByRole('heading', { name: 'Engines rollout' }).waitFor();
    await page.getByText('$12,500').first().waitFor();
    await page.getByText('Jan 15, 2027').waitFor();
    await page.screenshot({ path: '/tmp/lead-convert-deal.png' });
    const deal = await callApi<Deal>(page, 'GET', `/deals/${dealId}`);
    expect(deal).toMatchObject({
      amount: 1_250_000,
      currency: 'USD',
      expectedCloseDate: '2027-01-15',
      contactId: ada.id,
      companyId: company.id,
      leadId: lead.id,
    });
  });

  it('shows "new" for a lead that matches nothing, closes on Escape, and converts without a deal onto the contact', async () => {
    const lead = await callApi<{ id: string }>(page, 'POST', '/leads', {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace.hopper@gmail.com',
    });
    await openDialog(lead.id);
    expect(await page.getByTestId('convert-contact-summary').textContent()).toBe(
      'Contact: Will create a new contact',
    );
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('convert-form').count(), POLL).toBe(0);
    expect((await callApi<{ status: string }>(page, 'GET', `/leads/${lead.id}`)).status).toBe(
      'new',
    );

    await page.getByTestId('convert-lead').click();
    await page.getByTestId('convert-form').waitFor();
    await page.getByTestId('convert-create-deal').uncheck();
    expect(await page.getByTestId('convert-amount').count()).toBe(0);
    await page.getByTestId('convert-submit').click();

    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/, POLL);
    await page.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
    await page.emulateMedia({ colorScheme: 'light' });
    const converted = await callApi<{ status: string; convertedDealId: string | null }>(
      page,
      'GET',
      `/leads/${lead.id}`,
    );
    expect(converted).toMatchObject({ status: 'converted', convertedDealId: null });
  });

  it("erases a lead's personal data from its page after a confirmation, keeping the lead", async () => {
    const lead = await callApi<{ id: string }>(page, 'POST', '/leads', {
      firstName: 'Erwin',
      lastName: 'Erasmus',
      email: 'erwin@private.example',
      notes: 'Prefers calls after six',
      source: 'webinar',
    });
    await page.goto(`${e2e.url}/leads/${lead.id}`);
    await page.getByRole('heading', { name: 'Erwin Erasmus' }).waitFor();
    await page.getByTestId('export-personal-data').waitFor();

    // Cancelling the confirmation changes nothing.
    await page.getByTestId('erase-person').click();
    await page.getByRole('dialog', { name: "Erase Erwin Erasmus's personal data?" }).waitFor();
    await page.screenshot({ path: '/tmp/lead-erase-dialog.png' });
    expect(describeViolations(await seriousViolations(page))).toEqual([]);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').count(), POLL).toBe(0);
    expect((await callApi<{ email: string | null }>(page, 'GET', `/leads/${lead.id}`)).email).toBe(
      'erwin@private.example',
    );

    await page.getByTestId('erase-person').click();
    await page.getByTestId('confirm-erase').click();
    await page.getByRole('heading', { name: '[erased]' }).waitFor(POLL);
    await page.screenshot({ path: '/tmp/lead-erased.png' });
    const erased = await callApi<Record<string, unknown>>(page, 'GET', `/leads/${lead.id}`);
    expect(erased).toMatchObject({
      firstName: '[erased]',
      lastName: null,
      email: null,
      notes: null,
      source: 'webinar',
    });
  });
  it('merges two leads from the record page, picking a value per field, and undoes it', async () => {
    const keep = await callApi<{ id: string }>(page, 'POST', '/leads', {
      firstName: 'Marie',
      lastName: 'Curie',
      email: 'marie@sorbonne.example',
      title: 'Professor',
    });
    const dup = await callApi<{ id: string }>(page, 'POST', '/leads', {
      firstName: 'Maria',
      lastName: 'Skłodowska',
      email: 'maria@warsaw.example',
      companyName: 'Radium Institute',
    });
    await page.goto(`${e2e.url}/leads/${keep.id}`);
    await page.getByRole('heading', { name: 'Marie Curie' }).waitFor();
    await page.getByTestId('merge-with').click();
    await page.getByRole('dialog', { name: 'Merge Marie Curie with…' }).waitFor();
    await page.getByLabel('Find another lead').fill('Skłodowska');
    await page.getByRole('option', { name: /Maria Skłodowska/ }).click();
    await page.getByTestId('merge-dialog').waitFor();
    // The fields come from the lead's description; the company name only the duplicate has.
    await page.getByLabel('Email from Maria Skłodowska').check();
    await page.screenshot({ path: '/tmp/lead-merge-dialog.png' });
    expect(describeViolations(await seriousViolations(page))).toEqual([]);
    await page.getByTestId('merge-confirm').click();
    await page.getByText('Merged 1 lead into Marie Curie').waitFor(POLL);
    await page.screenshot({ path: '/tmp/lead-merge-toast.png' });
    expect(await callApi(page, 'GET', `/leads/${keep.id}`)).toMatchObject({
      firstName: 'Marie',
      title: 'Professor',
      email: 'maria@warsaw.example',
      companyName: 'Radium Institute',
    });

    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Merge undone: 1 lead restored').waitFor(POLL);
    expect(await callApi(page, 'GET', `/leads/${keep.id}`)).toMatchObject({
      email: 'marie@sorbonne.example',
      companyName: null,
    });
    expect(await callApi(page, 'GET', `/leads/${dup.id}`)).toMatchObject({
      firstName: 'Maria',
      email: 'maria@warsaw.example',
    });
  });
});
