import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config/index.js';
import { sql, withSystem } from '../../platform/db/index.js';
import { start } from './start.js';

/** Starts without HTTP or workers and answers what it printed, and the running process. */
async function startQuietly(dataDir: string, demo: boolean) {
  const out = new PassThrough();
  let printed = '';
  out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ENCRYPTION_KEY: 'd'.repeat(64),
    DEMO: String(demo),
  });
  const running = await start(config, { http: false, workers: false, out });
  return { running, printed: () => printed };
}

describe('first run', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-first-run-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("creates the demo organization with every module's demo data, then never again", async () => {
    const first = await startQuietly(dataDir, true);
    try {
      expect(first.printed()).toContain('First run: created the organization "Demo Company"');
      const counts = await withSystem(
        first.running.deps.database.db,
        async (tx) =>
          (
            await sql<{
              organizations: number;
              pipelines: number;
              contacts: number;
              deals: number;
              leads: number;
              tickets: number;
              workflows: number;
            }>`select
          (select count(*)::int from organizations) as organizations, (select count(*)::int from pipelines) as pipelines,
          (select count(*)::int from contacts) as contacts, (select count(*)::int from deals) as deals, (select count(*)::int from leads) as leads,
          (select count(*)::int from tickets) as tickets, (select count(*)::int from workflows) as workflows`.execute(
              tx,
            )
          ).rows[0],
      );
      // Identity's organization, sales' setup (one pipeline) and a demo seed of records, sales, support and workflows.
      expect(counts).toMatchObject({ organizations: 1, pipelines: 1, workflows: 2 });
      for (const table of ['contacts', 'deals', 'leads', 'tickets'] as const)
        expect(counts?.[table], table).toBeGreaterThan(0);
    } finally {
      await first.running.stop();
    }
    const again = await startQuietly(dataDir, true);
    await again.running.stop();
    expect(again.printed()).not.toContain('First run');
  }, 180_000);
});
