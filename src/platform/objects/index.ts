import { z } from 'zod';
import type { Ctx } from '../context/index.js';
import type { FieldMap, FieldType } from '../listing/fields.js';
import { personalDataProblems, type PersonalDataDeclaration } from './personal-data.js';
import { labelOf } from './labels.js';

/**
 * The object registry's declarations: every record type says once what it is called, which
 * permissions guard it, which fields it has (from the same zod schemas its routes validate with)
 * and what it can do. `GET /api/v1/objects` describes them to clients, so the web app reads fields
 * instead of re-declaring them. Modules declare their objects in their definition.
 */

/** What an object supports beyond create, read, update and list. */
export interface ObjectCapabilities {
  /** Delete moves it to a trash it can be restored from. */
  trash: boolean;
  /** Duplicates can be merged into one. */
  merge: boolean;
  /** Rows of a CSV/XLSX file can become records of it. */
  import: boolean;
  /** Its list can be exported as CSV or XLSX (`GET /{resource}/export`). */
  export: boolean;
  /** An admin can add custom fields to it. */
  customFields: boolean;
  /** Workflows can start on its changes and act on it. */
  workflows: boolean;
  /** Its record page shows a timeline of activities and changes. */
  timeline: boolean;
}

/**
 * How other modules (workflows, later GraphQL and MCP tools) read, create and change records of an
 * object: through its module's own services, so permissions, validation, audit and events are
 * the module's. Inputs are the object's create and update bodies, already parsed.
 */
export interface ObjectLifecycle {
  get(ctx: Ctx, id: string): Promise<unknown>;
  create(ctx: Ctx, input: never): Promise<unknown>;
  update(ctx: Ctx, id: string, input: never, expectedVersion?: number): Promise<unknown>;
  /** Deletes one record (into the trash where the object has one), as `DELETE /{resource}/{id}`. */
  delete(ctx: Ctx, id: string): Promise<void>;
  /**
   * A page of the list as `GET /{resource}` answers it (API.md's filters, sort, `q` and cursor, in
   * the actor's scope): what an export walks, so it shows exactly what the list would.
   */
  list?: (
    ctx: Ctx,
    query: Record<string, unknown>,
  ) => Promise<{ data: readonly unknown[]; meta: { nextCursor: string | null; total?: number } }>;
  /** The field that names the record's owner (an activity's assignee). */
  ownerField: 'ownerId' | 'assigneeId';
}

/** One record type, declared once by the module that owns it. */
export interface ObjectDefinition {
  /** Singular key used in events, links and custom fields: `contact`, `deal`. */
  key: string;
  /** The resource its permissions and REST path are named after: `contacts`, `deals`. */
  resource: string;
  labels: { singular: string; plural: string };
  /** The field whose value names a record (a list's first column, a link's text). */
  titleField: string;
  /** The API shape of one record. */
  schema: z.ZodType;
  /** The body of POST /{resource}. */
  createBody: z.ZodType;
  /** The body of PATCH /{resource}/{id}. */
  updateBody: z.ZodType;
  /** The fields its list filters and sorts on. */
  listFields: FieldMap;
  /**
   * Its fields as `GET /api/v1/objects` describes them, for an object declared with a field list
   * (`defineFields`); without it they are worked out from the schemas above.
   */
  described?: readonly FieldDescription[];
  /** Fields that point at another object (`companyId` → `company`, `ownerId` → `user`). */
  relations: Readonly<Record<string, string>>;
  capabilities: ObjectCapabilities;
  /** Better names than the field keys spell (`ownerId` → "Owner"). */
  fieldLabels?: Readonly<Record<string, string>>;
  /** The table its records live in, where custom fields keep their values in `custom_fields`. */
  table?: string;
  /** Its records through its module's services, for workflows and other generic callers. */
  lifecycle?: ObjectLifecycle;
  /**
   * The columns its export writes, for an object whose API shape does not fit one cell per field
   * (an address as its parts, money as amount and currency); without it, each described field is
   * one column. The organization's custom fields follow as `custom.<key>` either way.
   */
  exportColumns?: readonly ExportColumn[];
  /** Which of its fields hold personal data, for GDPR exports and erasure; none when absent. */
  personalData?: PersonalDataDeclaration;
  /** How duplicates merge, beyond the `merge` capability's defaults (records/merge.ts). */
  mergeRules?: MergeRules;
  /**
   * The column of `table` that holds when the record was last contacted: the latest done call,
   * email or meeting linked to it. The activities keep it whenever one of theirs changes.
   */
  lastContactedColumn?: string;
  /**
   * Its records' words feed the organization's spelling vocabulary (`search_words`, kept by a
   * trigger on `table`; `cerebro_words_<table>` finds the live records holding a word), so an
   * erasure keeps a word only while a record of such an object still holds it.
   */
  vocabulary?: boolean;
  /**
   * Its records are where an activity shows only when it names nothing more specific: a call
   * about a deal and its contact belongs on the deal's page (people and organizations).
   */
  backgroundParent?: boolean;
}

