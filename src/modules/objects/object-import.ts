import { sql } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import {
  emptyOutcome,
  insertCreates,
  loadCustomFields,
  ownerGuards,
  planRows,
  rememberUpdate,
  rowErrors,
  validationDetails,
  type BatchOutcome,
  type CustomFieldDef,
  type ImportJob,
  type ImportKind,
  type ImportRow,
  type RowError,
} from '../records/index.js';
import { CUSTOM_RECORDS, findCustomObject } from './custom-objects.js';
import { parseBody, searchTextOf, updateObjectRecord, type ParsedBody } from './object-records.js';
import { assertRelations } from './relations.js';
import type { ObjectsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<ObjectsTables>();

/** A cell as the value its field's type expects; an empty cell sets nothing. */
function cellValue(def: CustomFieldDef | undefined, cell: string): unknown {
  const v = cell.trim();
  if (!def) return v;
  switch (def.type) {
    case 'number':
    case 'currency': {
      const n = Number(v.replace(/[,\s]/g, ''));
      return Number.isFinite(n) ? n : v;
    }
    case 'boolean':
      return /^(true|yes|y|1)$/i.test(v) ? true : /^(false|no|n|0)$/i.test(v) ? false : v;
    case 'multi_select':
      return v
        .split(/[;,]/)
        .map((x) => x.trim())
        .filter(Boolean);
    case 'relation':
      return def.options?.multiple ? v.split(/[;,\s]+/).filter(Boolean) : v;
    default:
      return v;
  }
}

interface Plan {
  row: number;
  body: ParsedBody;
  /** Lower-cased name: what dedupe matches on. */
  match: string;
}

/** Problems are named by field key; a column mapped as `custom.<key>` is found through this. */
const aliasesOf = (defs: readonly CustomFieldDef[]) =>
  Object.fromEntries(defs.map((d) => [d.key, `custom.${d.key}`]));

/** A file row as a record body: `name` and the object's fields, by key or as `custom.<key>`. */
function planRow(imp: ImportJob, defs: readonly CustomFieldDef[], r: ImportRow): Plan | RowError[] {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const body: Record<string, unknown> = {};
  for (const [header, field] of Object.entries(imp.mapping)) {
    const cell = r.values[header];
    if (cell === undefined || cell.trim() === '') continue;
    const key = field.startsWith('custom.') ? field.slice(7) : field;
    body[key] = key === 'name' ? cell.trim() : cellValue(byKey.get(key), cell);
  }
  try {
    const parsed = parseBody(body, defs, { partial: false });
    return { row: r.row, body: parsed, match: (parsed.name ?? '').toLowerCase() };
  } catch (e) {
    const details = validationDetails(e);
    if (!details) throw e;
    // Problems are named by field key; a column mapped as `custom.<key>` is found through it.
    return rowErrors(r.row, details, imp.mapping, aliasesOf(defs));
  }
}

/** Links of a batch checked at once; when one is bad, row by row, so only its rows fail. */
async function checkLinks(
  ctx: Ctx,
  tx: Tx,
  defs: readonly CustomFieldDef[],
  plans: readonly Plan[],
  out: BatchOutcome,
  mapping: Record<string, string>,
): Promise<Plan[]> {
  const relations = defs.filter((d) => d.type === 'relation');
  if (relations.length === 0) return [...plans];
  const union: Record<string, unknown> = {};
  for (const d of relations)
    union[d.key] = plans.flatMap((p): unknown[] => {
      const v: unknown = p.body.values[d.key];
      return v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v];
    });
  const asMany = relations.map((d) => ({ ...d, options: { ...d.options, multiple: true } }));
  try {
    await assertRelations(ctx, tx, asMany, union, undefined);
    return [...plans];
  } catch (e) {
    if (!(e instanceof Error) || !('code' in e) || e.code !== 'REFERENCE_NOT_FOUND') throw e;
  }
  const good: Plan[] = [];
  for (const p of plans) {
    try {
      await assertRelations(ctx, tx, defs, p.body.values, undefined);
      good.push(p);
    } catch (e) {
      const details =
        e instanceof Error && 'details' in e && Array.isArray(e.details) ? e.details : [];
      out.failed++;
      out.errors.push(
        ...rowErrors(p.row, details, mapping, aliasesOf(defs)).map((x) => ({
          ...x,
          column: x.column ?? null,
        })),
      );
    }
  }
  return good;
}

