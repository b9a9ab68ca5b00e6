import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { sql, type Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorize, decide } from '../../platform/authz/index.js';
import { createCtx, type Ctx, type Deps } from '../../platform/context/index.js';
import { withSystem, type Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { zodDetails } from '../../platform/http/index.js';
import { actorForUser } from '../identity/index.js';
import { contactColumns } from './contacts.js';
import { validateCustomValues } from './custom-field-types.js';
import { loadCustomFields } from './custom-fields.js';
import { contactCreateBody } from './http-schemas.js';
import { normalizeStatus, suggestMapping, type ImportField } from './import-mapping.js';
import { readHeaders, readImportRows, type ImportRow } from './import-rows.js';
import type { ImportTable, RecordsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<RecordsTables>();
/** Rows per transaction: progress and the rows' effects commit together, so a resumed import never repeats a row. */
const BATCH = 500;
const ROLLBACK_DAYS = 7;
const MAX_ERRORS_KEPT = 10_000;

type Row = Selectable<ImportTable>;
export interface ImportView {
  id: string;
  objectType: 'contact';
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
}

const present = (r: Row): ImportView => ({
  id: r.id, objectType: r.object_type, fileName: r.file_name, status: r.status, dryRun: r.dry_run, dedupe: r.dedupe, mapping: r.mapping, total: r.total,
  processed: r.processed, created: r.created, updated: r.updated, skipped: r.skipped, failed: r.failed, errors: r.errors.slice(0, 100),
  createdAt: r.created_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null, rolledBackAt: r.rolled_back_at?.toISOString() ?? null,
});

/** What a client asks to import. */
export interface ImportRequest {
  file: Readable;
  fileName: string;
  objectType: 'contact';
  mapping?: Record<string, string>;
  dedupe: 'skip' | 'update' | 'create';
  dryRun: boolean;
}

/**
 * Stores the upload and queues the import (202). The mapping defaults to one suggested from the
 * headers (HubSpot, Salesforce and Pipedrive exports included); the worker then streams the file
 * in batches, so memory stays flat however many rows it has.
 */
export async function startImport(ctx: Ctx, req: ImportRequest): Promise<ImportView> {
  authorize(ctx, 'contacts:create');
  if (req.dedupe === 'update') authorize(ctx, 'contacts:update');
  const format = /\.xlsx$/i.test(req.fileName) ? 'xlsx' : /\.(csv|txt)$/i.test(req.fileName) ? 'csv' : null;
  if (!format) throw new DomainError('unsupported_media_type', 'RECORDS_IMPORT_FORMAT', 'Upload a .csv or .xlsx file');
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
    throw errors.validation([{ path: 'file', message: `could not read the file as ${format.toUpperCase()}` }]);
  }
  const customKeys = (await ctx.tx((tx) => loadCustomFields(tx, ctx.organizationId, 'contact'))).map((d) => d.key);
  const mapping = req.mapping ?? suggestMapping(headers, customKeys);
  const problems = Object.entries(mapping).flatMap(([header, field]) => {
    if (!headers.includes(header)) return [{ path: `mapping.${header}`, message: 'is not a column of the file' }];
    const known = field.startsWith('custom.') ? customKeys.includes(field.slice(7)) : ['firstName', 'lastName', 'fullName', 'email', 'phone', 'title', 'status', 'source', 'tags', 'street', 'city', 'region', 'postalCode', 'country'].includes(field);
    return known ? [] : [{ path: `mapping.${header}`, message: `${field} is not an importable field` }];
  });
  if (problems.length) {
    await rm(filePath, { force: true });
    throw errors.validation(problems);
  }
  const row = await ctx.tx(async (tx) => {
    const inserted = await db(tx)
      .insertInto('imports')
      .values({ organization_id: ctx.organizationId, id, object_type: req.objectType, file_name: req.fileName.slice(0, 200), file_path: filePath, format, mapping: JSON.stringify(mapping), dedupe: req.dedupe, dry_run: req.dryRun, total, created_by: ctx.actor.userId ?? '' })
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, { action: 'import.started', targetType: 'import', targetId: id, diff: { fileName: req.fileName, dedupe: req.dedupe, dryRun: req.dryRun } });
    return inserted;
  });
  return present(row);
}

