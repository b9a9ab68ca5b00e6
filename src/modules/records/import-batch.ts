import { sql, type Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { OwnedRecord } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, type ErrorDetail } from '../../platform/errors/index.js';
import type { ImportRow } from './import-rows.js';
import type { ImportTable, RecordsTables } from './schema.js';

// What every object type's import shares: the job row, row errors, batch outcomes, writes.

/** The records tables, typed, in a transaction. */
export const importDb = (tx: Tx) => tx.withTables<RecordsTables>();

/** An import job as stored. */
export type ImportJob = Selectable<ImportTable>;

/** One problem with one row of the file, naming the column when it is known. */
export interface RowError {
  row: number;
  column: string | null;
  message: string;
}

/** What one batch did: each row counts once, under exactly one of the four outcomes. */
export interface BatchOutcome {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  errors: RowError[];
}

/** A batch outcome before any row is counted. */
export const emptyOutcome = (): BatchOutcome => ({
  created: 0,
  updated: 0,
  skipped: 0,
  failed: 0,
  errors: [],
});

/** What the import runner needs from one object type; the rest (files, progress, leases) is shared. */
export interface ImportKind {
  /** The resource its permissions are named after: `<resource>:create`, `:update`, `:read`, `:delete`. */
  resource: string;
  /** Validates, dedupes and writes one batch in `tx` (writes nothing in a dry run). */
  importBatch(ctx: Ctx, tx: Tx, imp: ImportJob, rows: ImportRow[]): Promise<BatchOutcome>;
  /** Where its records live and what one is called in audit entries and events (`contact.deleted`). */
  records: { table: string; object: string };
  /** Who owns each of these records (and its team, where it waits in a team's queue), for scope checks. */
  guards(ctx: Ctx, tx: Tx, ids: readonly string[]): Promise<Map<string, OwnedRecord>>;
  /** Puts a record the import updated back as it was (`before` is the row snapshot taken then). */
  restore(ctx: Ctx, tx: Tx, id: string, before: Record<string, unknown>): Promise<void>;
}

/**
 * The file column a validation path came from, most specific first: `aliases` for paths the
 * schema renames (`emails.0.email` ← `email`), `address.city` ← `city`, `customFields.x` ← `custom.x`.
 */
export function columnOf(
  mapping: Record<string, string>,
  path: string,
  aliases: Record<string, string> = {},
): string | null {
  const [head = '', second] = path.split('.');
  const candidates = [
    aliases[path],
    path,
    head === 'customFields' && second ? `custom.${second}` : undefined,
    head === 'address' ? second : undefined,
    aliases[head],
    head,
  ];
  const entries = Object.entries(mapping);
  for (const field of candidates) {
    const hit = field ? entries.find(([, f]) => f === field) : undefined;
    if (hit) return hit[0];
  }
  return null;
}

/** Row errors from validation details, each naming its column. */
export function rowErrors(
  row: number,
  details: readonly ErrorDetail[],
  mapping: Record<string, string>,
  aliases: Record<string, string> = {},
): RowError[] {
  return details.map((d) => ({
    row,
    column: columnOf(mapping, d.path, aliases),
    message: `${d.path}: ${d.message}`,
  }));
}

/** Plans each row; rows that fail validation are counted and reported in `out`, the rest returned. */
export function planRows<P>(
  rows: readonly ImportRow[],
  plan: (r: ImportRow) => P | RowError[],
  out: BatchOutcome,
): P[] {
  const planned: P[] = [];
  for (const r of rows) {
    const p = plan(r);
    if (Array.isArray(p)) {
      out.failed++;
      out.errors.push(...p);
    } else planned.push(p);
  }
  return planned;
}

/** A custom field's cell: numbers and booleans as such (the field's type then checks it), other text as is. */
export const customCellValue = (v: string): unknown =>
  /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === 'true' || v === 'false' ? v === 'true' : v;

/** The details of a validation error the record services threw, or null for any other error. */
export function validationDetails(e: unknown): ErrorDetail[] | null {
  return e instanceof DomainError && e.kind === 'validation' && Array.isArray(e.details)
    ? e.details
    : null;
}

