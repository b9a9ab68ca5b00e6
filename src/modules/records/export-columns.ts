import { errors } from '../../platform/errors/index.js';
import type { ExportColumn } from '../../platform/objects/index.js';

/** A field as the exporter needs it: its key, and whether its value sits under `customFields`. */
export interface ExportedField {
  key: string;
  /** Kept under the record's `customFields`: written as `custom.<key>`, as filters name it. */
  custom: boolean;
}

const ownValue = (key: string) => (r: Readonly<Record<string, unknown>>) => r[key];

function customValue(key: string) {
  return (r: Readonly<Record<string, unknown>>): unknown => {
    const own = r.customFields;
    return own !== null && typeof own === 'object'
      ? Object.getOwnPropertyDescriptor(own, key)?.value
      : undefined;
  };
}

/**
 * One column per field, named by its key (`custom.<key>` for a value kept under `customFields`),
 * so the file imports back as it is.
 */
export function columnsOfFields(fields: readonly ExportedField[]): ExportColumn[] {
  return fields.map((f) => {
    const header = f.custom ? `custom.${f.key}` : f.key;
    return { header, field: header, value: f.custom ? customValue(f.key) : ownValue(f.key) };
  });
}

/** The value of `part` in the object held by `field` (an address's city), null when there is none. */
export function partOf(field: string, part: string) {
  return (r: Readonly<Record<string, unknown>>): unknown => {
    const whole = r[field];
    return whole !== null && typeof whole === 'object'
      ? (Object.getOwnPropertyDescriptor(whole, part)?.value ?? null)
      : null;
  };
}

/**
 * The columns an export writes for `columns=a,b,c`, in the order asked, `id` always first so each
 * row still names its record; all of them when none are asked. A name matches a column by its
 * header or by its field, so the web app, which names its columns by field key, gets an address
 * as all of its parts. A name the export has no column for is refused with a 400 naming
 * `columns`, never silently left out.
 */
export function selectColumns(
  columns: readonly ExportColumn[],
  requested: unknown,
): readonly ExportColumn[] {
  if (typeof requested !== 'string' || requested.trim() === '') return columns;
  const names = ['id', ...requested.split(',').map((c) => c.trim())];
  const unknown = names.filter((n) => !columns.some((c) => c.header === n || c.field === n));
  if (unknown.length)
    throw errors.validation([
      { path: 'columns', message: `the export has no column ${unknown.join(', ')}` },
    ]);
  const kept: ExportColumn[] = [];
  for (const n of names)
    for (const c of columns)
      if ((c.header === n || c.field === n) && !kept.includes(c)) kept.push(c);
  return kept;
}