/**
 * An object's own merge rules. By default every editable field can be picked, lists are combined
 * and references to the merged records follow the survivor (declared relations, relation fields).
 */
export interface MergeRules {
  /**
   * Editable fields that are another field's shorthand (a contact's `email` is the primary of
   * `emails`): the other field merges, these follow it and cannot be picked.
   */
  derived?: readonly string[];
}

/** One column of an object's CSV/XLSX export. */
export interface ExportColumn {
  /** The column's name in the file's first row. */
  header: string;
  /** The field `columns=` asks for it by; the parts of one field (an address) share it. */
  field: string;
  /** Its value in a record of the object's API shape (the list's `data`). */
  value: (record: Readonly<Record<string, unknown>>) => unknown;
}

/**
 * A built-in object whose records live in the object kernel's storage, like an admin's objects:
 * declared in code by a module (one folder, one line in the module list, one migration for its
 * field indexes), so it needs no table, services or routes of its own.
 */
export interface DataObjectDeclaration {
  /** Fixed for every organization: the kernel's rows and partial indexes name the object by it. */
  id: string;
  key: string;
  resource: string;
  labels: { singular: string; plural: string };
  icon: string | null;
  /** Its fields besides `name` and `ownerId`, of the custom field types (`long_text`, `relation`…). */
  fields: ReadonlyArray<{
    key: string;
    label: string;
    type: string;
    options?: { choices?: string[]; objectType?: string; multiple?: boolean };
    required?: boolean;
  }>;
}

/** How a field is shown and edited; one of a small, closed set clients can switch over. */
export type FieldKind =
  | 'text'
  | 'long_text'
  | 'email'
  | 'phone'
  | 'url'
  | 'number'
  | 'money'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'enum'
  | 'tags'
  | 'relation'
  | 'json';

/** One field of an object as `GET /api/v1/objects` describes it. */
export interface FieldDescription {
  key: string;
  label: string;
  kind: FieldKind;
  /** Must be given on create. */
  required: boolean;
  /** Can be set on create or changed on update; false for ids, versions and computed fields. */
  editable: boolean;
  /** Usable as `filter[key]` on the list. */
  filterable: boolean;
  /** Usable in `sort=` on the list. */
  sortable: boolean;
  /** For enums: the allowed values. */
  values?: readonly string[];
  /** For relations: the object key it points at. */
  relation?: string;
  /** For text: the longest value accepted. */
  maxLength?: number;
  /** Kept under the record's `customFields` (`custom.<key>` in filters). */
  custom: boolean;
  /** For an admin-defined field: the custom field definition to edit, reorder or archive. */
  definitionId?: string;
  /** For relations: holds a list of ids (many-to-many) rather than one. */
  multiple?: boolean;
}

/** An object as clients see it. */
export interface ObjectDescription {
  key: string;
  resource: string;
  labels: { singular: string; plural: string };
  titleField: string;
  capabilities: ObjectCapabilities;
  fields: FieldDescription[];
  /** Defined by an admin (stored as data) rather than by a module. */
  custom: boolean;
  icon: string | null;
  /** The permission resource guarding its records (`contacts`, `custom-records`). */
  permission: string;
  /** What `POST /{resource}/bulk` may do to its records; null when it takes no bulk actions. */
  bulk: BulkDescription | null;
  /**
   * The fields that hold personal data, so a client offers the GDPR export and erasure
   * (`/{resource}/{id}/personal-data`, `/{resource}/{id}/erase`); null when it holds none.
   */
  personalData: { fields: string[] } | null;
  /**
   * What `POST /{resource}/{id}/merge` lets the caller pick the winning value of (`fields` of its
   * body; `customFields` as a whole where the object keeps them apart); null when it cannot be merged.
   */
  merge: { fields: string[] } | null;
}