export { isUniqueViolation } from '../../platform/db/index.js';

/** Remembers a record's state before the import first changed it, so a rollback can restore it. */
export async function rememberUpdate(
  ctx: Ctx,
  tx: Tx,
  imp: ImportJob,
  id: string,
  before: object,
): Promise<void> {
  await importDb(tx)
    .insertInto('import_records')
    .values({
      organization_id: ctx.organizationId,
      import_id: imp.id,
      record_id: id,
      action: 'updated',
      before: JSON.stringify(before),
    })
    // The first snapshot wins: a later row for the same record must not overwrite the original.
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Inserts a batch's new records with one statement (and their rollback records with another).
 * If the database refuses the set, each row is retried alone under a savepoint so only the bad
 * ones fail, with the column and reason `explain` gives.
 */
export async function insertCreates<P extends { row: number }>(
  ctx: Ctx,
  tx: Tx,
  imp: ImportJob,
  creates: readonly P[],
  insert: (items: Array<{ plan: P; id: string }>) => Promise<unknown>,
  explain: (e: unknown) => { column: string | null; message: string },
): Promise<{ created: number; errors: RowError[] }> {
  if (creates.length === 0 || imp.dry_run) return { created: creates.length, errors: [] };
  const items = creates.map((plan) => ({ plan, id: uuidv7() }));
  const record = (id: string) => ({
    organization_id: ctx.organizationId,
    import_id: imp.id,
    record_id: id,
    action: 'created' as const,
    before: null,
  });
  await sql`savepoint import_batch`.execute(tx);
  try {
    await insert(items);
    await sql`insert into import_records (organization_id, import_id, record_id, action)
      select ${ctx.organizationId}, ${imp.id}, unnest(${items.map((i) => i.id)}::uuid[]), 'created'`.execute(
      tx,
    );
    await sql`release savepoint import_batch`.execute(tx);
    return { created: items.length, errors: [] };
  } catch {
    await sql`rollback to savepoint import_batch`.execute(tx);
  }
  let created = 0;
  const errors: RowError[] = [];
  for (const item of items) {
    await sql`savepoint import_row`.execute(tx);
    try {
      await insert([item]);
      await importDb(tx).insertInto('import_records').values(record(item.id)).execute();
      await sql`release savepoint import_row`.execute(tx);
      created++;
    } catch (e) {
      await sql`rollback to savepoint import_row`.execute(tx);
      errors.push({ row: item.plan.row, ...explain(e) });
    }
  }
  return { created, errors };
}

/** The owner of each record of a table without team queues (contacts, companies). */
export async function ownerGuards(
  ctx: Ctx,
  tx: Tx,
  table: string,
  ids: readonly string[],
): Promise<Map<string, OwnedRecord>> {
  const rows = await sql<{
    id: string;
    owner_id: string | null;
  }>`select id, owner_id from ${sql.table(table)}
    where organization_id = ${ctx.organizationId} and id = any(${[...ids]}::uuid[])`.execute(tx);
  return new Map(rows.rows.map((r) => [r.id, { ownerId: r.owner_id }]));
}

/**
 * Moves records an import created to the trash, exactly as deleting each one would: restorable
 * for the trash period, with an audit entry and a `<object>.deleted` event per record.
 */
export async function trashImported(
  ctx: Ctx,
  tx: Tx,
  kind: ImportKind,
  importId: string,
  ids: readonly string[],
): Promise<number> {
  const { table, object } = kind.records;
  const trashed = await sql<{
    id: string;
  }>`update ${sql.table(table)} set deleted_at = now(), version = version + 1
    where organization_id = ${ctx.organizationId} and id = any(${[...ids]}::uuid[]) and deleted_at is null returning id`.execute(
    tx,
  );
  for (const { id } of trashed.rows) {
    await ctx.audit(tx, {
      action: `${object}.deleted`,
      targetType: object,
      targetId: id,
      diff: { rolledBackImport: importId },
    });
    await ctx.emit(tx, {
      type: `${object}.deleted`,
      aggregateType: object,
      aggregateId: id,
      payload: { id },
    });
  }
  return trashed.rows.length;
}
