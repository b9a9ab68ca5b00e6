import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { v7 as uuidv7 } from 'uuid';
import { authorize, decide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { findObject } from '../../platform/objects/index.js';
import { loadCustomFields } from './custom-fields.js';
import { trashImported, type ImportJob, type ImportKind } from './import-batch.js';
import { COMPANY_IMPORT } from './import-companies.js';
import { CONTACT_IMPORT } from './import-contacts.js';
import { isImportableField, suggestMapping, type ImportObjectType } from './import-mapping.js';
import { readHeaders, readImportRows, type ImportRow } from './import-rows.js';
import type { RecordsTables } from './schema.js';
import { WorkTakenOver } from './errors.js';

const db = (tx: Tx) => tx.withTables<RecordsTables>();
/** Rows per transaction: progress and the rows' effects commit together, so a resumed import never repeats a row. */
const BATCH = 2000;
const ROLLBACK_DAYS = 7;
/** The job that runs an import; its dedupe key is the import id. */
export const IMPORT_JOB = 'records.import';
const MAX_ERRORS_KEPT = 10_000;

/** What each object type brings to an import; everything else here is shared. */
const KINDS = new Map<ImportObjectType, ImportKind>([
  ['contact', CONTACT_IMPORT],
  ['company', COMPANY_IMPORT],
]);

/** How records of objects defined as data are imported (the objects module supplies it). */
let dataKind: ((objectType: string) => ImportKind) | null = null;

/** Lets another module import its records (sales: leads) through the same files, batches and rollback. */
export function registerImportKind(objectType: ImportObjectType, kind: ImportKind): void {
  KINDS.set(objectType, kind);
}

/** Lets the module of objects defined as data import their records. */
export function registerDataImportKind(kind: (objectType: string) => ImportKind): void {
  dataKind = kind;
}

function kindOf(objectType: ImportObjectType): ImportKind {
  const kind = KINDS.get(objectType) ?? dataKind?.(objectType);
  if (!kind)
    throw errors.validation([
      { path: 'objectType', message: `${objectType} records cannot be imported here` },
    ]);
  return kind;
}

type Row = ImportJob;
/** An import as the API presents it. */
export interface ImportView {
  id: string;
  objectType: ImportObjectType;
  fileName: string;
  status: Row['status'];
  dryRun: boolean;
  dedupe: Row['dedupe'];
  mapping: Record<string, string>;
  total: number | null;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  errors: Row['errors'];
  createdAt: string;
  finishedAt: string | null;
  rolledBackAt: string | null;
  /** Why the import stopped, when it failed for good. */
  error: string | null;
}

const present = (r: Row): ImportView => ({
  id: r.id,
  objectType: r.object_type,
  fileName: r.file_name,
  status: r.status,
  dryRun: r.dry_run,
  dedupe: r.dedupe,
  mapping: r.mapping,
  total: r.total,
  processed: r.processed,
  created: r.created,
  updated: r.updated,
  skipped: r.skipped,
  failed: r.failed,
  errors: r.errors.slice(0, 100),
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
  rolledBackAt: r.rolled_back_at?.toISOString() ?? null,
  error: r.error,
});

/** What a client asks to import. */
export interface ImportRequest {
  file: Readable;
  fileName: string;
  /** What each row becomes: a contact or a company. */
  objectType: ImportObjectType;
  /** File column → field (`custom.<key>` for a custom field); suggested from the headers when absent. */
  mapping?: Record<string, string>;
  /** What a row matching an existing record does: skip it, update the record, or create another. */
  dedupe: 'skip' | 'update' | 'create';
  /** Report what would happen and change nothing. */
  dryRun: boolean;
}

/**
 * Stores the upload and queues the import (202). The mapping defaults to one suggested from the
 * headers (HubSpot, Salesforce and Pipedrive exports included); its job then streams the file
 * in batches, so memory stays flat however many rows it has.
 */
export async function startImport(ctx: Ctx, req: ImportRequest): Promise<ImportView> {
  const format = /\.xlsx$/i.test(req.fileName)
    ? 'xlsx'
    : /\.(csv|txt)$/i.test(req.fileName)
      ? 'csv'
      : null;
  try {
    const object = await ctx.tx((tx) =>
      findObject(ctx.deps.modules, tx, ctx.organizationId, req.objectType),
    );
    if (!object?.capabilities.import)
      throw errors.validation([
        { path: 'objectType', message: `${req.objectType} records cannot be imported here` },
      ]);
    const { resource } = kindOf(req.objectType);
    authorize(ctx, `${resource}:create`);
    if (req.dedupe === 'update') authorize(ctx, `${resource}:update`);
    if (!format)
      throw new DomainError(
        'unsupported_media_type',
        'RECORDS_IMPORT_FORMAT',
        'Upload a .csv or .xlsx file',
      );
  } catch (e) {
    // Drain the upload we refuse, or the request never finishes arriving.
    req.file.resume();
    throw e;
  }
  const id = uuidv7();
  const dir = path.join(ctx.deps.config.dataDir, 'files', 'imports', ctx.organizationId);
  await mkdir(dir, { recursive: true });
  const filePath = path.join(dir, `${id}.${format}`);
  await pipeline(req.file, createWriteStream(filePath));
  let headers: string[];
  let total = 0;
  try {
    headers = await readHeaders(filePath, format);
    // Counted up front (a streaming pass) so progress can be shown as a share of the whole.
    for await (const _row of readImportRows(filePath, format)) total++;
  } catch {
    await rm(filePath, { force: true });
    throw errors.validation([
      { path: 'file', message: `could not read the file as ${format.toUpperCase()}` },
    ]);
  }
  const customKeys = (
    await ctx.tx((tx) => loadCustomFields(tx, ctx.organizationId, req.objectType))
  ).map((d) => d.key);
  const mapping =
    req.mapping ?? suggestMapping(headers, { objectType: req.objectType, customKeys });
  const problems = Object.entries(mapping).flatMap(([header, field]) => {
    if (!headers.includes(header))
      return [{ path: `mapping.${header}`, message: 'is not a column of the file' }];
    return isImportableField(req.objectType, field, customKeys)
      ? []
      : [
          {
            path: `mapping.${header}`,
            message: `${field} is not an importable ${req.objectType} field`,
          },
        ];
  });
  if (problems.length) {
    await rm(filePath, { force: true });
    throw errors.validation(problems);
  }
  const row = await ctx.tx(async (tx) => {
    const inserted = await db(tx)
      .insertInto('imports')
      .values({
        organization_id: ctx.organizationId,
        id,
        object_type: req.objectType,
        file_name: req.fileName.slice(0, 200),
        file_path: filePath,
        format,
        mapping: JSON.stringify(mapping),
        dedupe: req.dedupe,
        dry_run: req.dryRun,
        total,
        created_by: ctx.actor.userId ?? '',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'import.started',
      targetType: 'import',
      targetId: id,
      diff: {
        objectType: req.objectType,
        fileName: req.fileName,
        dedupe: req.dedupe,
        dryRun: req.dryRun,
      },
    });
    // The job exists exactly when the import does; it runs as the importing user (records/jobs.ts).
    await ctx.enqueue(tx, { name: IMPORT_JOB, payload: { importId: id }, key: id });
    return inserted;
  });
  return present(row);
}

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

async function load(ctx: Ctx, id: string): Promise<Row> {
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
async function loadReadable(ctx: Ctx, id: string): Promise<Row> {
  const imp = await load(ctx, id);
  // The import is its creator's: scoped readers see their own and their team's imports.
  authorize(ctx, `${kindOf(imp.object_type).resource}:read`, { ownerId: imp.created_by || null });
  return imp;
}

/** Progress and results of an import. */
export async function getImport(ctx: Ctx, id: string): Promise<ImportView> {
  return present(await loadReadable(ctx, id));
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
    return present(row);
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
