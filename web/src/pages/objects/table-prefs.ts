/**
 * What the user chose for an object's table in this browser — which columns show and how wide
 * they are — kept per object in localStorage.
 */
import type { ColumnSizingState, VisibilityState } from '@tanstack/react-table';
import type { ObjectDescription } from '../../api/types';
import { defaultColumns, filterKey, visibleFields } from './field-specs';

const columnsKey = (object: ObjectDescription) => `cerebro-columns-${object.key}`;
const sizesKey = (object: ObjectDescription) => `cerebro-column-sizes-${object.key}`;

/** A stored JSON object, or null when absent or unreadable (an old or hand-edited entry). */
function readStored(key: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Which columns show, given the field keys to show. */
export const visibilityOf = (
  object: ObjectDescription,
  shown: readonly string[],
): VisibilityState =>
  Object.fromEntries(
    visibleFields(object).map((f) => [filterKey(f), shown.includes(filterKey(f))]),
  );

/**
 * Which columns show: the user's last choice for this object, else the module's defaults (when it
 * names them), else the object's.
 */
export function initialVisibility(
  object: ObjectDescription,
  objects: readonly ObjectDescription[],
  defaults?: readonly string[],
): VisibilityState {
  const stored = readStored(columnsKey(object));
  if (stored)
    return Object.fromEntries(
      Object.entries(stored).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'),
    );
  return visibilityOf(object, defaults ?? defaultColumns(object, objects));
}

/**
 * The column widths the user dragged for this object, else the module's (`defaults`); only sane
 * pixel widths are kept.
 */
export function initialSizing(
  object: ObjectDescription,
  defaults: Readonly<Record<string, number>> = {},
): ColumnSizingState {
  const stored = readStored(sizesKey(object)) ?? defaults;
  return Object.fromEntries(
    Object.entries(stored).filter(
      (e): e is [string, number] => typeof e[1] === 'number' && e[1] >= 40 && e[1] <= 2000,
    ),
  );
}

/** Keeps the column choice and widths of an object. */
export function storePrefs(
  object: ObjectDescription,
  visibility: VisibilityState,
  sizing: ColumnSizingState,
): void {
  localStorage.setItem(columnsKey(object), JSON.stringify(visibility));
  localStorage.setItem(sizesKey(object), JSON.stringify(sizing));
}
