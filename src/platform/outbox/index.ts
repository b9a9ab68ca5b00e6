import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { PlatformTables, Tx } from '../db/index.js';
import { withSystem, withTenant } from '../db/index.js';
import { createMemoryBus, type RealtimeBus } from '../realtime/index.js';

/** A domain event as consumers receive it. */
export interface DomainEvent<P = Record<string, unknown>> {
  id: string;
  /** `resource.verb`, e.g. `user.invited`. */
  type: string;
  organizationId: string;
  aggregateType: string;
  aggregateId: string | null;
  occurredAt: Date;
  payload: P;
  /** Set when a workflow run's action caused the event (the loop guard reads its depth). */
  causation: Causation | null;
}

/** What caused an event: a workflow run, and how many runs deep the chain is. */
export interface Causation {
  workflowId: string;
  runId: string;
  depth: number;
}

/** What a service emits. */
export interface EventInput {
  organizationId: string;
  type: string;
  aggregateType: string;
  aggregateId: string | null;
  payload: Record<string, unknown>;
  causation?: Causation | null;
}

/** Writes an event to the outbox in the caller's transaction: it exists iff the change commits. */
export async function emit(tx: Tx, event: EventInput): Promise<string> {
  const id = uuidv7();
  await tx
    .insertInto('outbox')
    .values({
      organization_id: event.organizationId,
      id,
      type: event.type,
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      payload: JSON.stringify(event.payload),
      occurred_at: new Date(),
      published_at: null,
      last_error: null,
      causation: event.causation ? JSON.stringify(event.causation) : null,
    })
    .execute();
  return id;
}

/** Process adapters a consumer may use beside its transaction. */
export interface ConsumerServices {
  realtime: RealtimeBus;
}

/**
 * A consumer reacts to events. `handle` runs in a tenant transaction together with the record of
 * the event id, so an event redelivered after a crash is skipped: effects happen once.
 */
export interface Consumer {
  name: string;
  /** Event types it wants; `*` for all. */
  types: readonly string[];
  handle(tx: Tx, event: DomainEvent, services: ConsumerServices): Promise<void>;
}

export interface DispatcherOptions {
  pollMs?: number;
  batchSize?: number;
  onError?: (err: unknown, event: DomainEvent, consumer: string) => void;
  services?: ConsumerServices;
}

/** The in-process dispatcher: polls the outbox and delivers each event at least once, in order per aggregate. */
export interface OutboxDispatcher {
  /** Delivers what is pending now; resolves with how many events were published. */
  drain(): Promise<number>;
  /** Asks for a prompt poll (called after a commit that emitted events). */
  wake(): void;
  start(): void;
  /** Stops polling and waits for the batch in flight. */
  stop(): Promise<void>;
}

export function createOutboxDispatcher(db: Kysely<PlatformTables>, consumers: readonly Consumer[], options: DispatcherOptions = {}): OutboxDispatcher {
  const pollMs = options.pollMs ?? 500;
  const batchSize = options.batchSize ?? 100;
  const services = options.services ?? { realtime: createMemoryBus() };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;

  async function deliver(event: DomainEvent): Promise<void> {
    for (const c of consumers) {
      if (!c.types.includes('*') && !c.types.includes(event.type)) continue;
      await withTenant(db, event.organizationId, async (tx) => {
        const fresh = await tx
          .insertInto('processed_events')
          .values({ organization_id: event.organizationId, consumer: c.name, event_id: event.id })
          .onConflict((oc) => oc.columns(['organization_id', 'consumer', 'event_id']).doNothing())
          .returning('event_id')
          .executeTakeFirst();
        if (fresh) await c.handle(tx, event, services);
      });
    }
  }

  async function drainOnce(): Promise<number> {
    const batch = await withSystem(db, (tx) =>
      tx.selectFrom('outbox').selectAll().where('published_at', 'is', null).orderBy('position').limit(batchSize).execute(),
    );
    let published = 0;
    const blocked = new Set<string>();
    for (const row of batch) {
      const key = `${row.aggregate_type}:${row.aggregate_id ?? row.id}`;
      // A failed event holds back later events of the same aggregate: order per record.
      if (blocked.has(key)) continue;
      const event: DomainEvent = {
        id: row.id,
        type: row.type,
        organizationId: row.organization_id,
        aggregateType: row.aggregate_type,
        aggregateId: row.aggregate_id,
        occurredAt: row.occurred_at,
        payload: row.payload,
        causation: row.causation,
      };
      try {
        await deliver(event);
        await withSystem(db, (tx) =>
          tx.updateTable('outbox').set({ published_at: new Date(), attempts: sql`attempts + 1` }).where('organization_id', '=', row.organization_id).where('id', '=', row.id).execute(),
        );
        published++;
      } catch (err) {
        blocked.add(key);
        options.onError?.(err, event, 'dispatcher');
        await withSystem(db, (tx) =>
          tx
            .updateTable('outbox')
            .set({ attempts: sql`attempts + 1`, last_error: err instanceof Error ? err.message.slice(0, 500) : 'unknown error' })
            .where('organization_id', '=', row.organization_id)
            .where('id', '=', row.id)
            .execute(),
        );
      }
    }
    return published;
  }

  const drain = async (): Promise<number> => {
    while (running) await running;
    running = drainOnce().finally(() => (running = null));
    return running;
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      drain()
        .catch(() => 0)
        .finally(() => schedule(pollMs));
    }, ms);
    timer.unref();
  };

  return {
    drain,
    wake: () => schedule(0),
    start: () => {
      stopped = false;
      schedule(0);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running.catch(() => 0);
    },
  };
}
