import { sql } from 'kysely';
import type { Tx } from './tenant.js';

/** Rows of one kind waiting for their transaction's commit, and how to write them all at once. */
interface Pending {
  items: unknown[];
  flush: (tx: Tx, items: unknown[]) => Promise<void>;
}

/** The transactions `transaction()` opened and has not finished: only those can hold writes back. */
const open = new WeakSet<Tx>();
const pending = new WeakMap<Tx, Map<string, Pending>>();

/** Marks `tx` as one whose deferred writes are flushed before it commits. */
export function trackTransaction(tx: Tx): void {
  open.add(tx);
}

/**
 * Writes what `tx` held back, each kind in one go, in the order the kinds were first deferred; the
 * caller runs this as the last thing before commit. A flush may defer nothing new.
 */
export async function flushDeferred(tx: Tx): Promise<void> {
  const kinds = pending.get(tx);
  pending.delete(tx);
  open.delete(tx);
  for (const { items, flush } of kinds?.values() ?? []) if (items.length) await flush(tx, items);
}

/** Forgets what `tx` held back (it rolled back). */
export function dropDeferred(tx: Tx): void {
  pending.delete(tx);
  open.delete(tx);
}

/**
 * Holds a row back until just before `tx` commits, to be written with the other rows of its kind
 * in one statement (an audit entry, an outbox event): a transaction that records ten changes writes
 * its audit chain and its events once, not ten times. A transaction this module does not know
 * (a derived `tx.withTables()` object, a test's raw Kysely transaction) writes the row at once.
 */
export async function deferWrite<T>(
  tx: Tx,
  kind: string,
  item: T,
  flush: (tx: Tx, items: T[]) => Promise<void>,
): Promise<void> {
  if (!open.has(tx)) return flush(tx, [item]);
  const kinds = pending.get(tx) ?? new Map<string, Pending>();
  pending.set(tx, kinds);
  const entry = kinds.get(kind);
  if (entry) entry.items.push(item);
  else kinds.set(kind, { items: [item], flush: flush as Pending['flush'] });
}

/**
 * Runs `fn` in a savepoint of `tx`: when it throws, what it wrote is undone — rows in the database
 * and rows held back alike — and the transaction goes on. Answers whether `fn` succeeded.
 */
export async function inSavepoint<T>(
  tx: Tx,
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  const kinds = pending.get(tx);
  const lengths = new Map([...(kinds?.entries() ?? [])].map(([k, p]) => [k, p.items.length]));
  await sql`savepoint cerebro_step`.execute(tx);
  try {
    const value = await fn();
    await sql`release savepoint cerebro_step`.execute(tx);
    return { ok: true, value };
  } catch (error) {
    await sql`rollback to savepoint cerebro_step`.execute(tx);
    for (const [kind, p] of pending.get(tx) ?? []) p.items.length = lengths.get(kind) ?? 0;
    return { ok: false, error };
  }
}
