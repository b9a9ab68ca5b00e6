import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { authorize, decide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, errors, isDomainError } from '../../platform/errors/index.js';
import { assertReferences } from '../../platform/references/index.js';
import {
  assertBulkAction,
  bulkTargetOf,
  parseChange,
  tagsOf,
  type BulkTarget,
} from './bulk-target.js';
import { WorkTakenOver } from './errors.js';
import type { BulkOperationTable, RecordsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<RecordsTables>();
/** Up to this many records a bulk action runs inline; more go to the background in batches. */
export const INLINE_LIMIT = 200;
const BATCH = 200;
/** The job that runs one batch of a background operation and enqueues the next; keyed `<id>:<processed>`. */
export const BULK_JOB = 'records.bulk';

/**
 * One change for every selected record. `update` sets one of the object's bulk fields
 * (`GET /api/v1/objects` lists them); `assign` sets its owner field (`ownerId`, or an
 * activity's `assigneeId`) to `ownerId`.
 */
export type BulkAction =
  | { action: 'update'; field: string; value: string | null }
  | { action: 'assign'; ownerId: string }
  | { action: 'add_tag' | 'remove_tag'; tag: string }
  | { action: 'delete' };

/**
 * Which records: explicit ids (with, optionally, the version each was read at, so a record changed
 * since is skipped as stale rather than overwritten), or everything a list query (filters, q) matches.
 */
export type BulkSelection =
  { ids: string[]; versions?: Record<string, number> } | { filter: Record<string, string> };

/** A record the action skipped, and why (`code` is the error code a single edit would answer). */
export interface BulkProblem {
  id: string;
  message: string;
  code?: string;
}

export interface BulkOperation {
  id: string;
  /** The key of the object acted on (`contact`, `deal`, a custom object's key). */
  objectType: string;
  action: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  succeeded: number;
  skipped: number;
  errors: BulkProblem[];
  createdAt: string;
  finishedAt: string | null;
  /** Why the operation stopped, when its job failed for good. */
  error: string | null;
}

type Row = Selectable<BulkOperationTable>;
const present = (r: Row): BulkOperation => ({
  id: r.id,
  objectType: r.object_type,
  action: r.action,
  status: r.status,
  total: r.total,
  processed: r.processed,
  succeeded: r.succeeded,
  skipped: r.skipped,
  errors: r.errors,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
  error: r.error,
});
/** Statuses a batch may run in; `failed` too, for when an admin retries the operation's failed job. */
const RUNNABLE: ReadonlyArray<Row['status']> = ['queued', 'running', 'failed'];

const PERMISSION: Record<BulkAction['action'], 'update' | 'delete'> = {
  update: 'update',
  assign: 'update',
  add_tag: 'update',
  remove_tag: 'update',
  delete: 'delete',
};

const idOf = z.object({ id: z.string() });

/** The next ids of a selection after `cursor`, and the cursor after them. */
async function nextIds(
  ctx: Ctx,
  target: BulkTarget,
  selection: BulkSelection,
  cursor: string | null,
): Promise<{ ids: string[]; cursor: string | null }> {
  if ('ids' in selection) {
    const start = cursor ? Number(cursor) : 0;
    const ids = selection.ids.slice(start, start + BATCH);
    return { ids, cursor: start + BATCH < selection.ids.length ? String(start + BATCH) : null };
  }
  // Oldest first by a keyset cursor, so records the batch changed out of the filter move no page.
  const page = await target.list(ctx, {
    ...selection.filter,
    sort: 'createdAt',
    limit: String(BATCH),
    ...(cursor ? { cursor } : {}),
  });
  return { ids: page.data.map((r) => idOf.parse(r).id), cursor: page.meta.nextCursor };
}

async function countSelection(
  ctx: Ctx,
  target: BulkTarget,
  selection: BulkSelection,
): Promise<number> {
  if ('ids' in selection) return selection.ids.length;
  const page = await target.list(ctx, { ...selection.filter, limit: '1', count: 'true' });
  return page.meta.total ?? 0;
}

/** Applies one action to one record through the same services a single edit or delete uses. */
async function applyOne(
  ctx: Ctx,
  target: BulkTarget,
  id: string,
  a: BulkAction,
  expectedVersion: number | undefined,
): Promise<void> {
  const { lifecycle } = target;
  if (a.action === 'delete') return lifecycle.delete(ctx, id);
  let input: Record<string, unknown>;
  if (a.action === 'update') input = { [a.field]: a.value };
  else if (a.action === 'assign') input = { [target.bulk.ownerField]: a.ownerId };
  else {
    const tags = new Set(tagsOf(await lifecycle.get(ctx, id)));
    if (a.action === 'add_tag') tags.add(a.tag);
    else tags.delete(a.tag);
    input = { tags: [...tags] };
  }
  // The lifecycle takes the object's PATCH body as its route parses it.
  await lifecycle.update(ctx, id, parseChange(target, input) as never, expectedVersion);
}

/**
 * Runs one batch of an operation and records its progress, with `andThen` in the same
 * transaction; returns whether more remain.
 */
async function runBatch(
  ctx: Ctx,
  op: Row,
  andThen?: (tx: Tx, next: Row) => Promise<void>,
): Promise<boolean> {
  const selection = op.params.selection as BulkSelection;
  const action = op.params.action as BulkAction;
  const target = await bulkTargetOf(ctx, op.object_type);
  const { ids, cursor } = await nextIds(ctx, target, selection, op.cursor);
  let succeeded = 0;
  const versions = 'ids' in selection ? (selection.versions ?? {}) : {};
  const problems: BulkProblem[] = [];
  for (const id of ids) {
    try {
      await applyOne(ctx, target, id, action, versions[id]);
      succeeded++;
    } catch (e) {
      // A record the actor may not change (or that vanished) is reported, never a reason to stop.
      problems.push(
        e instanceof DomainError
          ? { id, message: e.message, code: e.code }
          : { id, message: 'unexpected error' },
      );
    }
  }
  const done = cursor === null || ids.length === 0;
  await ctx.tx(async (tx) => {
    const next = await db(tx)
      .updateTable('bulk_operations')
      .set({
        status: done ? 'done' : 'running',
        processed: op.processed + ids.length,
        succeeded: op.succeeded + succeeded,
        skipped: op.skipped + problems.length,
        errors: JSON.stringify([...op.errors, ...problems].slice(0, 1000)),
        cursor,
        error: null,
        finished_at: done ? ctx.deps.clock.now() : null,
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', op.id)
      // Counted once: a worker that stalled past its job's lease finds the batch saved by the one that took over.
      .where('processed', '=', op.processed)
      .where('status', 'in', RUNNABLE)
      .returningAll()
      .executeTakeFirst();
    if (!next) throw new WorkTakenOver('bulk operation', op.id);
    await andThen?.(tx, next);
  });
  return !done;
}

/**
 * One step of an operation's job: the batch after `processed` records, saved together with the
 * job's completion and the next step's job. A step whose batch is already saved does nothing.
 */
export async function runBulkStep(
  ctx: Ctx,
  id: string,
  processed: number,
  complete: (tx: Tx) => Promise<void>,
): Promise<void> {
  const op = await load(ctx, id);
  if (!RUNNABLE.includes(op.status) || op.processed !== processed) return;
  await runBatch(ctx, op, async (tx, next) => {
    if (next.status === 'running')
      await ctx.deps.jobs.enqueueHere(
        tx,
        bulkStep(ctx.organizationId, id, next.processed, ctx.deps.clock.now()),
      );
    await complete(tx);
  });
}

/** The job of the batch after `processed` records. */
const bulkStep = (organizationId: string, id: string, processed: number, runAt: Date) => ({
  organizationId,
  name: BULK_JOB,
  payload: { operationId: id, processed },
  key: `${id}:${processed}`,
  runAt,
});

/** Marks an operation failed for good with the reason its job gave (unless it finished meanwhile). */
export async function failBulk(ctx: Ctx, id: string, reason: string): Promise<void> {
  await ctx.tx((tx) =>
    db(tx)
      .updateTable('bulk_operations')
      .set({ status: 'failed', error: reason, finished_at: ctx.deps.clock.now() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .where('status', 'in', RUNNABLE)
      .execute(),
  );
}

/** Who started an operation, for its job to act as; null when it has nothing left to run (done, gone). */
export async function bulkCreator(ctx: Ctx, id: string): Promise<string | null> {
  const row = await ctx.tx((tx) =>
    db(tx)
      .selectFrom('bulk_operations')
      .select('created_by')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .where('status', 'in', RUNNABLE)
      .executeTakeFirst(),
  );
  return row?.created_by ?? null;
}

async function load(ctx: Ctx, id: string): Promise<Row> {
  const row = await ctx.tx((tx) =>
    db(tx)
      .selectFrom('bulk_operations')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .executeTakeFirst(),
  );
  if (!row) throw errors.notFound('Bulk operation');
  return row;
}

/**
 * Starts a bulk action. Small selections finish before the answer; larger ones are queued and
 * processed in batches by their job, with progress readable at /bulk-operations/{id}.
 */
export async function startBulk(
  ctx: Ctx,
  objectKey: string,
  selection: BulkSelection,
  action: BulkAction,
): Promise<{ operation: BulkOperation; inline: boolean }> {
  const target = await bulkTargetOf(ctx, objectKey);
  authorize(ctx, `${target.permission}:${PERMISSION[action.action]}`);
  if (!ctx.actor.userId) throw errors.forbidden('Bulk actions are started by users');
  assertBulkAction(target, action);
  const total = await countSelection(ctx, target, selection);
  const id = uuidv7();
  await ctx.tx(async (tx) => {
    // Refused once, up front, rather than as one error per record.
    if (action.action === 'assign')
      await assertReferences(ctx, tx, [{ field: 'ownerId', kind: 'user', id: action.ownerId }]);
    await db(tx)
      .insertInto('bulk_operations')
      .values({
        organization_id: ctx.organizationId,
        id,
        object_type: target.key,
        action: action.action,
        params: JSON.stringify({ selection, action }),
        total,
        cursor: null,
        created_by: ctx.actor.userId ?? '',
      })
      .execute();
    await ctx.audit(tx, {
      action: `${target.key}.bulk_${action.action}`,
      targetType: 'bulk_operation',
      targetId: id,
      diff: { total, action: { ...action } },
    });
    // Large sets run as jobs, a batch per step, acting as this user (records/jobs.ts).
    if (total > INLINE_LIMIT)
      await ctx.enqueue(tx, bulkStep(ctx.organizationId, id, 0, ctx.deps.clock.now()));
  });
  if (total > INLINE_LIMIT) return { operation: present(await load(ctx, id)), inline: false };
  while (await runBatch(ctx, await load(ctx, id)));
  return { operation: present(await load(ctx, id)), inline: true };
}

/**
 * Progress of a bulk action, for the user who started it and for whoever may read that user's
 * records of its kind (a manager, an admin); anyone else gets 404, as for a missing one — its
 * errors name records and its parameters what was done to them.
 */
export async function getBulkOperation(ctx: Ctx, id: string): Promise<BulkOperation> {
  const op = await load(ctx, id);
  // An operation on an object its organization has since removed answers 404 like a missing one.
  const target = await bulkTargetOf(ctx, op.object_type).catch((e: unknown) => {
    if (isDomainError(e) && e.kind === 'not_found') return null;
    throw e;
  });
  if (
    !target ||
    !decide(ctx.actor, `${target.permission}:read`, { ownerId: op.created_by }).allowed
  )
    throw errors.notFound('Bulk operation');
  return present(op);
}
