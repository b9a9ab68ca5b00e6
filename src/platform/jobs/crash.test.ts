import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { PGlite } from '@electric-sql/pglite';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { insertOrganization, TEST_DATABASE } from '../../../test/harness.js';
import { eventually } from '../../../test/jobs.js';
import { clonePostgresTemplate, loadEmbeddedTemplate } from '../../../test/template.js';
import { closeDeps, createDeps } from '../../interfaces/server/deps.js';
import { loadConfig } from '../config/index.js';
import type { Deps } from '../context/index.js';
import { openEmbedded, openPostgres, withSystem, withTenant, type Database } from '../db/index.js';
import { createJobRunner, enqueueJob, type JobTables } from './index.js';

const WORKER = path.resolve(import.meta.dirname, '../../../test/fixtures/job-worker.ts');
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function depsOver(database: Database): Promise<Deps> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-crash-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  return createDeps(
    loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ENCRYPTION_KEY: 'c'.repeat(64) }),
    { database, migrate: false, log: pino({ level: 'silent' }) as unknown as FastifyBaseLogger },
  );
}

/** Starts the worker child and resolves once it has started the job (its attempt number). */
function startWorker(kind: string, location: string, leaseMs: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', WORKER, kind, location, String(leaseMs)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /started \S+ (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then(() => reject(new Error(`worker exited early:\n${out}`)));
  });
  return { child, started, exited };
}

const status = (deps: Deps, id: string) =>
  withSystem(deps.database.db, (tx) =>
    tx
      .withTables<JobTables>()
      .selectFrom('jobs')
      .select(['status', 'attempts'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow(),
  );

describe('a worker killed mid-job', () => {
  it(
    TEST_DATABASE === 'embedded'
      ? 'leaves the job to the next process on the data directory, which runs it at once'
      : 'leaves the job to another worker, which runs it once the lease runs out',
    async () => {
      let location: string;
      let open: () => Promise<Database>;
      if (TEST_DATABASE === 'embedded') {
        const dir = await mkdtemp(path.join(tmpdir(), 'cerebro-crash-db-'));
        cleanups.push(() => rm(dir, { recursive: true, force: true }));
        // The migrated template, unpacked where openEmbedded looks (several times faster than migrating).
        const seed = new PGlite(path.join(dir, 'pgdata'), {
          loadDataDir: await loadEmbeddedTemplate(),
        });
        await seed.waitReady;
        await seed.close();
        location = dir;
        open = () => openEmbedded(dir);
      } else {
        const clone = await clonePostgresTemplate(process.env.TEST_DATABASE_URL ?? '');
        cleanups.push(clone.drop);
        location = clone.url;
        open = () => openPostgres(clone.url, 3);
      }
      // Prepare the database, then hand it over: an embedded data directory has one process at a time.
      let database = await open();
      const org = await insertOrganization(database, 'Crash');
      const id = await withTenant(database.db, org, (tx) =>
        enqueueJob(tx, { organizationId: org, name: 'test.crash', payload: {} }),
      );
      if (TEST_DATABASE === 'embedded') await database.close();

      // Embedded: a lease of an hour, which the next process must not wait for. PostgreSQL: 1.5 s.
      const leaseMs = TEST_DATABASE === 'embedded' ? 3_600_000 : 1_500;
      const worker = startWorker(TEST_DATABASE, location, leaseMs);
      expect(await worker.started).toBe(1);
      const killedAt = Date.now();
      worker.child.kill('SIGKILL');
      await worker.exited;

      if (TEST_DATABASE === 'embedded') database = await open();
      const deps = await depsOver(database);
      expect(await status(deps, id)).toEqual({ status: 'running', attempts: 1 });
      let ranAt = 0;
      const runner = createJobRunner(
        deps,
        [{ name: 'test.crash', handle: async () => void (ranAt = Date.now()) }],
        { pollMs: 50 },
      );
      runner.start();
      try {
        await eventually(async () => (await status(deps, id)).status === 'succeeded', 15_000);
        // Embedded: the dead process's attempt is given back (the process died, not the job).
        expect(await status(deps, id)).toEqual({
          status: 'succeeded',
          attempts: TEST_DATABASE === 'embedded' ? 1 : 2,
        });
        if (TEST_DATABASE === 'embedded') expect(ranAt - killedAt).toBeLessThan(leaseMs);
        // Claimed a moment before the kill: the other worker waited out (about) the whole lease.
        else expect(ranAt - killedAt).toBeGreaterThan(leaseMs - 500);
      } finally {
        await runner.stop();
        await closeDeps(deps);
      }
    },
    120_000,
  );
});
