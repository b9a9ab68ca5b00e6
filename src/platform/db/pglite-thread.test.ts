import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { messages } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../errors/index.js';
import { isUniqueViolation } from './errors.js';
import { openEmbedded, openEmbeddedInMemory, sql, type Database } from './index.js';
import { startPgliteWorker, workerEngine } from './pglite-thread.js';

const SETUP = `
  create table probe (id int primary key, email text, at timestamptz, data bytea, doc jsonb, n int8, amount numeric);
  create unique index probe_email on probe (email);`;

const probeRow = (db: Database['db']) =>
  sql<
    Record<string, unknown>
  >`select id, email, at, data, doc, n, amount, null::text as nothing from probe order by id`.execute(
    db,
  );

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('PGlite in a worker thread', () => {
  let inThread: Database;
  let worker: Database;
  const dirs: string[] = [];

  beforeAll(async () => {
    [inThread, worker] = await Promise.all([
      openEmbeddedInMemory(undefined, { thread: 'main' }),
      openEmbeddedInMemory(undefined, { thread: 'worker' }),
    ]);
    for (const d of [inThread, worker]) {
      await sql.raw(SETUP).execute(d.db);
      await sql`insert into probe values (1, ${'a@x.example'}, ${new Date('2026-01-02T03:04:05.678Z')},
        ${new Uint8Array([0, 1, 254, 255])}, ${JSON.stringify({ a: [1, null, 'é'] })}, ${9007199254740991}, ${'12.50'})`.execute(
        d.db,
      );
      await sql`insert into probe (id) values (2)`.execute(d.db);
    }
  });

  afterAll(async () => {
    await Promise.all([inThread.close(), worker.close()]);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('returns dates, bytea, JSON, int8, numeric and null exactly as PGlite in this thread', async () => {
    const [expected, actual] = await Promise.all([probeRow(inThread.db), probeRow(worker.db)]);
    expect(actual.rows).toEqual(expected.rows);
    const first = actual.rows[0];
    expect(first?.at).toBeInstanceOf(Date);
    expect((first?.at as Date).toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(first?.data).toBeInstanceOf(Uint8Array);
    expect([...(first?.data as Uint8Array)]).toEqual([0, 1, 254, 255]);
    expect(first?.doc).toEqual({ a: [1, null, 'é'] });
    expect(first?.n).toBe(9007199254740991);
    expect(first?.amount).toBe('12.50');
    expect(actual.rows[1]?.at).toBeNull();
  });

  it('answers a unique violation as the same DatabaseError, with its code, constraint and detail', async () => {
    const insert = (d: Database) =>
      caught(sql`insert into probe (id, email) values (3, ${'a@x.example'})`.execute(d.db));
    const [expected, actual] = await Promise.all([insert(inThread), insert(worker)]);
    expect(actual).toBeInstanceOf(messages.DatabaseError);
    expect(isUniqueViolation(actual)).toBe(true);
    const fields = (e: unknown) => {
      const { code, constraint, detail, table, schema, severity, message } = e as Record<
        string,
        unknown
      >;
      return { code, constraint, detail, table, schema, severity, message };
    };
    expect(fields(actual)).toEqual(fields(expected));
    expect(fields(actual)).toMatchObject({ code: '23505', constraint: 'probe_email' });
  });

  it('runs parameterless multi-statement SQL and answers the last statement', async () => {
    const r = await sql
      .raw<{ total: number }>(
        'update probe set amount = 1 where id = 2; select count(*)::int as total from probe',
      )
      .execute(worker.db);
    expect(r.rows).toEqual([{ total: 2 }]);
  });

  it('rolls back a transaction whose callback fails and reports affected rows', async () => {
    const failed = await caught(
      worker.db.transaction().execute(async (tx) => {
        await sql`insert into probe (id) values (10)`.execute(tx);
        throw new Error('stop');
      }),
    );
    expect((failed as Error).message).toBe('stop');
    const count = await sql<{
      c: number;
    }>`select count(*)::int as c from probe where id = 10`.execute(worker.db);
    expect(count.rows[0]?.c).toBe(0);
    const updated = await sql`update probe set email = email where id in (${1}, ${2})`.execute(
      worker.db,
    );
    expect(updated.numAffectedRows).toBe(2n);
  });

  it('fails a statement whose parameter cannot cross threads, and keeps serving', async () => {
    const error = await caught(
      worker.db.executeQuery({
        sql: 'select $1::text as v',
        parameters: [() => 1],
        query: { kind: 'RawNode', sqlFragments: [], parameters: [] },
        queryId: { queryId: 'clone' },
      }),
    );
    expect((error as Error).name).toBe('DataCloneError');
    const ok = await sql<{ v: string }>`select ${'still here'}::text as v`.execute(worker.db);
    expect(ok.rows[0]?.v).toBe('still here');
  });

  it('keeps a data directory across close and reopen, and dumps a template the main thread opens', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cerebro-pglite-thread-'));
    dirs.push(dir);
    const first = await openEmbedded(dir, { thread: 'worker' });
    await sql`create table kept (v text)`.execute(first.db);
    await sql`insert into kept values (${'durable'})`.execute(first.db);
    const dump = await first.dump?.();
    await first.close();
    await first.close();
    const again = await openEmbedded(dir, { thread: 'worker' });
    const fromDump = await openEmbeddedInMemory(dump, { thread: 'main' });
    try {
      for (const d of [again, fromDump]) {
        const r = await sql<{ v: string }>`select v from kept`.execute(d.db);
        expect(r.rows).toEqual([{ v: 'durable' }]);
      }
    } finally {
      await Promise.all([again.close(), fromDump.close()]);
    }
  });

  it('fails pending and later statements with DATABASE_UNAVAILABLE when the thread dies', async () => {
    const thread = await startPgliteWorker({ template: null });
    const engine = workerEngine(thread);
    const sleeping = caught(engine.run('select pg_sleep(30)', []));
    await thread.terminate();
    const pending = await sleeping;
    expect(pending).toBeInstanceOf(DomainError);
    expect(pending).toMatchObject({ kind: 'unavailable', code: 'DATABASE_UNAVAILABLE' });
    const later = await caught(engine.run('select 1', []));
    expect(later).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    await engine.close();
  });

  it('refuses to open from a template that is not a dump', async () => {
    const error = await caught(
      openEmbeddedInMemory(new Blob(['not a tarball']), { thread: 'worker' }),
    );
    expect(error).toBeInstanceOf(Error);
  });
});
