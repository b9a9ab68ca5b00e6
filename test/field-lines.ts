import type { FieldDescription } from '../src/platform/objects/index.js';

/**
 * One line per described field — key, kind, r(equired) e(ditable) f(ilterable) s(ortable),
 * relation, max length, values, label — so a test can pin what `GET /api/v1/objects` answers.
 */
export const fieldLine = (f: FieldDescription): string =>
  [
    f.key,
    f.kind,
    [f.required && 'r', f.editable && 'e', f.filterable && 'f', f.sortable && 's']
      .filter(Boolean)
      .join(''),
    f.relation ?? '',
    f.maxLength ?? '',
    f.values?.join('|') ?? '',
    f.label,
  ]
    .filter((part) => part !== '')
    .join(' ');
