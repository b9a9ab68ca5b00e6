import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { PlatformTables } from './tables.js';

/** Versioned, forward-only SQL migrations live in the repository's `migrations/` folder. */
export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../migrations',
);

interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

async function loadMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(path.join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    }),
  );
}

/** The outcome of a migration run. */
export interface MigrationResult {
  applied: string[];
  current: number;
}

// An arbitrary constant: every process that migrates takes the same advisory lock, so two api
// processes starting together never run the same migration twice.
const MIGRATION_LOCK = 72_406_001;

/**
 * Applies every pending migration in one transaction under an advisory lock. A migration that
 * was applied and later edited stops the run: history is forward-only.
 */
export async function migrate(
  db: Kysely<PlatformTables>,
  dir = MIGRATIONS_DIR,
): Promise<MigrationResult> {
  const migrations = await loadMigrations(dir);
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
    await sql`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(tx);
    const done = await sql<{
      version: number;
      checksum: string;
      name: string;
    }>`select version, checksum, name from schema_migrations`.execute(tx);
    const byVersion = new Map(done.rows.map((r) => [r.version, r]));
    const applied: string[] = [];
    for (const m of migrations) {
      const prior = byVersion.get(m.version);
      if (prior) {
        if (prior.checksum !== m.checksum) {
          throw new Error(
            `Migration ${m.name} was changed after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      await sql.raw(m.sql).execute(tx);
      await sql`insert into schema_migrations (version, name, checksum) values (${m.version}, ${m.name}, ${m.checksum})`.execute(
        tx,
      );
      applied.push(m.name);
    }
    const current = migrations.length ? Math.max(...migrations.map((m) => m.version)) : 0;
    return { applied, current };
  });
}
