import { sql } from 'kysely';
import type { Ctx } from '../context/index.js';
import type { Tx } from '../db/index.js';
import { DomainError } from '../errors/index.js';

/**
 * The trash every record type shares: delete marks the row, restore un-marks it within the days
 * below, and both bump the version, write the audit entry and emit the event in the caller's
 * transaction. Services load and authorize the row first (their scopes differ); the rest is here
 * once, so the objects cannot drift apart in codes, clocks or audit actions.
 */

/** How long a deleted record can be restored; the purge sweeps delete it after that. */
export const TRASH_DAYS = 30;
const DAY_MS = 86_400_000;

/** The record type whose row is moved: its table and the key its audit entries and events name. */
export interface TrashTarget {
  /** The table holding the rows, with `organization_id`, `id`, `version`, `deleted_at`, `updated_at`. */
  table: string;
  /** The object key (`contact`, `ticket`, a custom object's key). */
  key: string;
  /** How messages name one record ("Contact"). */
  label: string;
}

/** The columns of a loaded row the trash reads. */
export interface TrashableRow {
  id: string;
  version: number;
  deleted_at: Date | null;
}

async function mark(
  ctx: Ctx,
  tx: Tx,
  target: TrashTarget,
  row: TrashableRow,
  deletedAt: Date | null,
) {
  const now = ctx.deps.clock.now();
  await sql`update ${sql.table(target.table)}
    set deleted_at = ${deletedAt}, version = ${row.version + 1}, updated_at = ${now}
    where organization_id = ${ctx.organizationId} and id = ${row.id}`.execute(tx);
}

/**
 * Moves a loaded, authorized record to the trash. `payload` is the event's (at least the id;
 * objects add what their consumers route on, like the owner).
 */
export async function moveToTrash(
  ctx: Ctx,
  tx: Tx,
  target: TrashTarget,
  row: TrashableRow,
  payload: Record<string, unknown> = { id: row.id },
): Promise<void> {
  await mark(ctx, tx, target, row, ctx.deps.clock.now());
  await ctx.audit(tx, {
    action: `${target.key}.deleted`,
    targetType: target.key,
    targetId: row.id,
    diff: null,
  });
  await ctx.emit(tx, {
    type: `${target.key}.deleted`,
    aggregateType: target.key,
    aggregateId: row.id,
    payload,
  });
}

/**
 * Takes a loaded, authorized record out of the trash: 409 when it is not in it, 422 once the
 * days are over. `present` reads the restored record back (through the object's own loader, so
 * the event carries what a read would answer) before the event names it under the object's key.
 */
export async function takeOutOfTrash<T>(
  ctx: Ctx,
  tx: Tx,
  target: TrashTarget,
  row: TrashableRow,
  present: () => Promise<T>,
  payload: (record: T) => Record<string, unknown> = (record) => ({ [target.key]: record }),
): Promise<T> {
  if (!row.deleted_at)
    throw new DomainError('conflict', 'RECORD_NOT_DELETED', `${target.label} is not in the trash`);
  if (ctx.deps.clock.now().getTime() - row.deleted_at.getTime() > TRASH_DAYS * DAY_MS)
    throw new DomainError(
      'rule_violated',
      'RECORD_TRASH_EXPIRED',
      `${target.label} was deleted more than ${TRASH_DAYS} days ago and can no longer be restored`,
    );
  await mark(ctx, tx, target, row, null);
  const record = await present();
  await ctx.audit(tx, {
    action: `${target.key}.restored`,
    targetType: target.key,
    targetId: row.id,
    diff: null,
  });
  await ctx.emit(tx, {
    type: `${target.key}.restored`,
    aggregateType: target.key,
    aggregateId: row.id,
    payload: payload(record),
  });
  return record;
}

/** The moment before which trashed rows are past restoring. */
export const trashCutoff = (now: Date): Date => new Date(now.getTime() - TRASH_DAYS * DAY_MS);