interface RowOutcome {
  kind: 'created' | 'updated' | 'skipped' | 'failed';
  errors?: Array<{ row: number; column: string | null; message: string }>;
}

/** Turns a file row into contact input using the mapping. */
function toInput(values: Record<string, string>, mapping: Record<string, ImportField>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  const address: Record<string, string> = {};
  for (const [header, field] of Object.entries(mapping)) {
    const v = values[header]?.trim();
    if (!v) continue;
    if (field.startsWith('custom.')) custom[field.slice(7)] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === 'true' || v === 'false' ? v === 'true' : v;
    else if (field === 'fullName') {
      const [first, ...rest] = v.split(/\s+/);
      out.firstName ??= first;
      if (rest.length) out.lastName ??= rest.join(' ');
    } else if (field === 'tags') out.tags = v.split(/[;,]/).map((t) => t.trim()).filter(Boolean);
    else if (field === 'status') out.status = normalizeStatus(v);
    else if (['street', 'city', 'region', 'postalCode', 'country'].includes(field)) address[field] = v;
    else out[field] = v;
  }
  if (Object.keys(address).length) out.address = address;
  if (Object.keys(custom).length) out.customFields = custom;
  return out;
}

type Defs = Awaited<ReturnType<typeof loadCustomFields>>;
type ContactCreate = ReturnType<typeof contactCreateBody.parse>;

/** A validated row, ready to write. */
interface Planned {
  row: number;
  input: ContactCreate;
  custom: Record<string, unknown>;
  email: string | null;
}

/** Validates one row against the contact rules; failures name the file's column. */
function planRow(imp: Row, r: ImportRow, defs: Defs): Planned | RowOutcome {
  const mapping = imp.mapping as Record<string, ImportField>;
  const columnOf = (p: string) => Object.entries(mapping).find(([, f]) => f === p.split('.')[0] || f === p || (p.startsWith('customFields.') && f === `custom.${p.slice(13)}`) || (p.startsWith('emails') && f === 'email') || (p.startsWith('phones') && f === 'phone'))?.[0] ?? null;
  const parsed = contactCreateBody.safeParse(toInput(r.values, mapping));
  if (!parsed.success) return { kind: 'failed', errors: zodDetails(parsed.error).map((d) => ({ row: r.row, column: columnOf(d.path), message: `${d.path}: ${d.message}` })) };
  const custom = validateCustomValues(defs, parsed.data.customFields ?? {}, { partial: false });
  if (custom.problems.length) return { kind: 'failed', errors: custom.problems.map((d) => ({ row: r.row, column: columnOf(d.path), message: `${d.path}: ${d.message}` })) };
  return { row: r.row, input: parsed.data, custom: custom.values, email: parsed.data.emails?.[0]?.email.toLowerCase() ?? null };
}

type ExistingContact = Awaited<ReturnType<typeof findExisting>>[number];

/** The live contacts that a batch's emails match, in one query. */
function findExisting(ctx: Ctx, tx: Tx, emails: string[]) {
  if (emails.length === 0) return Promise.resolve([]);
  return db(tx).selectFrom('contacts').selectAll().where('organization_id', '=', ctx.organizationId).where('email', 'in', emails).where('deleted_at', 'is', null).where('merged_into', 'is', null).execute();
}

