import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import {
  cellOf,
  exportFile,
  neutralizeCell,
  projectColumns,
  selectColumns,
  type Cell,
  type CustomFieldDef,
  type ExportFile,
  type ExportFormat,
} from '../records/index.js';
import { CUSTOM_RECORDS, type CustomObject } from './custom-objects.js';
import { pageOfRecords } from './object-record-list.js';
import type { ObjectRecord } from './object-records.js';

const PAGE = 1000;
const SYSTEM_COLUMNS = ['id', 'name', 'ownerId', 'createdAt', 'updatedAt'] as const;

const rowOf = (r: ObjectRecord, defs: readonly CustomFieldDef[]): Cell[] =>
  [...SYSTEM_COLUMNS.map((c) => cellOf(r[c])), ...defs.map((d) => cellOf(r[d.key]))].map(
    neutralizeCell,
  );

/**
 * A streaming export of the records a list query matches, in the actor's scope: one short
 * transaction per page of 1,000, columns named by field key so the file imports back as it is.
 */
export async function exportObjectRecords(
  ctx: Ctx,
  object: CustomObject,
  format: ExportFormat,
  rawQuery: Record<string, unknown>,
): Promise<ExportFile> {
  authorize(ctx, `${CUSTOM_RECORDS}:export`);
  const { format: _f, limit: _l, cursor: _c, count: _n, columns: _k, ...filters } = rawQuery;
  const pageAfter = (cursor: string | null) =>
    ctx.tx((tx) =>
      pageOfRecords(
        ctx,
        tx,
        object,
        { ...filters, limit: String(PAGE), ...(cursor ? { cursor } : {}) },
        PAGE,
      ),
    );
  // The first page runs before answering, so a bad filter is a 400 rather than a broken file.
  const first = await pageAfter(null);
  async function* rows(): AsyncGenerator<Cell[]> {
    let page = first;
    for (;;) {
      for (const r of page.rows) yield rowOf(r, page.defs);
      if (!page.nextCursor) return;
      page = await pageAfter(page.nextCursor);
    }
  }
  const header = [...SYSTEM_COLUMNS, ...first.defs.map((d) => d.key)];
  const cut = projectColumns(header, rows(), selectColumns(header, rawQuery.columns));
  return exportFile(object.resource, format, cut.header, cut.rows);
}
