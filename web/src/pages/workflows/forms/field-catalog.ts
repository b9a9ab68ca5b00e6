import type { ObjectDescription, ObjectField } from '../../../api/types';

/** How a field's value is typed in a form and sent in a definition. */
export type FieldKind = 'text' | 'number' | 'date' | 'boolean' | 'enum' | 'tags' | 'id';

/** One field a workflow can read (conditions, placeholders, triggers) and maybe write (record steps). */
export interface FieldInfo {
  /** The path the engine reads: `status`, `custom.size`. */
  key: string;
  label: string;
  kind: FieldKind;
  /** The choices of an enum or multi-select. */
  choices?: readonly string[];
  /** Whether the REST body accepts it, so create/update record steps can set it. */
  writable: boolean;
}

/** A record type workflows start on and create, with its fields, from its description. */
export interface ObjectCatalog {
  key: string;
  /** As a form's select shows it: `Project`. */
  label: string;
  /** As a sentence names it: `project` ("on a project's page"). */
  noun: string;
  fields: FieldInfo[];
  /** Record types a run loads beside a record of this type, so templates can read them. */
  linked: string[];
  /** Labels of the fields a create must set. */
  required: string[];
}

/** The record types workflows can use, by key, in the order the forms offer them. */
export type FieldCatalogs = ReadonlyMap<string, ObjectCatalog>;

/** A described kind as the builder types it; null for values no form edits as one (JSON). */
const KINDS: Record<ObjectField['kind'], FieldKind | null> = {
  text: 'text',
  long_text: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  number: 'number',
  money: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'date',
  enum: 'enum',
  tags: 'tags',
  relation: 'id',
  json: null,
};

/** Bookkeeping every record has, which no condition compares and no step writes. */
const BOOKKEEPING: ReadonlySet<string> = new Set(['id', 'version', 'deletedAt']);

/** A described field as workflows address it: an admin's field on a built-in object as `custom.key`. */
export function fieldInfoOf(field: ObjectField): FieldInfo | null {
  const kind = field.kind === 'relation' && field.multiple ? 'tags' : KINDS[field.kind];
  if (!kind || BOOKKEEPING.has(field.key)) return null;
  return {
    key: field.custom ? `custom.${field.key}` : field.key,
    label: field.label,
    kind,
    writable: field.editable,
    ...(field.values?.length ? { choices: field.values } : {}),
  };
}

/**
 * The objects a run loads beside a record of `object` (the server's withLinkedRecords in
 * workflows/objects.ts): those its single relation fields point at, among `usable` — a deal's
 * `contactId` gives `{{contact.…}}`; users, teams and stages are no objects a run reads.
 */
function linkedObjectsOf(object: ObjectDescription, usable: ReadonlySet<string>): string[] {
  const targets = object.fields.flatMap((f) =>
    f.kind === 'relation' &&
    !f.multiple &&
    !f.custom &&
    f.relation &&
    f.relation !== object.key &&
    usable.has(f.relation)
      ? [f.relation]
      : [],
  );
  return [...new Set(targets)];
}

/**
 * One object's catalog: its fields in the description's order, and what a run links to it
 * (objects among `usable`, by default every object workflows take).
 */
export function objectCatalogOf(
  object: ObjectDescription,
  usable: ReadonlySet<string> = new Set(),
): ObjectCatalog {
  const fields = object.fields.map(fieldInfoOf).filter((f): f is FieldInfo => f !== null);
  return {
    key: object.key,
    label: object.labels.singular,
    noun: object.labels.singular.toLowerCase(),
    fields,
    linked: linkedObjectsOf(object, usable),
    required: object.fields.filter((f) => f.required && f.editable).map((f) => f.label),
  };
}

/** The catalogs of the objects that take workflows (`capabilities.workflows`), as GET /objects lists them. */
export function catalogsOf(objects: readonly ObjectDescription[]): FieldCatalogs {
  const usable = objects.filter((o) => o.capabilities.workflows);
  const keys = new Set(usable.map((o) => o.key));
  return new Map(usable.map((o) => [o.key, objectCatalogOf(o, keys)]));
}

/** The fields of a record type, none for one the catalogs do not know (or no record at all). */
export const fieldsOf = (catalogs: FieldCatalogs, object: string | null): readonly FieldInfo[] =>
  (object ? catalogs.get(object)?.fields : undefined) ?? [];

/** A record type as a select shows it; the key itself for one that no longer exists. */
export const objectLabelOf = (catalogs: FieldCatalogs, object: string): string =>
  catalogs.get(object)?.label ?? object;

/** A record type as a sentence names it. */
export const objectNounOf = (catalogs: FieldCatalogs, object: string): string =>
  catalogs.get(object)?.noun ?? object;

/**
 * The record types a select offers: the catalogs', and the current one too when they do not know
 * it (an object since removed, or not yet loaded), so the select shows what the draft says.
 */
export function objectOptions(
  catalogs: FieldCatalogs,
  current: string,
): Array<{ key: string; label: string }> {
  const known = [...catalogs.values()].map((c) => ({ key: c.key, label: c.label }));
  return !current || catalogs.has(current)
    ? known
    : [...known, { key: current, label: `${current} (not available)` }];
}

/** The kind of a field path, `text` for one the catalog does not know (typed by hand or since removed). */
export const kindOf = (catalog: readonly FieldInfo[], key: string): FieldKind =>
  catalog.find((f) => f.key === key)?.kind ?? 'text';

/** The label of a field path, or the path itself. */
export const labelOf = (catalog: readonly FieldInfo[], key: string): string =>
  catalog.find((f) => f.key === key)?.label ?? key;
