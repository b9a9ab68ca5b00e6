import { sql } from 'kysely';
import type { Tx } from './tenant.js';

/** A stable 32-bit hash of a name, for the second key of an advisory lock. */
function nameKey(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return h;
}

/**
 * Takes the transaction-scoped advisory lock (`lockClass`, `name`) if it is free, answering
 * whether it did. The two-key form keeps these locks apart from the one-key form the migrations
 * use; `name` tells instances apart (e.g. a RabbitMQ prefix).
 */
export async function tryAdvisoryLock(tx: Tx, lockClass: number, name: string): Promise<boolean> {
  const lock = await sql<{
    locked: boolean;
  }>`select pg_try_advisory_xact_lock(${lockClass}::int, ${nameKey(name)}::int) as locked`.execute(
    tx,
  );
  return lock.rows[0]?.locked === true;
}
