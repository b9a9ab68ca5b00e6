import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, insertOrganization, type TestApp } from '../../../test/harness.js';
import { createCtx, systemActor, type Ctx } from '../context/index.js';
import { withSystem } from '../db/index.js';
import { isDomainError } from '../errors/index.js';
import { withIdempotency, type IdempotencyMode, type StoredAnswer } from './idempotency.js';

describe('Idempotency-Key: the key commits with the work', () => {
  let t: TestApp;
  let org: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await insertOrganization(t.deps.database, 'Idempotent');
  });
  afterAll(() => t.close());

  const ctx = (): Ctx => createCtx(t.deps, systemActor(org));
  const request = (subject: string) => ({
    method: 'POST',
    path: '/api/v1/things',
    body: { subject },
  });

  /** The work: one row written through the ctx, answered with its subject. */
  const write = (c: Ctx, subject: string) => async (): Promise<StoredAnswer> => {
    await c.tx((tx) =>
      tx
        .insertInto('mailbox')
        .values({
          organization_id: org,
          id: crypto.randomUUID(),
          to_address: 'i@d.em',
          from_address: 'a@b.c',
          subject,
          text_body: '',
        })
        .execute(),
    );
    return { status: 201, body: { subject } };
  };
  const written = async (subject: string) =>
    Number(
      (
        await withSystem(t.deps.database.db, (tx) =>
          sql<{
            n: number;
          }>`select count(*)::int as n from mailbox where subject = ${subject}`.execute(tx),
        )
      ).rows[0]?.n,
    );
  const keyRow = (key: string) =>
    withSystem(t.deps.database.db, (tx) =>
      tx.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst(),
    );
  const codeOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'answered';
    } catch (e) {
      return isDomainError(e) ? e.code : String(e);
    }
  };

  for (const mode of ['atomic', 'first-transaction'] as IdempotencyMode[]) {
    it(`${mode}: concurrent requests with one key do the work once and all get its answer`, async () => {
      const subject = `concurrent-${mode}`;
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => {
          const c = ctx();
          return withIdempotency(
            c,
            `k-${subject}`,
            request(subject),
            write(c, subject),
            mode,
          ).catch((e: unknown) => (isDomainError(e) ? e.code : 'error'));
        }),
      );
      expect(await written(subject)).toBe(1);
      const bodies = answers.filter((a) => typeof a === 'object');
      // Every request either got the first answer or was told the first one was still running.
      expect(bodies.length + answers.filter((a) => a === 'IDEMPOTENCY_IN_PROGRESS').length).toBe(5);
      expect(bodies.length).toBeGreaterThanOrEqual(1);
      for (const b of bodies) expect(b).toMatchObject({ status: 201, body: { subject } });
      expect(bodies.filter((b) => !b.replayed)).toHaveLength(1);
      const retried = await withIdempotency(
        ctx(),
        `k-${subject}`,
        request(subject),
        write(ctx(), subject),
        mode,
      );
      expect(retried).toEqual({ status: 201, body: { subject }, replayed: true });
    });

    it(`${mode}: work that fails leaves neither a row nor a claim, and the retry does it`, async () => {
      const subject = `failing-${mode}`;
      const c = ctx();
      const failing = async (): Promise<StoredAnswer> => {
        await c.tx(async (tx) => {
          await tx
            .insertInto('mailbox')
            .values({
              organization_id: org,
              id: crypto.randomUUID(),
              to_address: 'i@d.em',
              from_address: 'a@b.c',
              subject,
              text_body: '',
            })
            .execute();
          throw new Error('the database went away mid-request');
        });
        return { status: 201, body: null };
      };
      await expect(
        withIdempotency(c, `k-${subject}`, request(subject), failing, mode),
      ).rejects.toThrow('went away');
      expect(await written(subject)).toBe(0);
      expect(await keyRow(`k-${subject}`)).toBeUndefined();
      const c2 = ctx();
      expect(
        await withIdempotency(c2, `k-${subject}`, request(subject), write(c2, subject), mode),
      ).toMatchObject({ status: 201, replayed: false });
      expect(await written(subject)).toBe(1);
    });
  }

  it("atomic: the answer is stored in the work's transaction", async () => {
    const c = ctx();
    let seenInWork: unknown = 'not looked';
    await withIdempotency(
      c,
      'k-atomic-inside',
      request('inside'),
      async () => {
        await write(c, 'inside')();
        // The claim is already in this transaction (and nobody else's).
        seenInWork = await c.tx((tx) =>
          tx
            .selectFrom('idempotency_keys')
            .select('status_code')
            .where('key', '=', 'k-atomic-inside')
            .executeTakeFirst(),
        );
        return { status: 201, body: { subject: 'inside' } };
      },
      'atomic',
    );
    expect(seenInWork).toEqual({ status_code: null });
    expect(await keyRow('k-atomic-inside')).toMatchObject({
      status_code: 201,
      response_body: { subject: 'inside' },
    });
  });

  it('first-transaction: a request that died after its work committed is never done again; its lost answer is said so', async () => {
    const subject = 'died-after-commit';
    const c = ctx();
    // The work commits, then the process "dies" before the answer is stored (execute never returns).
    void withIdempotency(c, `k-${subject}`, request(subject), async () => {
      await write(c, subject)();
      return new Promise<StoredAnswer>(() => undefined);
    });
    await expect.poll(() => written(subject)).toBe(1);
    expect(await keyRow(`k-${subject}`)).toMatchObject({ status_code: null });
    expect(
      await codeOf(withIdempotency(ctx(), `k-${subject}`, request(subject), write(ctx(), subject))),
    ).toBe('IDEMPOTENCY_IN_PROGRESS');
    await withSystem(t.deps.database.db, (tx) =>
      sql`update idempotency_keys set created_at = now() - interval '5 minutes' where key = ${`k-${subject}`}`.execute(
        tx,
      ),
    );
    expect(
      await codeOf(withIdempotency(ctx(), `k-${subject}`, request(subject), write(ctx(), subject))),
    ).toBe('IDEMPOTENCY_ANSWER_LOST');
    expect(await written(subject)).toBe(1);
  });

  it('refuses the key with another body, and a malformed key naming the header', async () => {
    const c = ctx();
    await withIdempotency(c, 'k-body', request('one'), write(c, 'one'), 'atomic');
    expect(
      await codeOf(withIdempotency(ctx(), 'k-body', request('two'), write(ctx(), 'two'), 'atomic')),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await written('two')).toBe(0);
    await expect(
      withIdempotency(ctx(), 'bad key!', request('x'), write(ctx(), 'x')),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'Idempotency-Key' }] });
  });
});
