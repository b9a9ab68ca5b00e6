import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';

/**
 * The audit entry and the event of a created or updated record, written in the caller's
 * transaction. Every record write — the lifecycle of objects in their own tables and the records
 * of admins' objects in the shared one — ends here, so their actions, event names and payload
 * shapes cannot drift apart.
 */
export interface RecordChange {
  /** The object key (`contact`, a custom object's `project`): `<key>.created|updated`. */
  key: string;
  id: string;
  verb: 'created' | 'updated';
  /** The record as the write answers it; the event carries it under the key. */
  record: unknown;
  /** The audit entry's field diff; an update's event carries it as `changes`. */
  diff: Record<string, { from: unknown; to: unknown }>;
  /** Further event fields its consumers read (a custom object's `object` and `resource`). */
  payload?: Record<string, unknown>;
}

/** Writes the audit entry and emits `<key>.created|updated` for one record write. */
export async function recordChanged(ctx: Ctx, tx: Tx, change: RecordChange): Promise<void> {
  const { key, id, verb, diff } = change;
  await ctx.audit(tx, { action: `${key}.${verb}`, targetType: key, targetId: id, diff });
  await ctx.emit(tx, {
    type: `${key}.${verb}`,
    aggregateType: key,
    aggregateId: id,
    payload: {
      [key]: change.record,
      ...(verb === 'updated' ? { changes: diff } : {}),
      ...change.payload,
    },
  });
}