interface JsonProperty {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  maxLength?: number;
  anyOf?: JsonProperty[];
  items?: JsonProperty;
}
interface JsonObject {
  properties?: Record<string, JsonProperty>;
  required?: string[];
  $ref?: string;
  $defs?: Record<string, JsonObject>;
}

const SYSTEM_FIELDS = new Set(['id', 'version', 'createdAt', 'updatedAt', 'deletedAt']);

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  // A schema registered for OpenAPI (`.meta({ id })`) comes back as a reference to its definition.
  const ref = json.$ref?.split('/').pop();
  return (ref ? json.$defs?.[ref] : undefined) ?? json;
}

/** The non-null alternative of a nullable property. */
function solid(p: JsonProperty): JsonProperty {
  return p.anyOf?.find((a) => a.type !== 'null') ?? p;
}

function kindOf(
  key: string,
  p: JsonProperty,
  listType: FieldType | undefined,
  relation: string | undefined,
): FieldKind {
  if (relation) return 'relation';
  if (listType === 'enum' || p.enum) return 'enum';
  if (listType === 'tags') return 'tags';
  if (p.format === 'email') return 'email';
  if (p.format === 'uri') return 'url';
  // Timestamps the API answers as ISO strings without a format (`deletedAt`) are named …At.
  if (
    p.format === 'date-time' ||
    listType === 'datetime' ||
    (/At$/.test(key) && p.type !== 'boolean')
  )
    return 'datetime';
  if (p.format === 'date' || listType === 'date') return 'date';
  const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type;
  if (type === 'boolean') return 'boolean';
  if (type === 'integer' || type === 'number')
    return /amount|revenue|value/i.test(key) ? 'money' : 'number';
  if (type === 'array' && p.items?.type === 'string') return 'tags';
  if (type === 'object' || type === 'array') return 'json';
  if (/phone/i.test(key)) return 'phone';
  if ((p.maxLength ?? 0) > 1000) return 'long_text';
  return 'text';
}

const described = new WeakMap<ObjectDefinition, FieldDescription[]>();

/**
 * Describes an object's own fields: the response schema lists them, the bodies and the list say
 * what may be done with each. Declarations never change in a process, so each is worked out once.
 */
export function describeFields(def: ObjectDefinition): FieldDescription[] {
  if (def.described) return [...def.described];
  const known = described.get(def);
  if (known) return known;
  const fields = deriveFields(def);
  described.set(def, fields);
  return fields;
}

function deriveFields(def: ObjectDefinition): FieldDescription[] {
  const shape = jsonSchemaOf(def.schema, 'output').properties ?? {};
  const create = jsonSchemaOf(def.createBody, 'input');
  const update = jsonSchemaOf(def.updateBody, 'input').properties ?? {};
  const required = new Set(create.required ?? []);
  return Object.entries(shape)
    .filter(([key]) => key !== 'customFields')
    .map(([key, raw]) => {
      const p = solid(create.properties?.[key] ?? update[key] ?? raw);
      const list = def.listFields[key];
      const relation = def.relations[key];
      const values = p.enum?.filter((v): v is string => typeof v === 'string') ?? list?.values;
      return {
        key,
        label: def.fieldLabels?.[key] ?? labelOf(key),
        kind: kindOf(key, p, list?.type, relation),
        required: required.has(key),
        editable: !SYSTEM_FIELDS.has(key) && (key in (create.properties ?? {}) || key in update),
        filterable: list !== undefined,
        sortable: list !== undefined && list.sortable !== false && list.filter === undefined,
        ...(values && values.length ? { values } : {}),
        ...(relation ? { relation } : {}),
        ...(p.maxLength !== undefined ? { maxLength: p.maxLength } : {}),
        custom: false,
      };
    });
}

/** An object's field keys, with `customFields` where it has them. */
function fieldsOf(def: ObjectDefinition): ReadonlySet<string> {
  const keys = describeFields(def).map((f) => f.key);
  return new Set(def.capabilities.customFields ? [...keys, 'customFields'] : keys);
}

/**
 * Joins the modules' objects; a key or resource declared twice is a programming error, and so is a
 * personal-data declaration naming a field the object does not have.
 */
