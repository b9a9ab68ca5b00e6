/**
 * The file an export writes: cells made safe for spreadsheet apps and streamed as CSV or XLSX.
 * What goes into the rows is the exporter's (declared-export.ts).
 */
import { PassThrough, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';

export type Cell = string | number | null;
export type ExportFormat = 'csv' | 'xlsx';

/**
 * Spreadsheet apps execute cells that start with = + - @ (and tab/CR) as formulas, so such
 * values are prefixed with an apostrophe (OWASP "CSV injection").
 */
export function neutralizeCell(v: Cell): Cell {
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/**
 * A value as a spreadsheet cell: a list of words joined by "; " (tags, a relation's ids), anything
 * else structured (a deal's stage, its line items) as JSON, so no value is silently dropped or
 * printed as "[object Object]".
 */
export function cellOf(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
    return v.join('; ');
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'string') return v;
  return JSON.stringify(v) ?? null;
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
