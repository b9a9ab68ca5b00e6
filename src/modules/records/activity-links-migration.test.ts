import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  migrate,
  MIGRATIONS_DIR,
  openEmbeddedInMemory,
  sql,
  withTenant,
  type Database,
} from '../../platform/db/index.js';

/**
 * Migration 0020 on data written before it: activities linked through the old per-type columns,
 * and a merge (still undoable) that remembered the activities it moved under the old names.
 */
describe('migration 0020: activity links', () => {
  let database: Database;
  let dir: string;
  const org = uuidv7();
  const company = uuidv7();
  const contact = uuidv7();
  const [deal, lead, ticket] = [uuidv7(), uuidv7(), uuidv7()];
  const [withContact, withEverything, withNothing] = [uuidv7(), uuidv7(), uuidv7()];
  const [merge, source] = [uuidv7(), uuidv7()];

  beforeAll(async () => {
    database = await openEmbeddedInMemory();
    dir = await mkdtemp(path.join(tmpdir(), 'cerebro-0020-'));
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    for (const f of files.filter((x) => x < '0020'))
      await copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    await migrate(database.db, dir);
    const db = database.db;
    await sql`insert into organizations (id, name, slug) values (${org}, 'Before', ${`before-${org}`})`.execute(
      db,
    );
    await sql`insert into companies (organization_id, id, name) values (${org}, ${company}, 'Acme')`.execute(
      db,
    );
    await sql`insert into contacts (organization_id, id, first_name, company_id) values (${org}, ${contact}, 'Ada', ${company})`.execute(
      db,
    );
    await sql`insert into activities (organization_id, id, type, subject, contact_id, created_at)
      values (${org}, ${withContact}, 'call', 'Call', ${contact}, '2026-01-02T03:04:05Z')`.execute(
      db,
    );
    await sql`insert into activities (organization_id, id, type, subject, contact_id, company_id, deal_id, lead_id, ticket_id)
      values (${org}, ${withEverything}, 'note', 'Note', ${contact}, ${company}, ${deal}, ${lead}, ${ticket})`.execute(
      db,
    );
    await sql`insert into activities (organization_id, id, type, subject) values (${org}, ${withNothing}, 'task', 'Task')`.execute(
      db,
    );
    const moved = {
      [source]: {
        'activities.contact_id': [withContact],
        'activities.company_id': [withEverything],
        'contacts.company_id': [contact],
      },
    };
    await sql`insert into merges (organization_id, id, object_type, survivor_id, source_ids, survivor_before, survivor_after, moved)
      values (${org}, ${merge}, 'contact', ${contact}, ${[source]}::uuid[], '{}', '{}', ${JSON.stringify(moved)}::jsonb)`.execute(
      db,
    );
    for (const f of files.filter((x) => x >= '0020'))
      await copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    await migrate(database.db, dir);
  }, 120_000);
  afterAll(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  const linksOf = async (activityId: string) =>
    (
      await sql<{
        object_type: string;
        record_id: string;
        created_at: Date;
      }>`select object_type, record_id, created_at from activity_links
      where organization_id = ${org} and activity_id = ${activityId} order by object_type`.execute(
        database.db,
      )
    ).rows;

  it('moves every link of the old columns into activity_links, one row per type, dated like its activity', async () => {
    const one = await linksOf(withContact);
    expect(one.map((l) => [l.object_type, l.record_id])).toEqual([['contact', contact]]);
    expect(one[0]?.created_at.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect((await linksOf(withEverything)).map((l) => [l.object_type, l.record_id])).toEqual([
      ['company', company],
      ['contact', contact],
      ['deal', deal],
      ['lead', lead],
      ['ticket', ticket],
    ]);
    expect(await linksOf(withNothing)).toEqual([]);
  });

  it('drops the per-type columns and keeps the activities', async () => {
    const columns = (
      await sql<{
        column_name: string;
      }>`select column_name from information_schema.columns where table_name = 'activities'`.execute(
        database.db,
      )
    ).rows.map((c) => c.column_name);
    expect(columns).toEqual(expect.arrayContaining(['id', 'subject', 'owner_id', 'assignee_id']));
    for (const gone of ['contact_id', 'company_id', 'deal_id', 'lead_id', 'ticket_id'])
      expect(columns).not.toContain(gone);
    const n = (
      await sql<{
        n: number;
      }>`select count(*)::int as n from activities where organization_id = ${org}`.execute(
        database.db,
      )
    ).rows[0]?.n;
    expect(n).toBe(3);
  });

  it("renames an undoable merge's moved activities to the link keys and leaves its other moves alone", async () => {
    const row = (
      await sql<{
        moved: Record<string, Record<string, string[]>>;
      }>`select moved from merges where organization_id = ${org} and id = ${merge}`.execute(
        database.db,
      )
    ).rows[0];
    expect(row?.moved).toEqual({
      [source]: {
        'activity_links.contact': [withContact],
        'activity_links.company': [withEverything],
        'contacts.company_id': [contact],
      },
    });
  });

  it('holds the links under row level security: another organization sees none, and cannot write one here', async () => {
    const elsewhere = uuidv7();
    await sql`insert into organizations (id, name, slug) values (${elsewhere}, 'Elsewhere', ${`elsewhere-${elsewhere}`})`.execute(
      database.db,
    );
    const seen = await withTenant(
      database.db,
      elsewhere,
      async (tx) =>
        (await sql<{ n: number }>`select count(*)::int as n from activity_links`.execute(tx))
          .rows[0]?.n,
    );
    expect(seen).toBe(0);
    const mine = await withTenant(
      database.db,
      org,
      async (tx) =>
        (await sql<{ n: number }>`select count(*)::int as n from activity_links`.execute(tx))
          .rows[0]?.n,
    );
    expect(mine).toBe(6);
    await expect(
      withTenant(database.db, elsewhere, (tx) =>
        sql`insert into activity_links (organization_id, activity_id, object_type, record_id) values (${org}, ${withNothing}, 'deal', ${deal})`.execute(
          tx,
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
