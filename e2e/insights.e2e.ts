import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer } from './server.js';

const SHOTS = process.env.E2E_SHOTS_DIR ?? 'test-results';
const POLL = { timeout: 15_000 };

/**
 * The demo organization (DEMO=true) has about 40 leads, 5 converted and 5 disqualified: too few
 * outcomes of each kind to train, so the honest answer after Train now is still `collecting`,
 * with the run's note saying how many outcomes it needs and has.
 */
describe('insights: predictions and the model card', () => {
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  let browser: Browser | null = null;
  let page: Page;

  beforeAll(async () => {
    server = await startServer({ DEMO: 'true' });
    browser = await launchBrowser();
    // The first start prints the demo admin's random password once.
    const password = /Log in as admin@demo\.cerebro\.local with password (\S+)/.exec(
      server.output(),
    )?.[1];
    if (!password) throw new Error(`no demo password in:\n${server.output()}`);
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill('admin@demo.cerebro.local');
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-shell').waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('trains lead conversion from the model card and shows the honest state and top scores', async () => {
    await page.getByTestId('nav-insights').click();
    await page.getByTestId('prediction-row').first().waitFor();
    expect(await page.getByTestId('prediction-row').count()).toBe(2);
    await page.screenshot({ path: `${SHOTS}/insights-predictions.png` });
    await page.getByRole('link', { name: 'Lead conversion' }).click();
    await page.getByTestId('model-card').waitFor();
    expect(await page.getByTestId('prediction-state').getAttribute('data-state')).toBe(
      'collecting',
    );
    expect(await page.getByTestId('prediction-statement').textContent()).toContain(
      'scores come from a documented prior',
    );
    expect(await page.getByTestId('rows-used').textContent()).toBe('—');

    await page.getByTestId('train-now').click();
    // The run stores what it saw: the outcomes it counted and why it did not train.
    await page
      .getByTestId('prediction-statement')
      .filter({
        hasText: 'Needs 40 outcomes of each kind to train; has 5 positive and 5 negative.',
      })
      .waitFor(POLL);
    expect(await page.getByTestId('rows-used').textContent()).toBe('10');
    expect(await page.getByTestId('prediction-state').getAttribute('data-state')).toBe(
      'collecting',
    );
    await page.getByRole('button', { name: 'Train now' }).waitFor(POLL);

    await page.getByTestId('score-row').first().waitFor(POLL);
    const href = await page.getByTestId('score-row').first().getByRole('link').getAttribute('href');
    expect(href).toMatch(/^\/leads\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('score-row').first().textContent()).toMatch(/[+−]\d+/);
    await page.screenshot({ path: `${SHOTS}/insights-model-card.png`, fullPage: true });
  });
});
