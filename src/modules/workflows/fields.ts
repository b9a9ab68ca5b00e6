/**
 * Reads a dotted path from a record or a run's data. `custom.size` reads a record's custom field
 * (`customFields.size`), so conditions and templates use the same short names the list filters do.
 */
export function readPath(data: unknown, path: string): unknown {
  let current: unknown = data;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (current === null || typeof current !== 'object') return undefined;
    const obj = current as Record<string, unknown>;
    if (part === 'custom' && !('custom' in obj) && 'customFields' in obj) {
      current = obj.customFields;
      continue;
    }
    current =
      Array.isArray(current) && /^\d+$/.test(part)
        ? (current as unknown[])[Number(part)]
        : obj[part];
  }
  return current;
}

/** Whether a value counts as empty: absent, null, '' or an empty list. */
export const isEmptyValue = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
