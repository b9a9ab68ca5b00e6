import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { findObject } from '../../platform/objects/index.js';
import { loadCustomFields } from './custom-fields.js';
import type { ImportJob } from './import-batch.js';
import { kindOf } from './import-kinds.js';
import { isImportableField, suggestMapping, type ImportObjectType } from './import-mapping.js';
import { readHeaders, readImportRows } from './import-rows.js';
import { presentImport, type ImportView } from './import-view.js';
import type { RecordsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<RecordsTables>();
/** The job that runs an import; its dedupe key is the import id. */
export const IMPORT_JOB = 'records.import';

type Dedupe = ImportJob['dedupe'];

/** What a client asks to import. */
export interface ImportRequest {
  file: Readable;
  fileName: string;
  /** What each row becomes: a contact, a company, a lead or a record of a custom object. */
  objectType: ImportObjectType;
  /** File column → field (`custom.<key>` for a custom field); suggested from the headers when absent. */
  mapping?: Record<string, string>;
  /** What a row matching an existing record does: skip it, update the record, or create another. */
  dedupe: Dedupe;
  /** Report what would happen and change nothing. */
  dryRun: boolean;
}

/** Another run of a finished dry run's file, without uploading it again. */
export interface ImportRunRequest {
  /** File column → field; the dry run's mapping when absent. */
  mapping?: Record<string, string>;
  /** The dry run's choice when absent. */
  dedupe?: Dedupe;
  /** Check again (after editing the mapping) instead of importing. */
  dryRun: boolean;
}

/** Refuses an object that cannot be imported, or an actor who may not create (or update) its records. */
async function authorizeImport(ctx: Ctx, objectType: string, dedupe: Dedupe): Promise<void> {
  const object = await ctx.tx((tx) =>
    findObject(ctx.deps.modules, tx, ctx.organizationId, objectType),
  );
  if (!object?.capabilities.import)
    throw errors.validation([
      { path: 'objectType', message: `${objectType} records cannot be imported here` },
    ]);
  const { resource } = kindOf(objectType);
  authorize(ctx, `${resource}:create`);
  if (dedupe === 'update') authorize(ctx, `${resource}:update`);
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
    await authorizeImport(ctx, req.objectType, req.dedupe);
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
  try {
    return await queueImport(ctx, {
      id,
      file: { name: req.fileName, path: filePath, format, headers, total },
      objectType: req.objectType,
      mapping: req.mapping,
      dedupe: req.dedupe,
      dryRun: req.dryRun,
    });
  } catch (e) {
    await rm(filePath, { force: true });
    throw e;
  }
}

/**
 * Runs a finished dry run's file again — the real import, or another dry run with an edited
 * mapping — so that checking a file never means uploading it twice. The new import shares the
 * dry run's stored file (import files are kept, never rewritten). Anything but a finished dry run
 * answers 409: a real import is not replayed, and a running check has not said its piece yet.
 */
export async function runFromDryRun(
  ctx: Ctx,
  sourceId: string,
  req: ImportRunRequest,
): Promise<ImportView> {
  const source = await ctx.tx((tx) =>
    db(tx)
      .selectFrom('imports')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', sourceId)
      .executeTakeFirst(),
  );
  if (!source) throw errors.notFound('Import');
  const dedupe = req.dedupe ?? source.dedupe;
  await authorizeImport(ctx, source.object_type, dedupe);
  // Someone who may not see another's dry run does not learn that it exists.
  authorize(ctx, `${kindOf(source.object_type).resource}:read`, {
    ownerId: source.created_by || null,
  });
  if (!source.dry_run || source.status !== 'done')
    throw errors.conflict(
      'RECORDS_IMPORT_NOT_A_FINISHED_DRY_RUN',
      'Only a finished dry run can be run again; upload the file to start a new import',
      { status: source.status, dryRun: source.dry_run },
    );
  const headers = await readHeaders(source.file_path, source.format);
  return queueImport(ctx, {
    id: uuidv7(),
    file: {
      name: source.file_name,
      path: source.file_path,
      format: source.format,
      headers,
      total: source.total ?? 0,
    },
    objectType: source.object_type,
    mapping: req.mapping ?? source.mapping,
    dedupe,
    dryRun: req.dryRun,
  });
}

/** A stored import file and what was learnt reading it. */
interface StoredFile {
  name: string;
  path: string;
  format: 'csv' | 'xlsx';
  headers: readonly string[];
  total: number;
}

/** 400 naming `mapping.<column>` for each column that is not in the file or maps to no importable field. */
function mappingProblems(
  objectType: string,
  mapping: Record<string, string>,
  headers: readonly string[],
  customKeys: readonly string[],
): Array<{ path: string; message: string }> {
  return Object.entries(mapping).flatMap(([header, field]) => {
    if (!headers.includes(header))
      return [{ path: `mapping.${header}`, message: 'is not a column of the file' }];
    return isImportableField(objectType, field, customKeys)
      ? []
      : [
          {
            path: `mapping.${header}`,
            message: `${field} is not an importable ${objectType} field`,
          },
        ];
  });
}

/** Checks the mapping, records the import and queues its job, in one transaction. */
async function queueImport(
  ctx: Ctx,
  input: {
    id: string;
    file: StoredFile;
    objectType: string;
    mapping: Record<string, string> | undefined;
    dedupe: Dedupe;
    dryRun: boolean;
  },
): Promise<ImportView> {
  const { id, file, objectType } = input;
  const customKeys = (
    await ctx.tx((tx) => loadCustomFields(tx, ctx.organizationId, objectType))
  ).map((d) => d.key);
  const mapping = input.mapping ?? suggestMapping(file.headers, { objectType, customKeys });
  const problems = mappingProblems(objectType, mapping, file.headers, customKeys);
  if (problems.length) throw errors.validation(problems);
  const row = await ctx.tx(async (tx) => {
    const inserted = await db(tx)
      .insertInto('imports')
      .values({
        organization_id: ctx.organizationId,
        id,
        object_type: objectType,
        file_name: file.name.slice(0, 200),
        file_path: file.path,
        format: file.format,
        mapping: JSON.stringify(mapping),
        dedupe: input.dedupe,
        dry_run: input.dryRun,
        total: file.total,
        created_by: ctx.actor.userId ?? '',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'import.started',
      targetType: 'import',
      targetId: id,
      diff: { objectType, fileName: file.name, dedupe: input.dedupe, dryRun: input.dryRun },
    });
    // The job exists exactly when the import does; it runs as the importing user (records/jobs.ts).
    await ctx.enqueue(tx, { name: IMPORT_JOB, payload: { importId: id }, key: id });
    return inserted;
  });
  return presentImport(row);
}
