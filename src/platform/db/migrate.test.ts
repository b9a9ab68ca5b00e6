import { mkdtemp, rm, writeFile, copyFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/harness.js';
import { MIGRATIONS_DIR, migrate, sql, type Database } from './index.js';

describe('migrations', () => {
  let database: Database;
  let dispose: () => Promise<void>;
  let dir: string;

  beforeAll(async () => {
    ({ database, dispose } = await openTestDatabase());
    dir = await mkdtemp(path.join(tmpdir(), 'cerebro-migrations-'));
    for (const f of await readdir(MIGRATIONS_DIR))
      await copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
  });
  afterAll(async () => {
    await dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('has applied every migration to the template and reapplies nothing', async () => {
    const result = await migrate(database.db);
    expect(result.applied).toEqual([]);
    const rows = await sql<{
      version: number;
    }>`select version from schema_migrations order by version`.execute(database.db);
    expect(rows.rows.map((r) => r.version)).toEqual(
      (await readdir(MIGRATIONS_DIR))
        .filter((f) => f.endsWith('.sql'))
        .map((f) => Number(f.slice(0, 4))),
    );
  });

  it('applies a new migration once, forward only', async () => {
    await writeFile(
      path.join(dir, '9000_probe.sql'),
      'CREATE TABLE migration_probe (id int PRIMARY KEY);',
    );
    expect((await migrate(database.db, dir)).applied).toEqual(['9000_probe']);
    expect((await migrate(database.db, dir)).applied).toEqual([]);
    const exists = await sql<{
      n: number;
    }>`select count(*)::int as n from information_schema.tables where table_name = 'migration_probe'`.execute(
      database.db,
    );
    expect(exists.rows[0]?.n).toBe(1);
  });

  it('refuses to run when an applied migration was edited', async () => {
    await writeFile(
      path.join(dir, '9000_probe.sql'),
      'CREATE TABLE migration_probe (id bigint PRIMARY KEY);',
    );
    await expect(migrate(database.db, dir)).rejects.toThrow(/9000_probe was changed/);
  });

  it('rolls back a failing migration entirely', async () => {
    await rm(path.join(dir, '9000_probe.sql'));
    await sql`delete from schema_migrations where version = 9000`.execute(database.db);
    await sql`drop table migration_probe`.execute(database.db);
    await writeFile(
      path.join(dir, '9001_half.sql'),
      'CREATE TABLE half_done (id int); SELECT no_such_function();',
    );
    await expect(migrate(database.db, dir)).rejects.toThrow();
    const exists = await sql<{
      n: number;
    }>`select count(*)::int as n from information_schema.tables where table_name = 'half_done'`.execute(
      database.db,
    );
    expect(exists.rows[0]?.n).toBe(0);
  });
});
