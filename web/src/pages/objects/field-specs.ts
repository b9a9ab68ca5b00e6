/**
 * How an object's fields, as `GET /objects` describes them, become the app's field specs, columns,
 * filters and form inputs. Pure functions: the table, the record page and the create form all
 * read the description through here, so a new object or custom field needs no page of its own.
 */
import type { ObjectRecord } from '../../api/records';
import type { ObjectDescription, ObjectField } from '../../api/types';
import type { FieldKind, FieldSpec } from '../field-values';

/** Fields every record has that no one reads as data. */
const HIDDEN = new Set(['id', 'version', 'deletedAt', 'customFields']);

/**
 * JSON fields of built-in objects whose shape is known: an address edits as its parts, revenue as
 * an amount. Other JSON fields edit as JSON text.
 */
const ADDRESS_KEYS = [
  ['street', 'Street'],
  ['city', 'City'],
  ['region', 'Region'],
  ['postalCode', 'Postal code'],
  ['country', 'Country'],
] as const;
const KEYED_JSON: Record<string, ReadonlyArray<readonly [string, string]>> = {
  address: ADDRESS_KEYS,
};
const MONEY_JSON = new Set(['annualRevenue']);

/** The list parameter that filters on a field: `filter[custom.tier]` for custom fields. */
export const filterKey = (field: Pick<ObjectField, 'key' | 'custom'>): string =>
  field.custom ? `custom.${field.key}` : field.key;

/** A field's value on a record: custom fields live under `customFields`. */
export const valueOf = (
  record: ObjectRecord,
  field: Pick<ObjectField, 'key' | 'custom'>,
): unknown =>
  field.custom ? (record.customFields?.[field.key] ?? null) : (record[field.key] ?? null);

/** The object a relation field points at, when it is one of the objects (not a user or a team). */
export const targetOf = (
  field: ObjectField,
  objects: readonly ObjectDescription[],
): ObjectDescription | undefined =>
  field.kind === 'relation' ? objects.find((o) => o.key === field.relation) : undefined;

/** Whether the list of the object can sort by its title field (contacts sort by last name). */
export function titleSort(object: ObjectDescription): string | undefined {
  const title = object.fields.find((f) => f.key === object.titleField);
  if (title?.sortable) return title.key;
  if (object.fields.some((f) => f.key === 'lastName' && f.sortable)) return 'lastName,firstName';
  return undefined;
}

function kindOf(field: ObjectField, objects: readonly ObjectDescription[]): FieldKind {
  switch (field.kind) {
    case 'money':
      return 'currency';
    case 'enum':
      return 'select';
    case 'tags':
      return field.values?.length ? 'multi_select' : 'tags';
    case 'relation':
      if (field.relation === 'user') return 'user';
      return targetOf(field, objects) ? 'relation' : 'id';
    case 'json':
      if (KEYED_JSON[field.key]) return 'keyed';
      return MONEY_JSON.has(field.key) ? 'currency' : 'json';
    default:
      return field.kind;
  }
}

/** The currency of a money field: the record's own `currency`, its value's, or USD. */
function currencyOf(field: ObjectField, record: ObjectRecord | null): string {
  const v = record ? valueOf(record, field) : null;
  if (v && typeof v === 'object' && 'currency' in v && typeof v.currency === 'string')
    return v.currency;
  return typeof record?.currency === 'string' ? record.currency : 'USD';
}

/** One field of one record (or of a new one, `record` null) as the field row and editors use it. */
export function fieldSpec(
  field: ObjectField,
  record: ObjectRecord | null,
  objects: readonly ObjectDescription[],
): FieldSpec {
  const kind = kindOf(field, objects);
  const target = targetOf(field, objects);
  const currency = kind === 'currency' ? currencyOf(field, record) : undefined;
  const raw = record ? valueOf(record, field) : null;
  const moneyObject = MONEY_JSON.has(field.key) && field.kind === 'json';
  const value = moneyObject && raw && typeof raw === 'object' && 'amount' in raw ? raw.amount : raw;
  const wrap = (v: unknown): unknown =>
    moneyObject ? (typeof v === 'number' ? { amount: v, currency } : null) : v;
  return {
    path: field.custom ? `customFields.${field.key}` : field.key,
    label: field.label,
    kind,
    value,
    required: field.required,
    readOnly: !field.editable,
    ...(field.values ? { choices: field.values } : {}),
    ...(currency ? { currency } : {}),
    ...(KEYED_JSON[field.key] ? { keys: KEYED_JSON[field.key] } : {}),
    ...(target
      ? {
          relation: {
            resource: target.resource,
            titleField: target.titleField,
            sort: titleSort(target),
          },
        }
      : {}),
    ...(field.multiple ? { multiple: true } : {}),
    // PATCH merges custom values, so sending one key leaves the others as they are.
    toPatch: (v) =>
      field.custom ? { customFields: { [field.key]: wrap(v) } } : { [field.key]: wrap(v) },
  };
}

/** The fields a person reads on a record page or in a column: everything but the plumbing. */
export const visibleFields = (object: ObjectDescription): ObjectField[] =>
  object.fields.filter((f) => !HIDDEN.has(f.key));

/** The fields of the create form: what the API takes, minus JSON that only the record page edits. */
export const createFields = (
  object: ObjectDescription,
  objects: readonly ObjectDescription[],
): ObjectField[] =>
  visibleFields(object).filter(
    (f) =>
      f.editable &&
      (f.kind !== 'json' || KEYED_JSON[f.key] !== undefined || MONEY_JSON.has(f.key)) &&
      kindOf(f, objects) !== 'id',
  );

/** Name parts that a computed title (a person's `name`) already shows. */
const NAME_PARTS = new Set(['firstName', 'lastName']);

/** How much a field is worth as a default column: choices first, then sortable values, then links. */
function columnRank(f: ObjectField): number {
  if (f.kind === 'enum') return 0;
  if (f.kind === 'relation') return 2;
  return f.sortable ? 1 : 3;
}

/** The columns shown before the user chooses: the title and the five most telling fields. */
export function defaultColumns(
  object: ObjectDescription,
  objects: readonly ObjectDescription[],
): string[] {
  const title = object.fields.find((f) => f.key === object.titleField);
  const candidates = visibleFields(object).filter(
    (f) =>
      f.key !== object.titleField &&
      kindOf(f, objects) !== 'id' &&
      !['json', 'long_text'].includes(f.kind) &&
      !['createdAt', 'updatedAt'].includes(f.key) &&
      !(title && !title.editable && NAME_PARTS.has(f.key)),
  );
  const ranked = [...candidates].sort((a, b) => columnRank(a) - columnRank(b));
  return [object.titleField, ...ranked.slice(0, 5).map(filterKey), 'createdAt'];
}

/** Objects with an import page of their own (`/{resource}/import`). */
const IMPORT_PAGES = new Set(['contacts', 'companies', 'leads']);

/** Whether the app can import a spreadsheet into the object. */
export const hasImportPage = (object: ObjectDescription): boolean =>
  object.capabilities.import && IMPORT_PAGES.has(object.resource);

/** Whether the record's value is empty for a required field of the create form. */
export const isMissing = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
