import { errors } from '../../platform/errors/index.js';

type Cell = string | number | null;

/**
 * Fields written as several columns: an address as its parts, revenue as amount and currency.
 * The web app names its columns by field key, so `columns=address` asks for all of its parts.
 */
const PARTS: Record<string, readonly string[]> = {
  address: ['street', 'city', 'region', 'postalCode', 'country'],
  annualRevenue: ['annualRevenue', 'currency'],
};

/**
 * The positions of the columns an export keeps for `columns=a,b,c` (field keys, in the order
 * asked), `id` always first so each row still names its record; null (all columns) when none
 * are asked. A name the export has no column for is refused with a 400 naming `columns`, never
 * silently left out.
 */
export function selectColumns(header: readonly string[], requested: unknown): number[] | null {
  if (typeof requested !== 'string' || requested.trim() === '') return null;
  const names = ['id', ...requested.split(',').map((c) => c.trim())].flatMap(
    (c) => PARTS[c] ?? [c],
  );
  const unknown = names.filter((c) => !header.includes(c));
  if (unknown.length)
    throw errors.validation([
      { path: 'columns', message: `the export has no column ${unknown.join(', ')}` },
    ]);
  return [...new Set(names)].map((c) => header.indexOf(c));
}

/** The header and rows cut down to the selected positions (all of them when `keep` is null). */
export function projectColumns(
  header: readonly string[],
  rows: AsyncIterable<Cell[]>,
  keep: readonly number[] | null,
): { header: string[]; rows: AsyncIterable<Cell[]> } {
  if (!keep) return { header: [...header], rows };
  async function* cut() {
    for await (const r of rows) yield keep?.map((i) => r[i] ?? null) ?? r;
  }
  return { header: keep.map((i) => header[i] ?? ''), rows: cut() };
}