/** Updates one matching contact and remembers its previous state for a rollback. */
async function updateExisting(ctx: Ctx, tx: Tx, imp: Row, existing: ExistingContact, p: Planned): Promise<RowOutcome> {
  if (!decide(ctx.actor, 'contacts:update', { ownerId: existing.owner_id }).allowed) {
    return { kind: 'skipped', errors: [{ row: p.row, column: null, message: 'a matching contact exists that you may not update' }] };
  }
  if (!imp.dry_run) {
    await db(tx).insertInto('import_records').values({ organization_id: ctx.organizationId, import_id: imp.id, record_id: existing.id, action: 'updated', before: JSON.stringify(existing) }).onConflict((oc) => oc.doNothing()).execute();
    const { emails: _e, ...rest } = p.input;
    await db(tx)
      .updateTable('contacts')
      .set({ ...contactColumns(rest, { ...existing.custom_fields, ...p.custom }), version: existing.version + 1, updated_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', existing.id)
      .execute();
  }
  return { kind: 'updated' };
}

/** The contact row a planned create inserts. */
const createValues = (ctx: Ctx, p: Planned, id: string) => ({
  organization_id: ctx.organizationId,
  id,
  ...contactColumns({ ...p.input, ownerId: ctx.actor.userId }, p.custom),
  source: p.input.source ?? 'import',
});

/**
 * Inserts the batch's new contacts with one statement (and their rollback records with another).
 * If the database refuses the set, each row is retried alone under a savepoint so only the bad
 * ones fail.
 */
async function insertCreates(ctx: Ctx, tx: Tx, imp: Row, creates: Planned[], found: NonNullable<RowOutcome['errors']>): Promise<number> {
  if (creates.length === 0 || imp.dry_run) return creates.length;
  const ids = creates.map(() => uuidv7());
  const records = ids.map((id) => ({ organization_id: ctx.organizationId, import_id: imp.id, record_id: id, action: 'created' as const, before: null }));
  await sql`savepoint import_batch`.execute(tx);
  try {
    await db(tx).insertInto('contacts').values(creates.map((p, i) => createValues(ctx, p, ids[i] ?? uuidv7()))).execute();
    await db(tx).insertInto('import_records').values(records).execute();
    await sql`release savepoint import_batch`.execute(tx);
    return creates.length;
  } catch {
    await sql`rollback to savepoint import_batch`.execute(tx);
  }
  let created = 0;
  for (const [i, p] of creates.entries()) {
    await sql`savepoint import_row`.execute(tx);
    try {
      const id = ids[i] ?? uuidv7();
      await db(tx).insertInto('contacts').values(createValues(ctx, p, id)).execute();
      await db(tx).insertInto('import_records').values({ organization_id: ctx.organizationId, import_id: imp.id, record_id: id, action: 'created', before: null }).execute();
      await sql`release savepoint import_row`.execute(tx);
      created++;
    } catch (e) {
      await sql`rollback to savepoint import_row`.execute(tx);
      found.push({ row: p.row, column: null, message: e instanceof DomainError ? e.message : 'the row could not be saved' });
    }
  }
  return created;
}

const LEASE_SECONDS = 60;

/** Takes (or renews) the import's lease; false when another worker holds it. */
async function lease(ctx: Ctx, id: string, renew: boolean): Promise<boolean> {
  const r = await ctx.tx((tx) =>
    sql<{ id: string }>`update imports set lease_until = now() + make_interval(secs => ${LEASE_SECONDS}), status = 'running'
      where organization_id = ${ctx.organizationId} and id = ${id} and status in ('queued', 'running')
        ${renew ? sql`` : sql`and (lease_until is null or lease_until < now())`}
      returning id`.execute(tx),
  );
  return r.rows.length === 1;
}

/** Saves one batch's effects together with the progress that covers them. */
async function commitBatch(ctx: Ctx, imp: Row, rows: ImportRow[], last: boolean): Promise<Row> {
  return ctx.tx(async (tx) => {
    const defs = await loadCustomFields(tx, ctx.organizationId, 'contact');
    const count = { created: 0, updated: 0, skipped: 0, failed: 0 };
    const found: NonNullable<RowOutcome['errors']> = [];
    const planned: Planned[] = [];
    for (const r of rows) {
      const p = planRow(imp, r, defs);
      if ('kind' in p) {
        count[p.kind]++;
        found.push(...(p.errors ?? []));
      } else planned.push(p);
    }
    const dedupe = imp.dedupe !== 'create';
    const existing = new Map((dedupe ? await findExisting(ctx, tx, [...new Set(planned.flatMap((p) => (p.email ? [p.email] : [])))]) : []).map((c) => [c.email ?? '', c]));
    const pending = new Map<string, Planned>();
    const creates: Planned[] = [];
    for (const p of planned) {
      const match = dedupe && p.email ? existing.get(p.email) : undefined;
      const earlier = dedupe && p.email ? pending.get(p.email) : undefined;
      if (imp.dedupe === 'skip' && (match || earlier)) {
        count.skipped++;
      } else if (match) {
        const outcome = await updateExisting(ctx, tx, imp, match, p);
        count[outcome.kind]++;
        found.push(...(outcome.errors ?? []));
      } else if (earlier) {
        // A later row for an email this file already creates updates that new contact.
        earlier.input = { ...earlier.input, ...Object.fromEntries(Object.entries(p.input).filter(([, v]) => v !== undefined)) };
        earlier.custom = { ...earlier.custom, ...p.custom };
        count.updated++;
      } else {
        creates.push(p);
        if (dedupe && p.email) pending.set(p.email, p);
      }
    }
    const created = await insertCreates(ctx, tx, imp, creates, found);
    count.created += created;
    count.failed += creates.length - created;
    const next = await db(tx)
      .updateTable('imports')
      .set({
        status: last ? 'done' : 'running',
        processed: imp.processed + rows.length,
        created: imp.created + count.created,
        updated: imp.updated + count.updated,
        skipped: imp.skipped + count.skipped,
        failed: imp.failed + count.failed,
        errors: JSON.stringify([...imp.errors, ...found].slice(0, MAX_ERRORS_KEPT)),
        ...(last ? { finished_at: new Date(), total: imp.processed + rows.length, lease_until: null } : {}),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', imp.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (last) {
      await ctx.audit(tx, { action: 'import.finished', targetType: 'import', targetId: imp.id, diff: { created: next.created, updated: next.updated, failed: next.failed, dryRun: imp.dry_run } });
      await ctx.emit(tx, { type: 'import.finished', aggregateType: 'import', aggregateId: imp.id, payload: { importId: imp.id, userId: imp.created_by } });
    }
    return next;
  });
}

/**
 * Streams the file once from where the import stopped (rows up to `processed` are skipped) and
 * commits a batch at a time. Only the lease holder runs it, so two workers never import twice.
 */
export async function runImport(ctx: Ctx, id: string): Promise<void> {
  if (!(await lease(ctx, id, false))) return;
  let imp = await load(ctx, id);
  let batch: ImportRow[] = [];
  for await (const r of readImportRows(imp.file_path, imp.format)) {
    if (r.row <= imp.processed) continue;
    batch.push(r);
    if (batch.length === BATCH) {
      imp = await commitBatch(ctx, imp, batch, false);
      batch = [];
      if (!(await lease(ctx, id, true))) return;
    }
  }
  await commitBatch(ctx, imp, batch, true);
}

async function load(ctx: Ctx, id: string): Promise<Row> {
  const row = await ctx.tx((tx) => db(tx).selectFrom('imports').selectAll().where('organization_id', '=', ctx.organizationId).where('id', '=', id).executeTakeFirst());
  if (!row) throw errors.notFound('Import');
  return row;
}

export async function getImport(ctx: Ctx, id: string): Promise<ImportView> {
  authorize(ctx, 'contacts:read');
  return present(await load(ctx, id));
}

/** The rows that failed, as CSV (row, column, message) for the person fixing the file. */
export async function importErrorsCsv(ctx: Ctx, id: string): Promise<string> {
  authorize(ctx, 'contacts:read');
  const imp = await load(ctx, id);
  return stringify(imp.errors.map((e) => [e.row, e.column ?? '', e.message]), { header: true, columns: ['row', 'column', 'message'], bom: true });
}

/** Undoes a finished import within 7 days: created contacts are removed, updated ones restored. */
export async function rollbackImport(ctx: Ctx, id: string): Promise<ImportView> {
  authorize(ctx, 'contacts:delete');
  return ctx.tx(async (tx) => {
    const imp = await db(tx).selectFrom('imports').selectAll().where('organization_id', '=', ctx.organizationId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!imp) throw errors.notFound('Import');
    if (imp.status !== 'done' || imp.dry_run) throw new DomainError('rule_violated', 'RECORDS_IMPORT_NOT_ROLLBACKABLE', 'Only a finished, real import can be rolled back');
    if (Date.now() - (imp.finished_at?.getTime() ?? 0) > ROLLBACK_DAYS * 86_400_000) throw new DomainError('rule_violated', 'RECORDS_IMPORT_ROLLBACK_EXPIRED', `Imports can be rolled back for ${ROLLBACK_DAYS} days`);
    const records = await db(tx).selectFrom('import_records').selectAll().where('organization_id', '=', ctx.organizationId).where('import_id', '=', id).execute();
    const created = records.filter((r) => r.action === 'created').map((r) => r.record_id);
    for (let i = 0; i < created.length; i += 1000) {
      const chunk = created.slice(i, i + 1000);
      await db(tx).updateTable('activities').set({ contact_id: null }).where('organization_id', '=', ctx.organizationId).where('contact_id', 'in', chunk).execute();
      await db(tx).deleteFrom('contacts').where('organization_id', '=', ctx.organizationId).where('id', 'in', chunk).execute();
    }
    for (const r of records.filter((x) => x.action === 'updated' && x.before)) {
      const b = r.before as Record<string, unknown>;
      await db(tx)
        .updateTable('contacts')
        .set({ first_name: b.first_name as string | null, last_name: b.last_name as string | null, email: b.email as string | null, emails: JSON.stringify(b.emails), phone: b.phone as string | null, phones: JSON.stringify(b.phones), title: b.title as string | null, status: b.status as 'LEAD', source: b.source as string | null, tags: b.tags as string[], address: JSON.stringify(b.address ?? null), custom_fields: JSON.stringify(b.custom_fields ?? {}), updated_at: new Date(), version: sql`version + 1` })
        .where('organization_id', '=', ctx.organizationId)
        .where('id', '=', r.record_id)
        .execute();
    }
    const row = await db(tx).updateTable('imports').set({ status: 'rolled_back', rolled_back_at: new Date() }).where('organization_id', '=', ctx.organizationId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await ctx.audit(tx, { action: 'import.rolled_back', targetType: 'import', targetId: id, diff: { removed: created.length, restored: records.length - created.length } });
    return present(row);
  });
}

/** The worker's sweep: one batch of each open import, acting as the user who started it. */
export async function processImports(deps: Deps): Promise<number> {
  const open = await withSystem(deps.database.db, (tx) =>
    db(tx).selectFrom('imports').select(['organization_id', 'id', 'created_by']).where('status', 'in', ['queued', 'running']).orderBy('created_at').limit(5).execute(),
  );
  for (const imp of open) {
    const actor = await actorForUser(deps, imp.organization_id, imp.created_by, null);
    if (!actor) {
      await withSystem(deps.database.db, (tx) => db(tx).updateTable('imports').set({ status: 'failed', finished_at: new Date() }).where('organization_id', '=', imp.organization_id).where('id', '=', imp.id).execute());
      continue;
    }
    await runImport(createCtx(deps, actor), imp.id);
  }
  return open.length;
}
