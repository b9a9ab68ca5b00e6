import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely, type Transaction } from 'kysely';
import { dropDeferred, flushDeferred, trackTransaction } from './deferred.js';
import type { PlatformTables } from './tables.js';

/** The role application queries run as; it owns nothing, so row level security applies to it. */
export const APP_ROLE = 'cerebro_app';

/** A transaction scoped to one organization (or the system), typed with the platform tables. */
export type Tx = Transaction<PlatformTables>;

const open = new AsyncLocalStorage<Kysely<PlatformTables>>();

const commitHooks = new WeakMap<Tx, Set<() => void>>();

/**
 * Runs `hook` once `tx` has committed (never after a rollback): waking a poller for the events
 * or jobs the transaction wrote, handing a job to the runner that will run it. The same hook
 * registered twice runs once. Hooks must not throw.
 */
export function onCommit(tx: Tx, hook: () => void): void {
  const hooks = commitHooks.get(tx) ?? new Set();
  hooks.add(hook);
  commitHooks.set(tx, hooks);
}

/**
 * Opens a transaction, refusing to nest one inside another on the same database: the embedded
 * database has a single connection, so a nested transaction would wait for itself forever.
 */
async function transaction<T>(db: Kysely<PlatformTables>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (open.getStore() === db) {
    throw new Error(
      'A transaction was opened inside another one on the same database; pass the open transaction down instead',
    );
  }
  let hooks: Set<() => void> | undefined;
  const result = await open.run(db, () =>
    db.transaction().execute(async (tx) => {
      trackTransaction(tx);
      try {
        const result = await fn(tx);
        await flushDeferred(tx);
        return result;
      } finally {
        dropDeferred(tx);
        hooks = commitHooks.get(tx);
        commitHooks.delete(tx);
      }
    }),
  );
  // Outside the AsyncLocalStorage scope: a hook may open a transaction of its own.
  for (const hook of hooks ?? []) hook();
  return result;
}

/**
 * Runs `fn` in a transaction that can see exactly one organization's rows.
 *
 * Both settings are transaction-local (`set_config(..., true)`), so a pooled connection never
 * carries a tenant into the next request. Dropping to APP_ROLE matters because row level
 * security never applies to superusers or table owners — and PGlite connects as a superuser.
 */
export async function withTenant<T>(
  db: Kysely<PlatformTables>,
  organizationId: string,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return transaction(db, async (tx) => {
    await sql`select set_config('app.organization_id', ${organizationId}, true), set_config('role', ${APP_ROLE}, true)`.execute(
      tx,
    );
    return fn(tx);
  });
}

/**
 * Runs `fn` as the owner, across organizations. Only for work that has no tenant yet or spans
 * all of them: resolving a login email or an API key prefix, registration, the outbox
 * dispatcher, migrations, audit verification by the CLI.
 */
export async function withSystem<T>(
  db: Kysely<PlatformTables>,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return transaction(db, fn);
}

/** Runs `fn` as the app role with no organization set: sees no tenant rows (used to prove RLS). */
export async function withoutTenant<T>(
  db: Kysely<PlatformTables>,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return transaction(db, async (tx) => {
    await sql`select set_config('role', ${APP_ROLE}, true)`.execute(tx);
    return fn(tx);
  });
}
