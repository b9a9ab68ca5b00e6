/** A column's choice in the mapping step: a field key, or '' for "don't import". */
export type ColumnChoices = Record<string, string>;

/** The choices of every column, from a mapping (columns it leaves out are not imported). */
export function choicesOf(
  headers: readonly string[],
  mapping: Record<string, string>,
): ColumnChoices {
  return Object.fromEntries(headers.map((h) => [h, mapping[h] ?? '']));
}

/** The mapping the server takes: only the columns that are imported. */
export function mappingOf(choices: ColumnChoices): Record<string, string> {
  return Object.fromEntries(Object.entries(choices).filter(([, field]) => field !== ''));
}

/** Whether two mappings send the same columns to the same fields. */
export function isSameMapping(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Fields that more than one column fills: the import would keep only one, so it is asked first. */
export function fieldsMappedTwice(choices: ColumnChoices): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const field of Object.values(choices)) {
    if (!field) continue;
    if (seen.has(field)) twice.add(field);
    seen.add(field);
  }
  return [...twice];
}
