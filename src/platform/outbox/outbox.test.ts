import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOrganization, openTestDatabase } from '../../../test/harness.js';
import { withSystem, withTenant, type Database } from '../db/index.js';
import { createOutboxDispatcher, emit, type EventHandler, type DomainEvent } from './index.js';

describe('the transactional outbox', () => {
  let database: Database;
  let dispose: () => Promise<void>;
  let org: string;

  beforeAll(async () => {
    ({ database, dispose } = await openTestDatabase());
    org = await insertOrganization(database, 'Events');
  });
  afterAll(() => dispose());

  const event = (aggregateId: string, n: number) => ({
    organizationId: org,
    type: 'thing.updated',
    aggregateType: 'thing',
    aggregateId,
    payload: { n },
  });

  it('keeps an event only when its transaction commits', async () => {
    const id = crypto.randomUUID();
    await expect(
      withTenant(database.db, org, async (tx) => {
        await emit(tx, event(id, 1));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await withSystem(database.db, (tx) =>
      tx.selectFrom('outbox').select('id').where('aggregate_id', '=', id).execute(),
    );
    expect(rows).toHaveLength(0);
  });

  it('delivers each event once per consumer, in order, and skips redeliveries', async () => {
    const seen: number[] = [];
    const consumer: EventHandler = {
      name: 'test.recorder',
      types: ['thing.updated'],
      handle: async (_tx, e: DomainEvent) => void seen.push(Number(e.payload.n)),
    };
    const id = crypto.randomUUID();
    await withTenant(database.db, org, async (tx) => {
      for (let n = 1; n <= 3; n++) await emit(tx, event(id, n));
    });
    const dispatcher = createOutboxDispatcher(database.db, [consumer]);
    expect(await dispatcher.drain()).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([1, 2, 3]);
    // A crash after handling but before marking published means redelivery; the consumer skips it.
    await withSystem(database.db, (tx) =>
      tx.updateTable('outbox').set({ published_at: null }).where('aggregate_id', '=', id).execute(),
    );
    await dispatcher.drain();
    expect(seen).toEqual([1, 2, 3]);
  });

  it('retries a failing consumer and holds back later events of the same record', async () => {
    let down = true;
    const seen: number[] = [];
    const consumer: EventHandler = {
      name: 'test.flaky',
      types: ['thing.updated'],
      handle: async (_tx, e) => {
        if (down && e.payload.n === 1) throw new Error('downstream unavailable');
        seen.push(Number(e.payload.n));
      },
    };
    const id = crypto.randomUUID();
    await withTenant(database.db, org, async (tx) => {
      await emit(tx, event(id, 1));
      await emit(tx, event(id, 2));
    });
    const errors: string[] = [];
    const dispatcher = createOutboxDispatcher(database.db, [consumer], {
      onError: (err) => errors.push(String(err)),
    });
    await dispatcher.drain();
    expect(seen).toEqual([]);
    expect(errors[0]).toContain('downstream unavailable');
    const failed = await withSystem(database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['attempts', 'last_error'])
        .where('aggregate_id', '=', id)
        .orderBy('position')
        .executeTakeFirstOrThrow(),
    );
    expect(failed).toEqual({ attempts: 1, last_error: 'downstream unavailable' });
    down = false;
    await dispatcher.drain();
    expect(seen).toEqual([1, 2]);
  });

  it('hands a batch to a consumer in one transaction, and a failing record holds back only itself', async () => {
    const [a, b, c] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const transactions = new Set<unknown>();
    const seen: string[] = [];
    let down = true;
    const consumer: EventHandler = {
      name: 'test.batched',
      types: ['thing.updated'],
      handle: async (tx, e) => {
        transactions.add(tx);
        if (down && e.aggregateId === b && e.payload.n === 1) throw new Error('b is broken');
        seen.push(
          `${e.aggregateId === a ? 'a' : e.aggregateId === b ? 'b' : 'c'}${String(e.payload.n)}`,
        );
      },
    };
    await withTenant(database.db, org, async (tx) => {
      for (const n of [1, 2]) for (const id of [a, b, c]) await emit(tx, event(id, n));
    });
    const dispatcher = createOutboxDispatcher(database.db, [consumer]);
    // Healthy first, in one lane: the six events share one transaction.
    down = false;
    const healthy = createOutboxDispatcher(
      database.db,
      [{ ...consumer, name: 'test.batched-clean' }],
      { concurrency: 1 },
    );
    expect(await healthy.drain()).toBe(6);
    expect(transactions.size).toBe(1);
    expect(seen).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
    // Now the same events again for a consumer on which b's first event fails.
    await withSystem(database.db, (tx) =>
      tx
        .updateTable('outbox')
        .set({ published_at: null })
        .where('aggregate_id', 'in', [a, b, c])
        .execute(),
    );
    seen.length = 0;
    down = true;
    expect(await dispatcher.drain()).toBe(4);
    // a1 may be handled twice (in the batch that rolled back, then alone): only what commits counts.
    expect([...new Set(seen)].sort()).toEqual(['a1', 'a2', 'c1', 'c2']);
    const unpublished = await withSystem(database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['aggregate_id', 'attempts'])
        .where('aggregate_id', 'in', [a, b, c])
        .where('published_at', 'is', null)
        .orderBy('position')
        .execute(),
    );
    expect(unpublished.map((r) => r.aggregate_id)).toEqual([b, b]);
    down = false;
    seen.length = 0;
    expect(await dispatcher.drain()).toBe(2);
    expect(seen).toEqual(['b1', 'b2']);
  });
});
