import type { FieldKind } from './field-catalog';

/**
 * Values as people type them (text) and as a definition stores them (strings, numbers, booleans,
 * lists). Forms hold text so a half-typed number is never lost; these turn it into what the
 * engine compares or writes, guided by the field's kind.
 */

const NUMBER = /^-?\d+(\.\d+)?$/;
const isPlaceholder = (text: string) => text.includes('{{');

/** A value as a form shows it: lists as a comma list, null as empty. */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** One compared value: a number for number fields, true/false for yes/no fields, else the text. */
export function parseScalar(text: string, kind: FieldKind): string | number | boolean {
  const t = text.trim();
  if (kind === 'number' && NUMBER.test(t)) return Number(t);
  if (kind === 'boolean' && /^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  return t;
}

/** A comma list (for `is one of`): trimmed items, empty ones dropped. */
export function parseList(text: string, kind: FieldKind): Array<string | number> {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (kind === 'number' && NUMBER.test(s) ? Number(s) : s));
}

/**
 * A value a create/update record step writes: empty clears the field (null), a placeholder stays a
 * template the run fills in, tags become a list; numbers and yes/no as for comparisons.
 */
export function parseRecordValue(
  text: string,
  kind: FieldKind,
): string | number | boolean | null | string[] {
  const t = text.trim();
  if (t === '') return null;
  if (isPlaceholder(t)) return text;
  if (kind === 'tags') return parseList(t, 'text').map(String);
  if (kind === 'text') return text;
  return parseScalar(t, kind);
}
