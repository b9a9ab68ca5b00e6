import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createTestApp, insertOrganization, type TestApp } from '../../../test/harness.js';
import { manualClock } from '../../../test/jobs.js';
import { withSystem, withTenant } from '../db/index.js';
import { createOutboxDispatcher, emit } from '../outbox/index.js';
import { consumerHandler, type Consumer, type Ctx, type Deps } from './index.js';

describe('event consumers receive a ctx', () => {
  let t: TestApp;
  let org: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await insertOrganization(t.deps.database, 'Consumers');
  });
  afterAll(() => t.close());

  const emitThing = (n: number) =>
    withTenant(t.deps.database.db, org, (tx) =>
      emit(tx, {
        organizationId: org,
        type: 'thing.happened',
        aggregateType: 'thing',
        aggregateId: uuidv7(),
        payload: { n },
      }),
    );
  const auditRows = (action: string) =>
    withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('audit_log')
        .select(['actor_type', 'target_id'])
        .where('organization_id', '=', org)
        .where('action', '=', action)
        .execute(),
    );
  const dispatch = (deps: Deps, consumer: Consumer) =>
    createOutboxDispatcher(deps.database.db, [consumerHandler(deps, consumer)]);

  it("runs as the system actor of the event's organization, with the deps, in the transaction that records the event", async () => {
    const seen: Array<{ ctx: Ctx; n: number }> = [];
    let failing = true;
    const clock = manualClock(new Date('2031-02-03T04:05:06Z'));
    const deps: Deps = { ...t.deps, clock };
    const consumer: Consumer = {
      name: 'test.ctx',
      types: ['thing.happened'],
      async handle(ctx, event) {
        seen.push({ ctx, n: Number(event.payload.n) });
        await ctx.tx((tx) =>
          ctx.audit(tx, {
            action: 'thing.noted',
            targetType: 'thing',
            targetId: event.id,
            diff: null,
          }),
        );
        // The audit entry written above rolls back with the failed attempt: effects happen once.
        if (failing) throw new Error('not yet');
      },
    };
    const id = await emitThing(7);
    const dispatcher = dispatch(deps, consumer);
    await dispatcher.drain();
    expect(await auditRows('thing.noted')).toEqual([]);
    failing = false;
    await dispatcher.drain();
    expect(await auditRows('thing.noted')).toEqual([{ actor_type: 'system', target_id: id }]);
    const handled = seen.length;
    // A redelivery of the same event (published mark lost) is skipped: still one entry.
    await withSystem(t.deps.database.db, (tx) =>
      tx.updateTable('outbox').set({ published_at: null }).where('id', '=', id).execute(),
    );
    await dispatcher.drain();
    expect(seen).toHaveLength(handled);
    expect(seen.map((s) => s.n)).toEqual(seen.map(() => 7));
    expect(await auditRows('thing.noted')).toHaveLength(1);

    const ctx = seen.at(-1)?.ctx;
    expect(ctx?.organizationId).toBe(org);
    expect(ctx?.actor).toMatchObject({ type: 'system', organizationId: org, userId: null });
    expect(ctx?.deps.clock.now()).toEqual(clock.at);
    expect(ctx?.deps.mailer).toBe(t.deps.mailer);
    expect(ctx?.causation).toBeNull();
  });
});
