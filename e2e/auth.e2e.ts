import type { Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './server.js';

describe('sign up, log out, log in — in a real browser', () => {
  const e2e = useServerAndBrowser({ beforeAll, afterAll });

  it('signs up a new organization, logs out and logs back in', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(`${e2e.url}/signup`);
    await page.getByTestId('signup-name').fill('Ada Lovelace');
    await page.getByTestId('signup-email').fill('ada@analytical.example');
    await page.getByTestId('signup-password').fill('difference-engine-1843');
    await page.getByTestId('signup-organization').fill('Analytical Engines');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('app-shell').waitFor();
    await expect(page.getByTestId('user-menu').textContent()).resolves.toContain('Ada');
    await page.screenshot({ path: 'test-results/e2e-after-signup.png' });

    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-email').waitFor();
    // Logged out for real: the API refuses the old session.
    const me = await page.evaluate(
      async () =>
        (await fetch('/api/v1/auth/me', { headers: { 'X-Cerebro-Client': 'web' } })).status,
    );
    expect(me).toBe(401);

    await page.getByTestId('login-email').fill('ada@analytical.example');
    await page.getByTestId('login-password').fill('wrong-password-123');
    await page.getByTestId('login-submit').click();
    await page
      .getByText(/invalid|incorrect/i)
      .first()
      .waitFor();
    await page.getByTestId('login-password').fill('difference-engine-1843');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-shell').waitFor();
    await page.screenshot({ path: 'test-results/e2e-after-login.png' });
    expect(failures).toEqual([]);
  });

  it('loads the chart library only on the pages that draw charts, from compressed immutable files', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${e2e.url}/login`);
    await page.getByTestId('login-email').fill('ada@analytical.example');
    await page.getByTestId('login-password').fill('difference-engine-1843');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-shell').waitFor();
    // Each page opened by a full navigation, recording the scripts it fetched and how they came.
    const scriptsOf = async (path: string, ready: string) => {
      const seen: Array<{ url: string; encoding: string; cache: string; bytes: number }> = [];
      const onResponse = (res: Response) => {
        if (res.request().resourceType() !== 'script') return;
        const h = res.headers();
        seen.push({
          url: res.url(),
          encoding: h['content-encoding'] ?? '',
          cache: h['cache-control'] ?? '',
          bytes: 0,
        });
      };
      page.on('response', onResponse);
      await page.goto(`${e2e.url}${path}`);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      page.off('response', onResponse);
      const bodies = await Promise.all(
        seen.map(async (s) => {
          const body = await (await page.request.get(s.url)).text();
          s.bytes = Buffer.byteLength(body);
          return body;
        }),
      );
      return { seen, charts: bodies.some((b) => b.includes('recharts')) };
    };
    const contacts = await scriptsOf('/contacts', 'main h1');
    expect(contacts.seen.length).toBeGreaterThan(0);
    expect(contacts.charts).toBe(false);
    for (const s of contacts.seen) {
      // The build leaves files under 1 KB uncompressed (web/precompress.ts): not worth a round of br.
      if (s.bytes >= 1024) expect(s.encoding, s.url).toMatch(/^(br|gzip)$/);
      if (/\/assets\//.test(s.url)) expect(s.cache, s.url).toContain('immutable');
    }
    // The control: the dashboard does fetch it, so the check above can fail.
    const sales = await scriptsOf('/sales', 'main h1');
    expect(sales.charts).toBe(true);
  });
});