export function objectRegistry(
  objects: readonly ObjectDefinition[],
): ReadonlyMap<string, ObjectDefinition> {
  const byKey = new Map<string, ObjectDefinition>();
  const resources = new Set<string>();
  for (const o of objects) {
    if (byKey.has(o.key) || resources.has(o.resource))
      throw new Error(`two modules declare the object "${o.key}" (${o.resource})`);
    const problems = o.personalData ? personalDataProblems(o.key, o.personalData, fieldsOf(o)) : [];
    if (problems.length) throw new Error(problems.join('; '));
    byKey.set(o.key, o);
    resources.add(o.resource);
  }
  return byKey;
}

/**
 * What a bulk action (`POST /api/v1/{resource}/bulk`) may do to an object's records, derived from
 * its declaration so no caller keeps a list of object types or of their fields.
 */
export interface BulkDescription {
  /** The fields `update` may set to one value for every record: its editable text and enum fields. */
  fields: string[];
  /** The field `assign` sets to the chosen user (an activity's assignee, anything else's owner). */
  ownerField: ObjectLifecycle['ownerField'];
  /** Whether `add_tag` and `remove_tag` apply: the object has a `tags` field of its own. */
  tags: boolean;
}

/**
 * Kinds whose one value makes sense on many records and that the bulk body (a string or null)
 * can carry; numbers, dates and relations are edited record by record.
 */
const SETTABLE: ReadonlySet<FieldKind> = new Set(['text', 'enum']);

/**
 * The bulk actions of an object with these fields. The title is left out (records differ by it),
 * and so are custom fields of built-in objects, which live under `customFields`.
 */
export function bulkOf(
  fields: readonly FieldDescription[],
  titleField: string,
  ownerField: BulkDescription['ownerField'],
): BulkDescription {
  return {
    fields: fields
      .filter((f) => f.editable && !f.custom && SETTABLE.has(f.kind) && f.key !== titleField)
      .map((f) => f.key),
    ownerField,
    tags: fields.some((f) => f.key === 'tags' && f.kind === 'tags' && f.editable && !f.custom),
  };
}

/**
 * A built-in object's bulk actions; null unless its lifecycle can list (a selection by filter
 * walks the list, so it matches exactly what the list shows).
 */
export function bulkOfDefinition(def: ObjectDefinition): BulkDescription | null {
  if (!def.lifecycle?.list) return null;
  return bulkOf(describeFields(def), def.titleField, def.lifecycle.ownerField);
}

/**
 * The fields a merge lets the caller pick per record, from the object's described fields: the
 * editable ones but for shorthands of another (`MergeRules.derived`); a built-in object's custom
 * fields are picked as one `customFields`, an object kept as data has its fields at the top level.
 */
export function mergeOf(
  fields: readonly FieldDescription[],
  capabilities: ObjectCapabilities,
  options: { rules?: MergeRules; customFieldsApart: boolean },
): { fields: string[] } | null {
  if (!capabilities.merge) return null;
  const derived = new Set(options.rules?.derived ?? []);
  const own = fields
    .filter((f) => f.editable && !derived.has(f.key) && !(options.customFieldsApart && f.custom))
    .map((f) => f.key);
  return {
    fields: options.customFieldsApart && capabilities.customFields ? [...own, 'customFields'] : own,
  };
}

/** A declared object's merge description (see `mergeOf`). */
export const mergeOfDefinition = (def: ObjectDefinition) =>
  mergeOf(describeFields(def), def.capabilities, {
    ...(def.mergeRules ? { rules: def.mergeRules } : {}),
    customFieldsApart: true,
  });

export { labelOf } from './labels.js';
export {
  defineFields,
  withBodyRules,
  type FieldSpec,
  type FieldSpecs,
  type ListSpec,
  type ObjectFields,
} from './fields.js';
export { CUSTOM_FIELDS_FIELD, RECORD_ID_FIELD, RECORD_STAMP_FIELDS } from './record-fields.js';
export {
  columnOf,
  erasedColumns,
  personalEmailsOf,
  ERASED,
  type ErasedValue,
  type PersonalDataDeclaration,
} from './personal-data.js';
export {
  objectsOf,
  findObject,
  visibleRecords,
  type ObjectSource,
  type ObjectSummary,
  type ObjectCatalog,
} from './catalog.js';
export {
  moveToTrash,
  takeOutOfTrash,
  trashCutoff,
  TRASH_DAYS,
  type TrashTarget,
  type TrashableRow,
} from './trash.js';
