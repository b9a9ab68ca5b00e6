import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/harness.js';
import { sql, withTenant, type Database, type Tx } from '../../platform/db/index.js';
import { activityIdsOf, activityIdsOfRecords, linkFilterSql } from './activity-links.js';

/** A company's timeline: its own activities and its contacts' (as the contacts module asks). */
const companyActivityIdsOf = (org: string, companyId: string) =>
  sql`(${activityIdsOf(org, { objectType: 'company', recordId: companyId })} union all ${activityIdsOfRecords(
    org,
    'contact',
    sql`(select id from contacts where organization_id = ${org} and company_id = ${companyId})`,
  )})`;

/**
 * The activities of one record are found through the link index, not by reading the tenant's
 * links: a record page's list (`filter[dealId]`) and the timelines, on a few thousand activities
 * in two organizations, planned as the application role under row level security.
 */
describe('activity links: query plans', () => {
  let database: Database;
  let dispose: () => Promise<void>;
  const orgs = [uuidv7(), uuidv7()];
  const [org = ''] = orgs;
  const firstOf: Record<'contact' | 'company' | 'deal', string> = {
    contact: '',
    company: '',
    deal: '',
  };

  async function seed(
    tx: Tx,
    organizationId: string,
    perOrg: number,
  ): Promise<Record<'contact' | 'company' | 'deal', string>> {
    await sql`insert into organizations (id, name, slug) values (${organizationId}, 'Plan', ${`plan-${organizationId}`})`.execute(
      tx,
    );
    const companies = Array.from({ length: 30 }, () => uuidv7());
    const contacts = Array.from({ length: 300 }, () => uuidv7());
    const deals = Array.from({ length: 300 }, () => uuidv7());
    await sql`insert into companies (organization_id, id, name) select ${organizationId}, id, 'Company' from unnest(${companies}::uuid[]) id`.execute(
      tx,
    );
    await sql`insert into contacts (organization_id, id, first_name, company_id)
      select ${organizationId}, c.id, 'Person', (${companies}::uuid[])[1 + (c.n - 1) % 30] from unnest(${contacts}::uuid[]) with ordinality c (id, n)`.execute(
      tx,
    );
    // `perOrg` activities, each linked to a contact, its company and a deal.
    await sql`insert into activities (organization_id, id, type, subject, status, done_at, created_at)
      select ${organizationId}, gen_random_uuid(), 'call', 'Call ' || n, 'done', now() - n * interval '1 hour', now() - n * interval '1 hour'
      from generate_series(1, ${perOrg}) n`.execute(tx);
    await sql`insert into activity_links (organization_id, activity_id, object_type, record_id)
      select a.organization_id, a.id, t.object_type, t.record_id
      from (select id, organization_id, row_number() over (order by id) as n from activities where organization_id = ${organizationId}) a
      cross join lateral (values
        ('contact', (${contacts}::uuid[])[1 + a.n % 300]),
        ('company', (${companies}::uuid[])[1 + a.n % 300 % 30]),
        ('deal', (${deals}::uuid[])[1 + a.n % 300])) t (object_type, record_id)`.execute(tx);
    return { contact: contacts[0] ?? '', company: companies[0] ?? '', deal: deals[0] ?? '' };
  }

  beforeAll(async () => {
    ({ database, dispose } = await openTestDatabase());
    for (const o of orgs) {
      const first = await database.db
        .transaction()
        .execute((tx) => seed(tx, o, o === org ? 10_000 : 2_000));
      if (o === org) Object.assign(firstOf, first);
    }
    await sql`analyze activities`.execute(database.db);
    await sql`analyze activity_links`.execute(database.db);
    await sql`analyze contacts`.execute(database.db);
  }, 120_000);
  afterAll(() => dispose());

  /** The plan as the application role; `indexesOnly` asks whether indexes can serve it at all. */
  const plan = (query: ReturnType<typeof sql>, indexesOnly = false) =>
    withTenant(database.db, org, async (tx) => {
      if (indexesOnly) await sql`set local enable_seqscan = off`.execute(tx);
      return (await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(tx)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    });
  const count = (query: ReturnType<typeof sql>) =>
    withTenant(
      database.db,
      org,
      async (tx) =>
        (await sql<{ n: number }>`select count(*)::int as n from (${query}) q`.execute(tx)).rows[0]
          ?.n,
    );

  it("lists a deal's activities (filter[dealId]) through activity_links_record and the activities key", async () => {
    const list = sql`select * from activities where organization_id = ${org} and deleted_at is null
      and ${linkFilterSql('activities', 'deal', 'eq', firstOf.deal)} order by created_at desc, id desc limit 51`;
    const text = await plan(list);
    expect(text).toContain('activity_links_record');
    expect(text).not.toMatch(/Seq Scan on activity_links|Seq Scan on activities/);
    expect(await count(list)).toBe(33);
  });

  it("reads a contact's and a company's timeline activities through the link index", async () => {
    const timeline = (ids: ReturnType<typeof sql>) => sql`select a.id from activities a
      where a.organization_id = ${org} and a.deleted_at is null and a.id in ${ids} order by coalesce(a.done_at, a.created_at) desc limit 51`;
    const contact = await plan(
      timeline(activityIdsOf(org, { objectType: 'contact', recordId: firstOf.contact })),
    );
    expect(contact).toContain('activity_links_record');
    expect(contact).not.toMatch(/Seq Scan on activity_links|Seq Scan on activities/);
    // A company's ~100 activities of 10,000: the planner may rather hash-join a scan of so small
    // a table; the links still come from the index, and the activities' key can serve the rest.
    const company = await plan(timeline(companyActivityIdsOf(org, firstOf.company)));
    expect(company).toContain('activity_links_record');
    expect(company).not.toMatch(/Seq Scan on activity_links/);
    expect(await plan(timeline(companyActivityIdsOf(org, firstOf.company)), true)).not.toMatch(
      /Seq Scan/,
    );
    expect(await count(timeline(companyActivityIdsOf(org, firstOf.company)))).toBe(51);
  });
});
