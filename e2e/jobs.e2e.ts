import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer } from './server.js';

const SHOTS = process.env.E2E_SHOTS_DIR ?? 'test-results';
const POLL = { timeout: 15_000 };
/**
 * The server runs on PostgreSQL here so that this test can put jobs into its database while it
 * runs (an embedded data directory belongs to the server process alone). A job whose name no
 * handler knows fails at once — the dead-letter list without any test-only code in the server.
 */
const SERVER_URL =
  process.env.E2E_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `cerebro_e2e_jobs_${process.pid}`;

function dbUrl(name: string): string {
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function onServer(query: string): Promise<void> {
  const c = new pg.Client({ connectionString: SERVER_URL });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

/** Calls the API from inside the page with the session cookies the app itself uses. */
async function call<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(
    async (p) =>
      (await (await fetch(`/api/v1${p}`, { headers: { 'X-Cerebro-Client': 'web' } })).json()) as T,
    path,
  );
}

describe('the background jobs page in the browser', () => {
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  let browser: Browser | null = null;
  let db: pg.Client | null = null;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    await onServer(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await onServer(`CREATE DATABASE ${DB_NAME}`);
    server = await startServer({ DATABASE_URL: dbUrl(DB_NAME) });
    browser = await launchBrowser();
    db = new pg.Client({ connectionString: dbUrl(DB_NAME) });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await server?.stop();
    await onServer(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  });

  it('lists failed jobs with their error, retries one and discards the other, with counts and an empty state', async () => {
    if (!server || !browser || !db) throw new Error('not started');
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(`${server.url}/signup`);
    await page.getByTestId('signup-name').fill('Joan Jobs');
    await page.getByTestId('signup-email').fill('joan@jobs.example');
    await page.getByTestId('signup-password').fill('background-work-42');
    await page.getByTestId('signup-organization').fill('Jobs Inc');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('app-shell').waitFor();
    const me = await call<{ organization: { id: string } }>(page, '/auth/me');

    // Two jobs of a kind this server has no handler for: the runner fails each at its first attempt.
    const invoice = uuidv7();
    const export_ = uuidv7();
    for (const [id, name, payload] of [
      [invoice, 'billing.send-invoice', { invoice: 42 }],
      [export_, 'reports.export', { report: 'pipeline' }],
    ] as const) {
      await db.query(
        'insert into jobs (organization_id, id, name, payload, max_attempts) values ($1, $2, $3, $4, 3)',
        [me.organization.id, id, name, JSON.stringify(payload)],
      );
    }
    await expect
      .poll(async () => (await call<{ failed: number }>(page, '/jobs/stats')).failed, POLL)
      .toBe(2);

    await page.getByTestId('user-menu').waitFor();
    await page.goto(`${server.url}/settings/profile`);
    await page.getByTestId('settings-jobs').click();
    await page.getByTestId(`job-row-${invoice}`).waitFor();
    await expect.poll(() => page.getByTestId('jobs-count-failed').textContent(), POLL).toBe('2');
    const row = page.getByTestId(`job-row-${invoice}`);
    await expect(row.textContent()).resolves.toContain(
      'No handler is registered for jobs named "billing.send-invoice"',
    );
    await expect(row.textContent()).resolves.toContain('1 / 3');
    await page.screenshot({ path: `${SHOTS}/e2e-jobs-failed.png` });

    await page.getByTestId(`job-details-${invoice}`).click();
    await expect(page.getByTestId('job-details').textContent()).resolves.toContain('"invoice": 42');
    await page.keyboard.press('Escape');

    // Retry: the job runs again at once (attempts start over) and, still without a handler, fails again.
    const before = (
      await db.query<{ started_at: Date }>('select started_at from jobs where id = $1', [invoice])
    ).rows[0]?.started_at;
    await page.getByTestId(`job-retry-${invoice}`).click();
    await page.getByText('billing.send-invoice will run again now').waitFor();
    await expect
      .poll(async () => {
        const r = (
          await db?.query<{ status: string; started_at: Date }>(
            'select status, started_at from jobs where id = $1',
            [invoice],
          )
        )?.rows[0];
        return r && r.status === 'failed' && before && r.started_at > before;
      }, POLL)
      .toBe(true);
    const audit = await call<{ data: Array<{ targetId: string }> }>(
      page,
      '/audit-log?filter[action]=job.retried',
    );
    expect(audit.data.map((e) => e.targetId)).toEqual([invoice]);

    // Discard the other one: it leaves the Failed tab for the Discarded tab.
    await page.getByTestId(`job-discard-${export_}`).click();
    await page.getByText('reports.export discarded').waitFor();
    await page.getByTestId(`job-row-${export_}`).waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('jobs-count-discarded').textContent(), POLL).toBe('1');
    expect(
      (await db.query<{ status: string }>('select status from jobs where id = $1', [export_]))
        .rows[0]?.status,
    ).toBe('discarded');

    // Discard the retried one too: the dead-letter list is empty and says what that means.
    await page.getByTestId(`job-row-${invoice}`).waitFor();
    await page.getByTestId(`job-discard-${invoice}`).click();
    await page.getByText('No failed jobs — everything ran').waitFor();
    await expect.poll(() => page.getByTestId('jobs-count-failed').textContent(), POLL).toBe('0');
    await page.screenshot({ path: `${SHOTS}/e2e-jobs-empty.png` });

    await page.getByTestId('jobs-tab-discarded').click();
    await page.getByTestId(`job-row-${export_}`).waitFor();
    await page.getByTestId(`job-row-${invoice}`).waitFor();
    expect(page.url()).toContain('status=discarded');
    await page.screenshot({ path: `${SHOTS}/e2e-jobs-discarded.png` });
    expect(failures).toEqual([]);
  });
});
