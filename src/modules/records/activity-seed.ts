import type { Insertable } from 'kysely';
import type { Deps } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { refreshAllLastContacted, type RecordRef } from './activity-links.js';
import type { ActivityTable, RecordsTables } from './schema.js';

/** A demo activity and the records it is about. */
export interface SeedActivity {
  activity: Insertable<ActivityTable>;
  links: readonly RecordRef[];
}

/**
 * Writes a demo organization's history of activities in a few statements (a demo seed writes
 * hundreds; the lifecycle's per-record audit and events are not wanted there), then derives the
 * records' last contact (a contact's `lastContactedAt`) from it once, the way the activity service keeps it afterwards.
 */
export async function insertSeedActivities(
  deps: Deps,
  tx: Tx,
  organizationId: string,
  seed: readonly SeedActivity[],
): Promise<void> {
  const db = tx.withTables<RecordsTables>();
  for (let i = 0; i < seed.length; i += 200)
    await db
      .insertInto('activities')
      .values(
        seed.slice(i, i + 200).map((s) => ({ ...s.activity, organization_id: organizationId })),
      )
      .execute();
  const links = seed.flatMap(({ activity, links }) =>
    links.map((l) => ({
      organization_id: organizationId,
      activity_id: activity.id,
      object_type: l.objectType,
      record_id: l.recordId,
      created_at: activity.created_at,
    })),
  );
  for (let i = 0; i < links.length; i += 400)
    await db
      .insertInto('activity_links')
      .values(links.slice(i, i + 400))
      .execute();
  await refreshAllLastContacted(deps, tx, organizationId);
}
