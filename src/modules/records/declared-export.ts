import { z } from 'zod';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { route } from '../../platform/http/index.js';
import { describeFields, type ObjectDefinition } from '../../platform/objects/index.js';
import { loadCustomFields } from './custom-fields.js';
import { projectColumns, selectColumns } from './export-columns.js';
import {
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
 * A value as a spreadsheet cell: a list of words joined by "; " (tags), anything else structured
 * (a deal's stage, its line items) as JSON, so no value is silently dropped or printed as
 * "[object Object]".
 */
function cellOfValue(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
    return v.join('; ');
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'string') return v;
  return JSON.stringify(v) ?? null;
}

/**
 * Exports what an object's list matches — the same filters, sort and `q`, through the object's own
 * list service (`lifecycle.list`), so its scopes and row level security apply exactly as they do to
 * the list — as CSV or XLSX. The columns come from the declaration: every field of its API shape,
 * then the organization's custom fields as `custom.<key>`; `columns=` keeps some of them.
 */
export async function exportDeclaredObject(
  ctx: Ctx,
  def: ObjectDefinition,
  format: ExportFormat,
  rawQuery: Record<string, unknown>,
): Promise<ExportFile> {
  const list = def.lifecycle?.list;
  if (!list) throw new Error(`the object "${def.key}" declares no list to export`);
  authorize(ctx, `${def.resource}:export`);
  const filters = Object.fromEntries(Object.entries(rawQuery).filter(([k]) => !OWN_PARAMS.has(k)));
  const fields = describeFields(def).map((f) => f.key);
  const custom = def.capabilities.customFields
    ? (await ctx.tx((tx) => loadCustomFields(tx, ctx.organizationId, def.key))).map((d) => d.key)
    : [];
  const header = [...fields, ...custom.map((k) => `custom.${k}`)];
  const keep = selectColumns(header, rawQuery.columns);
  const rowOf = (raw: unknown): Cell[] => {
    const r = recordOf.parse(raw);
    const own = recordOf.safeParse(r.customFields).data ?? {};
    return [...fields.map((k) => r[k]), ...custom.map((k) => own[k])]
      .map(cellOfValue)
      .map(neutralizeCell);
  };
  const pageAfter = (cursor: string | null) =>
    list(ctx, { ...filters, limit: PAGE, ...(cursor ? { cursor } : {}) });
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
  const cut = projectColumns(header, rows(), keep);
  return exportFile(def.resource, format, cut.header, cut.rows);
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
