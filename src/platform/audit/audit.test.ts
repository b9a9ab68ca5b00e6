import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOrganization, openTestDatabase } from '../../../test/harness.js';
import { sql, withSystem, withTenant, type Database } from '../db/index.js';
import {
  appendAudit,
  canonicalJson,
  fieldDiff,
  redactAuditDiffs,
  verifyAuditChain,
} from './index.js';

describe('the hash-chained audit log', () => {
  let database: Database;
  let dispose: () => Promise<void>;

  beforeAll(async () => ({ database, dispose } = await openTestDatabase()));
  afterAll(() => dispose());

  async function orgWithEntries(n: number): Promise<string> {
    const org = await insertOrganization(database, 'Audited');
    for (let i = 0; i < n; i++) {
      await withTenant(database.db, org, (tx) =>
        appendAudit(tx, {
          organizationId: org,
          actorType: 'system',
          actorId: null,
          action: 'thing.updated',
          targetType: 'thing',
          targetId: null,
          diff: { n: { from: i, to: i + 1 }, note: { b: 1, a: 2 } },
        }),
      );
    }
    return org;
  }
  const verify = (org: string) => withTenant(database.db, org, (tx) => verifyAuditChain(tx, org));

  it('verifies an untouched chain', async () => {
    const org = await orgWithEntries(5);
    expect(await verify(org)).toEqual({
      organizationId: org,
      valid: true,
      checked: 5,
      brokenAt: null,
      reason: null,
    });
  });

  it('keeps one chain per organization under concurrent appends', async () => {
    const org = await insertOrganization(database, 'Busy');
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        withTenant(database.db, org, (tx) =>
          appendAudit(tx, {
            organizationId: org,
            actorType: 'system',
            actorId: null,
            action: `a.${i}`,
            targetType: 't',
            targetId: null,
          }),
        ),
      ),
    );
    expect((await verify(org)).checked).toBe(10);
  });

  it('detects an edited entry', async () => {
    const org = await orgWithEntries(4);
    await withSystem(database.db, (tx) =>
      sql`update audit_log set diff = '{"n":{"from":0,"to":99}}' where organization_id = ${org} and seq = 2`.execute(
        tx,
      ),
    );
    expect(await verify(org)).toMatchObject({
      valid: false,
      brokenAt: 2,
      reason: 'entry 2 was modified',
    });
  });

  it('detects a deleted entry in the middle', async () => {
    const org = await orgWithEntries(4);
    await withSystem(database.db, (tx) =>
      sql`delete from audit_log where organization_id = ${org} and seq = 3`.execute(tx),
    );
    expect(await verify(org)).toMatchObject({ valid: false, brokenAt: 3 });
  });

  it('detects deleted newest entries through the head', async () => {
    const org = await orgWithEntries(4);
    await withSystem(database.db, (tx) =>
      sql`delete from audit_log where organization_id = ${org} and seq = 4`.execute(tx),
    );
    const result = await verify(org);
    expect(result.valid).toBe(false);
    expect(result.reason).toContain('newest entries were removed');
  });

  it("lets an erasure blank a record's diffs and still verifies, while a forged redaction-free edit is caught", async () => {
    const org = await insertOrganization(database, 'Erasing');
    const target = crypto.randomUUID();
    for (const email of ['a@x.io', 'b@x.io']) {
      await withTenant(database.db, org, (tx) =>
        appendAudit(tx, {
          organizationId: org,
          actorType: 'system',
          actorId: null,
          action: 'contact.updated',
          targetType: 'contact',
          targetId: target,
          diff: { email: { from: null, to: email } },
        }),
      );
    }
    const redacted = await withTenant(database.db, org, (tx) =>
      redactAuditDiffs(tx, 'contact', target),
    );
    expect(redacted).toBe(2);
    const rows = await withTenant(database.db, org, (tx) =>
      tx
        .selectFrom('audit_log')
        .select(['diff', 'redacted_at'])
        .where('organization_id', '=', org)
        .execute(),
    );
    expect(rows.every((r) => r.diff === null && r.redacted_at !== null)).toBe(true);
    expect((await verify(org)).valid).toBe(true);
  });

  it('detects an edited diff even though the chain covers it by hash', async () => {
    const org = await orgWithEntries(2);
    await withSystem(database.db, (tx) =>
      sql`update audit_log set diff = '{"n":{"from":0,"to":7}}' where organization_id = ${org} and seq = 1`.execute(
        tx,
      ),
    );
    expect(await verify(org)).toMatchObject({ valid: false, brokenAt: 1 });
  });

  it('hashes independently of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"e":2,"f":1}]},"b":1}',
    );
  });

  it('diffs fields, leaving out the ones named', () => {
    expect(
      fieldDiff({ a: 1, b: 2, secret: 'x' }, { a: 1, b: 3, secret: 'y', c: 4 }, ['secret']),
    ).toEqual({ b: { from: 2, to: 3 }, c: { from: null, to: 4 } });
  });
});
