import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOrganization, openTestDatabase } from '../../../test/harness.js';
import { onCommit, sql, withSystem, withTenant, withoutTenant, type Database } from './index.js';

describe('tenant isolation in the database', () => {
  let database: Database;
  let dispose: () => Promise<void>;
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    ({ database, dispose } = await openTestDatabase());
    orgA = await insertOrganization(database, 'Alpha');
    orgB = await insertOrganization(database, 'Beta');
    for (const [org, subject] of [
      [orgA, 'for A'],
      [orgB, 'for B'],
    ] as const) {
      await withTenant(database.db, org, (tx) =>
        tx
          .insertInto('mailbox')
          .values({
            organization_id: org,
            id: crypto.randomUUID(),
            to_address: 'x@y.z',
            from_address: 'a@b.c',
            subject,
            text_body: '',
          })
          .execute(),
      );
    }
  });
  afterAll(() => dispose());

  it('runs tenant queries as the non-owner app role, so row level security applies', async () => {
    const role = await withTenant(database.db, orgA, (tx) =>
      sql<{ current_user: string }>`select current_user`.execute(tx),
    );
    expect(role.rows[0]?.current_user).toBe('cerebro_app');
  });

  it("sees only the current organization's rows", async () => {
    const rows = await withTenant(database.db, orgA, (tx) =>
      tx.selectFrom('mailbox').select('subject').execute(),
    );
    expect(rows.map((r) => r.subject)).toEqual(['for A']);
    const orgs = await withTenant(database.db, orgB, (tx) =>
      tx.selectFrom('organizations').select('id').execute(),
    );
    expect(orgs.map((o) => o.id)).toEqual([orgB]);
  });

  it('sees zero rows when a query runs without the tenant setting', async () => {
    const rows = await withoutTenant(database.db, (tx) =>
      tx.selectFrom('mailbox').select('subject').execute(),
    );
    expect(rows).toHaveLength(0);
    const orgs = await withoutTenant(database.db, (tx) =>
      tx.selectFrom('organizations').select('id').execute(),
    );
    expect(orgs).toHaveLength(0);
    // The owner (system) still sees both, proving the rows exist.
    const all = await withSystem(database.db, (tx) =>
      tx.selectFrom('mailbox').select('subject').execute(),
    );
    expect(all).toHaveLength(2);
  });

  it('refuses to write a row into another organization', async () => {
    await expect(
      withTenant(database.db, orgA, (tx) =>
        tx
          .insertInto('mailbox')
          .values({
            organization_id: orgB,
            id: crypto.randomUUID(),
            to_address: 'x@y.z',
            from_address: 'a@b.c',
            subject: 'sneaky',
            text_body: '',
          })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('does not leak the tenant setting into the next transaction on the connection', async () => {
    await withTenant(database.db, orgA, async () => undefined);
    const after = await withoutTenant(database.db, (tx) =>
      sql<{ org: string | null }>`select cerebro_org() as org`.execute(tx),
    );
    expect(after.rows[0]?.org).toBeNull();
  });

  it('forbids the app role to rewrite the audit log', async () => {
    await expect(
      withTenant(database.db, orgA, (tx) => tx.deleteFrom('audit_log').execute()),
    ).rejects.toThrow(/permission denied/);
  });
});

describe('commit hooks', () => {
  let database: Database;
  let dispose: () => Promise<void>;
  let org: string;

  beforeAll(async () => {
    ({ database, dispose } = await openTestDatabase());
    org = await insertOrganization(database, 'Hooks');
  });
  afterAll(() => dispose());

  it('runs a hook once after the commit, when the written row is visible, and a repeated hook once', async () => {
    const seen: number[] = [];
    const hook = () => void seen.push(1);
    const inHook: { visible: Promise<number> | null } = { visible: null };
    await withTenant(database.db, org, async (tx) => {
      await tx
        .insertInto('mailbox')
        .values({
          organization_id: org,
          id: crypto.randomUUID(),
          to_address: 'h@y.z',
          from_address: 'a@b.c',
          subject: 'hooked',
          text_body: '',
        })
        .execute();
      onCommit(tx, hook);
      onCommit(tx, hook);
      // A hook may open its own transaction: it runs outside the committed one.
      onCommit(tx, () => {
        inHook.visible = withTenant(
          database.db,
          org,
          async (t2) =>
            (await t2.selectFrom('mailbox').select('id').where('subject', '=', 'hooked').execute())
              .length,
        );
      });
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual([1]);
    expect(await inHook.visible).toBe(1);
  });

  it('never runs the hooks of a rolled-back transaction', async () => {
    let ran = false;
    await expect(
      withTenant(database.db, org, async (tx) => {
        onCommit(tx, () => (ran = true));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(ran).toBe(false);
  });
});
