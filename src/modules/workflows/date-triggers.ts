import { createCtx, systemActor, type Deps } from '../../platform/context/index.js';
import { withSystem, type Tx } from '../../platform/db/index.js';
import { dealsClosingBetween } from '../sales/index.js';
import { tasksDueBetween } from '../records/index.js';
import { evaluateConditions } from './conditions.js';
import { startRun } from './runs.js';
import type { WorkflowTables } from './schema.js';
import { loadVersion } from './workflows.js';

const db = (tx: Tx) => tx.withTables<WorkflowTables>();
const DAY_MS = 86_400_000;
const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

/** The records whose date, moved by the offset, falls in (from, to], with the date that fires. */
async function dueRecords(
  deps: Deps,
  organizationId: string,
  object: 'deal' | 'activity',
  offsetDays: number,
  from: Date,
  to: Date,
): Promise<Array<{ record: Record<string, unknown> & { id: string }; date: string }>> {
  const ctx = createCtx(deps, systemActor(organizationId));
  const lo = new Date(from.getTime() - offsetDays * DAY_MS);
  const hi = new Date(to.getTime() - offsetDays * DAY_MS);
  const inWindow = (t: number) => t > lo.getTime() && t <= hi.getTime();
  if (object === 'deal') {
    // A close date fires at 00:00 UTC of its day (plus the offset).
    const deals = await dealsClosingBetween(
      ctx,
      dateOnly(new Date(lo.getTime() - DAY_MS)),
      dateOnly(new Date(hi.getTime() + DAY_MS)),
    );
    return deals.flatMap((d) =>
      d.expectedCloseDate && inWindow(Date.parse(`${d.expectedCloseDate}T00:00:00Z`))
        ? [{ record: { ...d }, date: d.expectedCloseDate }]
        : [],
    );
  }
  const tasks = await tasksDueBetween(ctx, lo, new Date(hi.getTime() + 1));
  return tasks.flatMap((t) =>
    t.dueAt && inWindow(Date.parse(t.dueAt)) ? [{ record: { ...t }, date: t.dueAt }] : [],
  );
}

/**
 * Starts the runs of relative-date triggers ("3 days before a deal's expected close date") whose
 * moment passed since the last sweep. Each (workflow, record, date) starts once: moving the date
 * and back does not fire twice, moving it to a new date fires again. Answers the runs started.
 */
export async function fireDateTriggers(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const due = await withSystem(deps.database.db, (tx) =>
    db(tx)
      .selectFrom('workflows')
      .select(['organization_id', 'id', 'name', 'owner_id', 'published_version', 'date_swept_at'])
      .where('enabled', '=', true)
      .where('deleted_at', 'is', null)
      .where('trigger_key', 'like', 'date:%')
      .execute(),
  );
  let started = 0;
  for (const w of due) {
    if (w.published_version === null) continue;
    const version = w.published_version;
    const ctx = createCtx(deps, systemActor(w.organization_id));
    const def = await ctx.tx((tx) => loadVersion(tx, w.organization_id, w.id, version));
    if (def.trigger.type !== 'date_relative') continue;
    const from = w.date_swept_at ?? now;
    const trigger = def.trigger;
    const records =
      from < now
        ? await dueRecords(deps, w.organization_id, trigger.object, trigger.offsetDays, from, now)
        : [];
    await ctx.tx(async (tx) => {
      for (const { record, date } of records) {
        if (!evaluateConditions(def.conditions, { record })) continue;
        const row = await startRun(
          tx,
          { organizationId: w.organization_id, realtime: deps.realtime, now, jobs: deps.jobs },
          {
            workflow: { id: w.id, name: w.name, ownerId: w.owner_id },
            version,
            definition: def,
            triggerType: 'date_relative',
            record: { type: trigger.object, id: record.id },
            data: { record, [trigger.object]: record, workflow: { id: w.id, name: w.name } },
            depth: 0,
            dedupeKey: `date:${record.id}:${date}`,
          },
        );
        if (row) started++;
      }
      await db(tx)
        .updateTable('workflows')
        .set({ date_swept_at: now })
        .where('organization_id', '=', w.organization_id)
        .where('id', '=', w.id)
        .execute();
    });
  }
  return started;
}
