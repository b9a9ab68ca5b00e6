import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { notInTrash, trashExpired } from './errors.js';
import { TRASH_DAYS } from './record-access.js';
import type { RecordsTables } from './schema.js';

/** The record tables that have a trash. */
export type TrashableTable = 'contacts' | 'companies';
const RESOURCE: Record<TrashableTable, string> = { contacts: 'contact', companies: 'company' };

/** Marks a loaded, authorized record deleted and records it (audit entry and event). */
export async function moveToTrash(
  ctx: Ctx,
  tx: Tx,
  table: TrashableTable,
  id: string,
  version: number,
): Promise<void> {
  await tx
    .withTables<RecordsTables>()
    .updateTable(table)
    .set({ deleted_at: new Date(), version: version + 1 })
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id)
    .execute();
  const resource = RESOURCE[table];
  await ctx.audit(tx, {
    action: `${resource}.deleted`,
    targetType: resource,
    targetId: id,
    diff: null,
  });
  await ctx.emit(tx, {
    type: `${resource}.deleted`,
    aggregateType: resource,
    aggregateId: id,
    payload: { id },
  });
}

/** Un-deletes a loaded, authorized record that is in the trash and not yet expired. */
export async function takeOutOfTrash(
  ctx: Ctx,
  tx: Tx,
  table: TrashableTable,
  row: { id: string; version: number; deleted_at: Date | null },
): Promise<void> {
  const label = RESOURCE[table][0]?.toUpperCase() + RESOURCE[table].slice(1);
  if (!row.deleted_at) throw notInTrash(label);
  if (Date.now() - row.deleted_at.getTime() > TRASH_DAYS * 86_400_000) throw trashExpired(label);
  await tx
    .withTables<RecordsTables>()
    .updateTable(table)
    .set({ deleted_at: null, version: row.version + 1, updated_at: new Date() })
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', row.id)
    .execute();
  await ctx.audit(tx, {
    action: `${RESOURCE[table]}.restored`,
    targetType: RESOURCE[table],
    targetId: row.id,
    diff: null,
  });
}
