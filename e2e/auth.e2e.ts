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
});
