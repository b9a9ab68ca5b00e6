import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

/** One data row of an import file: its 1-based number (the header is row 0) and its cells by header. */
export interface ImportRow {
  row: number;
  values: Record<string, string>;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as {
      text?: unknown;
      result?: unknown;
      hyperlink?: unknown;
      richText?: Array<{ text: string }>;
    };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
    return '';
  }
  return typeof v === 'string'
    ? v.trim()
    : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint'
      ? String(v)
      : '';
}

/** Streams the rows of a CSV or XLSX file without holding it in memory. */
export async function* readImportRows(
  path: string,
  format: 'csv' | 'xlsx',
): AsyncGenerator<ImportRow> {
  if (format === 'csv') {
    const parser = createReadStream(path).pipe(
      parse({
        bom: true,
        columns: (h: string[]) => h.map((x) => x.trim()),
        skip_empty_lines: true,
        relax_column_count: true,
        trim: true,
      }),
    );
    let row = 0;
    for await (const record of parser as AsyncIterable<Record<string, string>>)
      yield { row: ++row, values: record };
    return;
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  for await (const sheet of reader) {
    let headers: string[] | null = null;
    let row = 0;
    for await (const r of sheet) {
      const cells = (r.values as unknown[]).slice(1).map(cellText);
      if (!headers) {
        headers = cells;
        continue;
      }
      if (cells.every((c) => c === '')) continue;
      yield { row: ++row, values: Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ''])) };
    }
    return; // the first worksheet only
  }
}

/** The header row of a file. */
export async function readHeaders(path: string, format: 'csv' | 'xlsx'): Promise<string[]> {
  for await (const first of readImportRows(path, format)) return Object.keys(first.values);
  return [];
}
