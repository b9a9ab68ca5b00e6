import { z } from 'zod';
import { authorize, narrowerScope, type Actor } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { route } from '../../platform/http/index.js';
import {
  describeFields,
  type ExportColumn,
  type ObjectDefinition,
  type ObjectLifecycle,
} from '../../platform/objects/index.js';
import { loadCustomFields } from './custom-fields.js';
import { columnsOfFields, selectColumns } from './export-columns.js';
import {
  cellOf,
  exportFile,
  neutralizeCell,
  type Cell,
  type ExportFile,
  type ExportFormat,
} from './export.js';
import { exportQuery } from './http-schemas.js';

/** The list parameters an export takes for itself rather than passing to the list. */
const OWN_PARAMS = new Set(['format', 'limit', 'cursor', 'count', 'columns']);
/** The largest page a list hands out (API.md); the export walks the list a page at a time. */
const PAGE = '200';

const recordOf = z.record(z.string(), z.unknown());

/**
 * What the exporter needs of an object, whether a module declares it or an organization's data
 * defines it (custom objects, notes: see the objects module).
 */
export interface ExportTarget {
  /** The REST resource: it names the file and the sheet. */
  resource: string;
  /** The permission resource: `<permission>:export` guards the export (`contacts`, `custom-records`). */
  permission: string;
  /** The columns of the whole file, before `columns=` keeps some of them. */
  columns: readonly ExportColumn[];
  /** A page of the object's list, as `GET /{resource}` answers it. */
  list: NonNullable<ObjectLifecycle['list']>;
}

const ID_COLUMN: ExportColumn = { header: 'id', field: 'id', value: (r) => r.id };

/**
 * The actor as its export sees it: its `<permission>:read` reaches no further than its
 * `<permission>:export`, so a role that reads every record but exports only its own exports only
 * its own (the list applies the read scope). Everything else about the actor is unchanged.
 */
function exportingActor(actor: Actor, permission: string): Actor {
  const read = actor.grants.get(`${permission}:read`);
  const exporting = actor.grants.get(`${permission}:export`);
  if (actor.type === 'system' || !read || !exporting) return actor;
  const grants = new Map(actor.grants).set(`${permission}:read`, narrowerScope(read, exporting));
  return { ...actor, grants };
}

/**
 * Exports what an object's list matches — the same filters, sort and `q`, through the object's own
 * list service, so its scopes and row level security apply exactly as they do to the list — as CSV
 * or XLSX, one row per record, values made safe for spreadsheet apps (neutralizeCell).
 */
export async function exportObject(
  ctx: Ctx,
  target: ExportTarget,
  format: ExportFormat,
  rawQuery: Record<string, unknown>,
): Promise<ExportFile> {
  authorize(ctx, `${target.permission}:export`);
  const all = target.columns.some((c) => c.header === 'id')
    ? target.columns
    : [ID_COLUMN, ...target.columns];
  const columns = selectColumns(all, rawQuery.columns);
  const filters = Object.fromEntries(Object.entries(rawQuery).filter(([k]) => !OWN_PARAMS.has(k)));
  // The ctx's transaction and adapters are closures, so a copy with another actor shares them.
  const exporter: Ctx = { ...ctx, actor: exportingActor(ctx.actor, target.permission) };
  const pageAfter = (cursor: string | null) =>
    target.list(exporter, { ...filters, limit: PAGE, ...(cursor ? { cursor } : {}) });
  const rowOf = (raw: unknown): Cell[] => {
    const r = recordOf.parse(raw);
    return columns.map((c) => neutralizeCell(cellOf(c.value(r))));
  };
  // The first page runs before answering, so a bad filter is a 400 rather than a broken file.
  const first = await pageAfter(null);
  async function* rows(): AsyncGenerator<Cell[]> {
    let page = first;
    for (;;) {
      for (const r of page.data) yield rowOf(r);
      if (!page.meta.nextCursor) return;
      page = await pageAfter(page.meta.nextCursor);
    }
  }
  return exportFile(
    target.resource,
    format,
    columns.map((c) => c.header),
    rows(),
  );
}

/**
 * Exports a module's object: the columns its declaration gives (`exportColumns`, else one per
 * described field), then the organization's custom fields as `custom.<key>`.
 */
export async function exportDeclaredObject(
  ctx: Ctx,
  def: ObjectDefinition,
  format: ExportFormat,
  rawQuery: Record<string, unknown>,
): Promise<ExportFile> {
  const list = def.lifecycle?.list;
  if (!list) throw new Error(`the object "${def.key}" declares no list to export`);
  const custom = def.capabilities.customFields
    ? await ctx.tx((tx) => loadCustomFields(tx, ctx.organizationId, def.key))
    : [];
  const columns = [
    ...(def.exportColumns ?? columnsOfFields(describeFields(def))),
    ...columnsOfFields(custom.map((d) => ({ key: d.key, custom: true }))),
  ];
  return exportObject(
    ctx,
    { resource: def.resource, permission: def.resource, columns, list },
    format,
    rawQuery,
  );
}

/** `GET /api/v1/<resource>/export` for a declared object: a CSV or XLSX file of its list. */
export function exportRouteOf(def: ObjectDefinition) {
  return route({
    method: 'GET',
    path: `/api/v1/${def.resource}/export`,
    permission: `${def.resource}:export`,
    summary: `Export ${def.labels.plural.toLowerCase()} as CSV or XLSX (same filters as the list)`,
    tags: [def.resource],
    query: exportQuery,
    response: { status: 200, description: 'A CSV or XLSX file' },
    handler: async ({ ctx, query, req, reply }) => {
      const file = await exportDeclaredObject(
        ctx,
        def,
        query.format,
        req.query as Record<string, unknown>,
      );
      void reply
        .header('Content-Type', file.contentType)
        .header('Content-Disposition', `attachment; filename="${file.filename}"`);
      return file.body;
    },
  });
}
