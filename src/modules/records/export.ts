import { PassThrough, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Selectable } from 'kysely';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { COMPANY_FIELDS, companySearchSql, presentCompany } from './companies.js';
import { CONTACT_FIELDS, contactSearchSql, presentContact } from './contacts.js';
import { loadCustomFields } from './custom-fields.js';
import { projectColumns, selectColumns } from './export-columns.js';
import { listRecords, type RecordListSpec } from './record-list.js';
import type { CompanyTable, ContactTable } from './schema.js';

export type Cell = string | number | null;
export type ExportFormat = 'csv' | 'xlsx';
export type ExportType = 'contacts' | 'companies';

/**
 * Spreadsheet apps execute cells that start with = + - @ (and tab/CR) as formulas, so such
 * values are prefixed with an apostrophe (OWASP "CSV injection").
 */
export function neutralizeCell(v: Cell): Cell {
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

interface Shape<Row> {
  spec: Omit<RecordListSpec, 'objectType'> & { objectType: 'contact' | 'company' };
  columns: string[];
  row: (r: Row) => Cell[];
}

const CONTACT_SHAPE: Shape<Selectable<ContactTable>> = {
  spec: {
    table: 'contacts',
    objectType: 'contact',
    permission: 'contacts:export',
    mergeable: true,
    fields: CONTACT_FIELDS,
    search: contactSearchSql,
  },
  columns: [
    'id',
    'firstName',
    'lastName',
    'email',
    'phone',
    'title',
    'companyId',
    'ownerId',
    'status',
    'source',
    'tags',
    'street',
    'city',
    'region',
    'postalCode',
    'country',
    'emailConsent',
    'leadScore',
    'lastContactedAt',
    'createdAt',
    'updatedAt',
  ],
  row: (r) => {
    const c = presentContact(r);
    return [
      c.id,
      c.firstName,
      c.lastName,
      c.email,
      c.phone,
      c.title,
      c.companyId,
      c.ownerId,
      c.status,
      c.source,
      c.tags.join('; '),
      c.address?.street ?? null,
      c.address?.city ?? null,
      c.address?.region ?? null,
      c.address?.postalCode ?? null,
      c.address?.country ?? null,
      c.emailConsent.status,
      c.leadScore,
      c.lastContactedAt,
      c.createdAt,
      c.updatedAt,
    ];
  },
};

const COMPANY_SHAPE: Shape<Selectable<CompanyTable>> = {
  spec: {
    table: 'companies',
    objectType: 'company',
    permission: 'companies:export',
    mergeable: true,
    fields: COMPANY_FIELDS,
    search: companySearchSql,
  },
  columns: [
    'id',
    'name',
    'domain',
    'industry',
    'size',
    'annualRevenue',
    'currency',
    'website',
    'phone',
    'ownerId',
    'parentId',
    'createdAt',
    'updatedAt',
  ],
  row: (r) => {
    const c = presentCompany(r);
    return [
      c.id,
      c.name,
      c.domain,
      c.industry,
      c.size,
      c.annualRevenue?.amount ?? null,
      c.annualRevenue?.currency ?? null,
      c.website,
      c.phone,
      c.ownerId,
      c.parentId,
      c.createdAt,
      c.updatedAt,
    ];
  },
};

const PAGE = 1000;

/** A stored value as a spreadsheet cell: lists joined by "; ", objects as JSON. */
export function cellOf(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.join('; ');
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v as string | number;
}

/** Pages through every matching record, one short transaction per page, as rows of cells. */
async function* exportRows<Row extends { custom_fields: Record<string, unknown> }>(
  ctx: Ctx,
  shape: Shape<Row>,
  rawQuery: Record<string, unknown>,
  customKeys: string[],
): AsyncGenerator<Cell[]> {
  let cursor: string | null = null;
  const { format: _f, limit: _l, cursor: _c, count: _n, columns: _k, ...filters } = rawQuery;
  do {
    const page: Awaited<ReturnType<typeof listRecords<Row>>> = await ctx.tx((tx) =>
      listRecords<Row>(
        ctx,
        tx,
        shape.spec,
        { ...filters, limit: String(PAGE), ...(cursor ? { cursor } : {}) },
        PAGE,
      ),
    );
    for (const r of page.rows) {
      const custom = customKeys.map((k) => cellOf(r.custom_fields[k]));
      yield [...shape.row(r), ...custom].map(neutralizeCell);
    }
    cursor = page.nextCursor;
  } while (cursor);
}

/** A streaming export of the records a list query matches, in the actor's scope. */
export async function exportRecords(
  ctx: Ctx,
  type: ExportType,
  format: ExportFormat,
  rawQuery: Record<string, unknown>,
): Promise<ExportFile> {
  const shape = (type === 'contacts' ? CONTACT_SHAPE : COMPANY_SHAPE) as Shape<
    Selectable<ContactTable> | Selectable<CompanyTable>
  >;
  authorize(ctx, shape.spec.permission);
  const defs = await ctx.tx((tx) =>
    loadCustomFields(tx, ctx.organizationId, shape.spec.objectType),
  );
  const header = [...shape.columns, ...defs.map((d) => `custom.${d.key}`)];
  const keep = selectColumns(header, rawQuery.columns);
  const keys = defs.map((d) => d.key);
  // Validate the filters before answering 200: the first page runs eagerly.
  const rows = exportRows(ctx, shape, rawQuery, keys);
  const first = await rows.next();
  async function* all() {
    if (!first.done) yield first.value;
    yield* rows;
  }
  const cut = projectColumns(header, all(), keep);
  return exportFile(type, format, cut.header, cut.rows);
}

/** An export as an HTTP answer: a file name, its type and a stream of its bytes. */
export interface ExportFile {
  filename: string;
  contentType: string;
  body: Readable;
}

/**
 * Streams rows into a CSV (with a BOM, so spreadsheet apps read UTF-8) or an XLSX workbook; the
 * file is named `<name>-<date>`. Rows must already be neutralized (neutralizeCell).
 */
export function exportFile(
  name: string,
  format: ExportFormat,
  header: readonly string[],
  rows: AsyncIterable<Cell[]>,
): ExportFile {
  const stamp = new Date().toISOString().slice(0, 10);
  if (format === 'csv') {
    const csv = stringify({ header: true, columns: [...header], bom: true });
    void (async () => {
      try {
        for await (const r of rows)
          if (!csv.write(r)) await new Promise((resolve) => csv.once('drain', resolve));
        csv.end();
      } catch (err) {
        csv.destroy(err as Error);
      }
    })();
    return { filename: `${name}-${stamp}.csv`, contentType: 'text/csv; charset=utf-8', body: csv };
  }
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(name.slice(0, 31));
  sheet.addRow([...header]).commit();
  void (async () => {
    try {
      for await (const r of rows) sheet.addRow(r).commit();
      sheet.commit();
      await workbook.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return {
    filename: `${name}-${stamp}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: out,
  };
}
