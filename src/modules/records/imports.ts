import { stringify } from 'csv-stringify/sync';
import { authorize, decide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { trashImported, type ImportJob, type ImportKind } from './import-batch.js';
import { kindOf } from './import-kinds.js';
import { readImportRows, type ImportRow } from './import-rows.js';
import { presentImport, type ImportView } from './import-view.js';
import type { RecordsTables } from './schema.js';
import { WorkTakenOver } from './errors.js';

// Starting an import and telling what it is live beside this file; their names stay importable from here.
export { registerDataImportKind, registerImportKind } from './import-kinds.js';
export { IMPORT_JOB, runFromDryRun, startImport, type ImportRequest } from './import-start.js';
export type { ImportView } from './import-view.js';

const db = (tx: Tx) => tx.withTables<RecordsTables>();
/** Rows per transaction: progress and the rows' effects commit together, so a resumed import never repeats a row. */
const BATCH = 2000;
const ROLLBACK_DAYS = 7;
const MAX_ERRORS_KEPT = 10_000;

type Row = ImportJob;

/** Statuses an import's job works on; `failed` too, for when an admin retries its failed job. */
const RUNNABLE: ReadonlyArray<Row['status']> = ['queued', 'running', 'failed'];

/** Marks the import running (clearing an earlier failure); null when there is nothing left to do. */
async function begin(ctx: Ctx, id: string): Promise<Row | null> {
  const row = await ctx.tx((tx) =>
    db(tx)
      .updateTable('imports')
      .set({ status: 'running', error: null, finished_at: null })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .where('status', 'in', RUNNABLE)
      .returningAll()
      .executeTakeFirst(),
  );
  return row ?? null;
}

/** Saves one batch's effects together with the progress that covers them. */
async function commitBatch(ctx: Ctx, imp: Row, rows: ImportRow[], last: boolean): Promise<Row> {
  return ctx.tx(async (tx) => {
    // A worker that stalled past its job's lease finds the import moved on by the one that took
    // the job over, and stops before it repeats their rows.
    const current = await db(tx)
      .selectFrom('imports')
      .select(['status', 'processed'])
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', imp.id)
      .forUpdate()
      .executeTakeFirst();
    if (current?.status !== 'running' || current.processed !== imp.processed)
      throw new WorkTakenOver('import', imp.id);
    const count = await kindOf(imp.object_type).importBatch(ctx, tx, imp, rows);
    const next = await db(tx)
      .updateTable('imports')
      .set({
        status: last ? 'done' : 'running',
        processed: imp.processed + rows.length,
        created: imp.created + count.created,
        updated: imp.updated + count.updated,
        skipped: imp.skipped + count.skipped,
        failed: imp.failed + count.failed,
        errors: JSON.stringify([...imp.errors, ...count.errors].slice(0, MAX_ERRORS_KEPT)),
        ...(last ? { finished_at: ctx.deps.clock.now(), total: imp.processed + rows.length } : {}),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', imp.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (last) {
      await ctx.audit(tx, {
        action: 'import.finished',
        targetType: 'import',
        targetId: imp.id,
        diff: {
          objectType: imp.object_type,
          created: next.created,
          updated: next.updated,
          failed: next.failed,
          dryRun: imp.dry_run,
        },
      });
      await ctx.emit(tx, {
        type: 'import.finished',
        aggregateType: 'import',
        aggregateId: imp.id,
        payload: { importId: imp.id, userId: imp.created_by },
      });
    }
    return next;
  });
}

/**
 * Runs an import as its job (records/jobs.ts): streams the file once from where the import
 * stopped (rows up to `processed` are skipped) and commits a batch at a time, so a retried or
 * taken-over job continues after the last committed batch and never repeats a row.
 */
export async function runImport(ctx: Ctx, id: string): Promise<void> {
  let imp = await begin(ctx, id);
  if (!imp) return;
  let batch: ImportRow[] = [];
  for await (const r of readImportRows(imp.file_path, imp.format)) {
    if (r.row <= imp.processed) continue;
    batch.push(r);
    if (batch.length === BATCH) {
      imp = await commitBatch(ctx, imp, batch, false);
      batch = [];
    }
  }
  await commitBatch(ctx, imp, batch, true);
}

/** Marks an import failed for good with the reason its job gave (unless it finished meanwhile). */
export async function failImport(ctx: Ctx, id: string, reason: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const failed = await db(tx)
      .updateTable('imports')
      .set({ status: 'failed', error: reason, finished_at: ctx.deps.clock.now() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .where('status', 'in', RUNNABLE)
      .returning('object_type')
      .executeTakeFirst();
    if (failed)
      await ctx.audit(tx, {
        action: 'import.failed',
        targetType: 'import',
        targetId: id,
        diff: { objectType: failed.object_type, error: reason },
      });
  });
}

/** Who started an import, for its job to act as; null when it has nothing left to run (done, rolled back, gone). */
export async function importCreator(ctx: Ctx, id: string): Promise<string | null> {
  const row = await ctx.tx((tx) =>
    db(tx)
      .selectFrom('imports')
      .select('created_by')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .where('status', 'in', RUNNABLE)
      .executeTakeFirst(),
  );
  return row?.created_by ?? null;
}

async function loadImport(ctx: Ctx, id: string): Promise<Row> {
  const row = await ctx.tx((tx) =>
    db(tx)
      .selectFrom('imports')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .executeTakeFirst(),
  );
  if (!row) throw errors.notFound('Import');
  return row;
}

/** An import, for someone who may read what it imports. */
export async function loadReadable(ctx: Ctx, id: string): Promise<Row> {
  const imp = await loadImport(ctx, id);
  // The import is its creator's: scoped readers see their own and their team's imports.
  authorize(ctx, `${kindOf(imp.object_type).resource}:read`, { ownerId: imp.created_by || null });
  return imp;
}

/** Progress and results of an import. */
export async function getImport(ctx: Ctx, id: string): Promise<ImportView> {
  return presentImport(await loadReadable(ctx, id));
}

/** The rows that failed, as CSV (row, column, message) for the person fixing the file. */
export async function importErrorsCsv(ctx: Ctx, id: string): Promise<string> {
  const imp = await loadReadable(ctx, id);
  return stringify(
    imp.errors.map((e) => [e.row, e.column ?? '', e.message]),
    { header: true, columns: ['row', 'column', 'message'], bom: true },
  );
}

/**
 * Undoes a finished import within 7 days: the records it created go to the trash (restorable for
 * the trash period, like any delete) and the records it updated get their earlier values back.
 *
 * Who may: whoever may delete the import itself (its creator under `own` scope, their team under
 * `team`, anyone under `all`), and only when every record it touches is within the actor's scope —
 * delete for what it created, update for what it changed. It is all or nothing: a rollback that
 * would leave part of an import behind is refused (403) with the number of records out of reach.
 */
export async function rollbackImport(ctx: Ctx, id: string): Promise<ImportView> {
  return ctx.tx(async (tx) => {
    const imp = await db(tx)
      .selectFrom('imports')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!imp) throw errors.notFound('Import');
    const kind = kindOf(imp.object_type);
    authorize(ctx, `${kind.resource}:delete`, { ownerId: imp.created_by || null });
    if (imp.status !== 'done' || imp.dry_run)
      throw new DomainError(
        'rule_violated',
        'RECORDS_IMPORT_NOT_ROLLBACKABLE',
        'Only a finished, real import can be rolled back',
      );
    if (Date.now() - (imp.finished_at?.getTime() ?? 0) > ROLLBACK_DAYS * 86_400_000)
      throw new DomainError(
        'rule_violated',
        'RECORDS_IMPORT_ROLLBACK_EXPIRED',
        `Imports can be rolled back for ${ROLLBACK_DAYS} days`,
      );
    const records = await db(tx)
      .selectFrom('import_records')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('import_id', '=', id)
      .execute();
    await assertRollbackInScope(ctx, tx, kind, records);
    const created = records.filter((r) => r.action === 'created').map((r) => r.record_id);
    let trashed = 0;
    for (let i = 0; i < created.length; i += 1000)
      trashed += await trashImported(ctx, tx, kind, id, created.slice(i, i + 1000));
    let restored = 0;
    for (const r of records) {
      if (r.action !== 'updated' || !r.before) continue;
      await kind.restore(ctx, tx, r.record_id, r.before);
      await ctx.audit(tx, {
        action: `${kind.records.object}.updated`,
        targetType: kind.records.object,
        targetId: r.record_id,
        diff: { rolledBackImport: id },
      });
      restored++;
    }
    const row = await db(tx)
      .updateTable('imports')
      .set({ status: 'rolled_back', rolled_back_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'import.rolled_back',
      targetType: 'import',
      targetId: id,
      diff: { objectType: imp.object_type, trashed, restored },
    });
    return presentImport(row);
  });
}

/** Refuses a rollback that would touch a record outside the actor's scope (nothing is changed then). */
async function assertRollbackInScope(
  ctx: Ctx,
  tx: Tx,
  kind: ImportKind,
  records: ReadonlyArray<{ record_id: string; action: 'created' | 'updated' }>,
): Promise<void> {
  let outOfScope = 0;
  for (let i = 0; i < records.length; i += 1000) {
    const chunk = records.slice(i, i + 1000);
    const guards = await kind.guards(
      ctx,
      tx,
      chunk.map((r) => r.record_id),
    );
    for (const r of chunk) {
      const guard = guards.get(r.record_id);
      // A record gone for good since (purged from the trash) has nothing left to undo.
      if (
        guard &&
        !decide(
          ctx.actor,
          `${kind.resource}:${r.action === 'created' ? 'delete' : 'update'}`,
          guard,
        ).allowed
      )
        outOfScope++;
    }
  }
  if (outOfScope > 0) {
    throw new DomainError(
      'forbidden',
      'RECORDS_IMPORT_ROLLBACK_OUT_OF_SCOPE',
      `${outOfScope} of the records this import created or changed are outside what you may delete or edit; ask someone with wider access to roll it back`,
      {
        details: { outOfScope },
      },
    );
  }
}