/** Existing live records of the object by lower-cased name, for dedupe. */
async function existingByName(
  ctx: Ctx,
  tx: Tx,
  objectId: string,
  names: readonly string[],
): Promise<Map<string, { id: string; snapshot: Record<string, unknown> }>> {
  if (names.length === 0) return new Map();
  const rows = await db(tx)
    .selectFrom('object_records')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('object_id', '=', objectId)
    .where('deleted_at', 'is', null)
    .where(sql<boolean>`lower(name) = any(${[...names]}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.name.toLowerCase(), { id: r.id, snapshot: { ...r } }]));
}

async function importBatch(
  ctx: Ctx,
  tx: Tx,
  imp: ImportJob,
  rows: ImportRow[],
): Promise<BatchOutcome> {
  const out = emptyOutcome();
  const object = await findCustomObject(tx, ctx.organizationId, { key: imp.object_type });
  const defs = await loadCustomFields(tx, ctx.organizationId, object.key);
  const planned = await checkLinks(
    ctx,
    tx,
    defs,
    planRows(rows, (r) => planRow(imp, defs, r), out),
    out,
    imp.mapping,
  );
  const dedupe = imp.dedupe !== 'create';
  const existing = dedupe
    ? await existingByName(ctx, tx, object.id, [...new Set(planned.map((p) => p.match))])
    : new Map<string, { id: string; snapshot: Record<string, unknown> }>();
  const seen = new Set<string>();
  const creates: Plan[] = [];
  for (const p of planned) {
    const match = dedupe ? existing.get(p.match) : undefined;
    if ((match || (dedupe && seen.has(p.match))) && imp.dedupe === 'skip') {
      out.skipped++;
      continue;
    }
    seen.add(p.match);
    if (!match) {
      creates.push(p);
      continue;
    }
    if (imp.dry_run) {
      out.updated++;
      continue;
    }
    await rememberUpdate(ctx, tx, imp, match.id, match.snapshot);
    await updateObjectRecord(ctx, object, match.id, {
      ...p.body.values,
      ...(p.body.name ? { name: p.body.name } : {}),
    });
    out.updated++;
  }
  const now = ctx.deps.clock.now();
  const inserted = await insertCreates(
    ctx,
    tx,
    imp,
    creates,
    (items) =>
      db(tx)
        .insertInto('object_records')
        .values(
          items.map(({ plan, id }) => ({
            organization_id: ctx.organizationId,
            id,
            object_id: object.id,
            name: plan.body.name ?? '',
            owner_id: plan.body.ownerId === undefined ? ctx.actor.userId : plan.body.ownerId,
            data: JSON.stringify(plan.body.values),
            search_text: searchTextOf(plan.body.name ?? '', plan.body.values, defs),
            created_at: now,
            updated_at: now,
          })),
        )
        .execute(),
    (e) => ({
      column: null,
      message: e instanceof Error ? e.message : 'the row could not be saved',
    }),
  );
  out.created += inserted.created;
  out.failed += inserted.errors.length;
  out.errors.push(...inserted.errors);
  return out;
}

/** How records of one custom object are imported (the records module's files, batches and rollback). */
export const dataImportKind = (objectType: string): ImportKind => ({
  resource: CUSTOM_RECORDS,
  importBatch,
  records: { table: 'object_records', object: objectType },
  guards: (ctx, tx, ids) => ownerGuards(ctx, tx, 'object_records', ids),
  async restore(ctx, tx, id, before) {
    await sql`update object_records set name = ${typeof before.name === 'string' ? before.name : ''}, owner_id = ${typeof before.owner_id === 'string' ? before.owner_id : null},
      data = ${JSON.stringify(before.data ?? {})}::jsonb, search_text = ${typeof before.search_text === 'string' ? before.search_text : ''},
      version = version + 1, updated_at = now()
      where organization_id = ${ctx.organizationId} and id = ${id}`.execute(tx);
  },
});
