import { z } from 'zod';
import type { FieldMap, FieldType, ListField } from '../listing/fields.js';
import type { FieldDescription, FieldKind } from './index.js';
import { labelOf } from './labels.js';

/**
 * A built-in object's fields, declared once: each field's kind, API types, what create and update
 * may do with it and how its list filters and sorts on it. From that one list come the response
 * schema and the create and update bodies (so the OpenAPI document), the list's `FieldMap`, the
 * relations and labels of the object registry and the field descriptions of `GET /api/v1/objects`
 * — nothing has to be spelled out twice, and nothing is guessed back from JSON Schema.
 */

/** How a list filters and sorts on a field; its enum values come from the field. */
export interface ListSpec extends Omit<ListField, 'type' | 'values'> {
  /** Defaults to the kind's column type (`relation` → `uuid`, `email` → `text`, …). */
  type?: FieldType;
}

/** One field of an object. */
export interface FieldSpec {
  kind: FieldKind;
  /** Better than the key spells (`ownerId` → "Assignee"); defaults to `labelOf(key)`. */
  label?: string;
  /** The value may be null (in the response; a body's `input` says so itself). */
  nullable?: boolean;
  /** For enums: the allowed values, in their natural order. */
  values?: readonly string[];
  /** For relations: the object key it points at (`user`, `company`). */
  relation?: string;
  /** The response type, where the kind's own (a string, an id, the enum…) does not fit. */
  output?: z.ZodType;
  /** Documents the field in the response schema. */
  description?: string;
  /** What create and update accept, with its rules and messages; absent for read-only fields. */
  input?: z.ZodType;
  /** Documents the field in the create and update bodies. */
  inputDescription?: string;
  /** Must be given on create (it is still optional on update). */
  required?: boolean;
  /** Its list filters (and, unless `sortable: false`, sorts) on it. */
  list?: ListSpec;
  /** False for what `GET /api/v1/objects` describes otherwise (the custom fields' bag). */
  described?: boolean;
}

export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

/** The body types a field list yields: the fields that have an `input`, optional on update. */
type EditableKeys<S extends FieldSpecs> = {
  [K in keyof S]: S[K] extends { input: z.ZodType } ? K : never;
}[keyof S];
type InputOf<F> = F extends { input: infer I extends z.ZodType } ? I : never;
type CreateShape<S extends FieldSpecs> = {
  [K in EditableKeys<S>]: S[K] extends { required: true }
    ? InputOf<S[K]>
    : z.ZodOptional<InputOf<S[K]>>;
};
type UpdateShape<S extends FieldSpecs> = { [K in EditableKeys<S>]: z.ZodOptional<InputOf<S[K]>> };

/** What one field list yields for the object registry and the routes. */
export interface ObjectFields<S extends FieldSpecs> {
  /** The API shape of one record, registered for OpenAPI under the given id. */
  schema: z.ZodObject<{ [K in keyof S]: z.ZodType }>;
  /** The body of POST /{resource}: required fields required, the other editable ones optional. */
  createBody: z.ZodObject<CreateShape<S>, z.core.$strict>;
  /** The body of PATCH /{resource}/{id}: every editable field, each optional. */
  updateBody: z.ZodObject<UpdateShape<S>, z.core.$strict>;
  /** The fields its list filters and sorts on. */
  listFields: FieldMap;
  /** Fields that point at another object. */
  relations: Readonly<Record<string, string>>;
  /** The labels declared beside the keys (`labelOf` spells the others). */
  fieldLabels: Readonly<Record<string, string>>;
  /** The fields as `GET /api/v1/objects` describes them. */
  described: readonly FieldDescription[];
}

/** The column type a list gives each kind, unless the field says otherwise. */
const LIST_TYPES: Partial<Record<FieldKind, FieldType>> = {
  text: 'text',
  long_text: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  number: 'number',
  money: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  enum: 'enum',
  tags: 'tags',
  relation: 'uuid',
};

/**
 * The response type of a kind. Timestamps are answered as ISO strings without a format (the
 * documents have always said so); numbers the API keeps are whole (counters, versions).
 */
function outputOfKind(key: string, spec: FieldSpec): z.ZodType {
  switch (spec.kind) {
    case 'number':
      return z.number().int();
    case 'money':
      return z.number();
    case 'boolean':
      return z.boolean();
    case 'relation':
      return z.uuid();
    case 'tags':
      return z.array(z.string());
    case 'enum': {
      const [first, ...rest] = spec.values ?? [];
      if (first === undefined) throw new Error(`the enum field "${key}" declares no values`);
      return z.enum([first, ...rest]);
    }
    case 'json':
      throw new Error(`the json field "${key}" declares its output type`);
    default:
      return z.string();
  }
}

function outputOf(key: string, spec: FieldSpec): z.ZodType {
  const base = spec.output ?? outputOfKind(key, spec);
  const value = spec.nullable ? base.nullable() : base;
  return spec.description ? value.describe(spec.description) : value;
}

/** An input without its nullable, optional and transform wrappers. */
function innerOf(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodNullable || schema instanceof z.ZodOptional)
    return innerOf(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodPipe) return innerOf(schema.in as z.ZodType);
  return schema;
}

/** The longest text an input accepts; formats (`z.email()`) are strings of their own class. */
function maxLengthOf(schema: z.ZodType): number | undefined {
  const inner = innerOf(schema);
  if (inner instanceof z.ZodString || inner instanceof z.ZodStringFormat)
    return inner.maxLength ?? undefined;
  return undefined;
}

/**
 * The values a client may set: the input's enum where it narrows the field's (a lead's status
 * is never set to `converted` by hand), else the field's own.
 */
function settableValuesOf(spec: FieldSpec): readonly string[] | undefined {
  const inner = spec.input ? innerOf(spec.input) : undefined;
  if (!(inner instanceof z.ZodEnum)) return spec.values;
  return inner.options.filter((v): v is string => typeof v === 'string');
}

function listFieldOf(key: string, spec: FieldSpec, list: ListSpec): ListField {
  const type = list.type ?? LIST_TYPES[spec.kind];
  if (!type) throw new Error(`the listed field "${key}" declares its list type`);
  return { ...list, type, ...(spec.values ? { values: spec.values } : {}) };
}

function describeField(key: string, spec: FieldSpec): FieldDescription {
  const list = spec.list;
  const maxLength = spec.input ? maxLengthOf(spec.input) : undefined;
  const values = settableValuesOf(spec);
  return {
    key,
    label: spec.label ?? labelOf(key),
    kind: spec.kind,
    required: spec.required === true,
    editable: spec.input !== undefined,
    filterable: list !== undefined,
    sortable: list !== undefined && list.sortable !== false && list.filter === undefined,
    ...(values?.length ? { values } : {}),
    ...(spec.relation ? { relation: spec.relation } : {}),
    ...(maxLength !== undefined ? { maxLength } : {}),
    custom: false,
  };
}

/** A body field: optional unless required on create, documented after that (as OpenAPI reads it). */
function bodyField(spec: FieldSpec, input: z.ZodType, optional: boolean): z.ZodType {
  const field = optional ? input.optional() : input;
  return spec.inputDescription ? field.describe(spec.inputDescription) : field;
}

/**
 * Builds an object's schemas, list fields and descriptions from its field list, in the list's
 * order. `id` names the response schema in the OpenAPI document (`Ticket`, `Company`).
 */
export function defineFields<const S extends FieldSpecs>(id: string, specs: S): ObjectFields<S> {
  const entries = Object.entries(specs);
  for (const [key, spec] of entries)
    if (spec.required && !spec.input)
      throw new Error(`the field "${key}" is required on create but declares no input`);
  const editable = entries.flatMap(([key, spec]): Array<[string, FieldSpec, z.ZodType]> =>
    spec.input ? [[key, spec, spec.input]] : [],
  );
  const shape = (optional: (spec: FieldSpec) => boolean) =>
    Object.fromEntries(
      editable.map(([k, spec, input]) => [k, bodyField(spec, input, optional(spec))]),
    );
  // The shapes are built at run time; their static types follow from the specs (ObjectFields).
  return {
    schema: z
      .object(Object.fromEntries(entries.map(([key, spec]) => [key, outputOf(key, spec)])))
      .meta({ id }) as ObjectFields<S>['schema'],
    createBody: z
      .object(shape((spec) => spec.required !== true))
      .strict() as ObjectFields<S>['createBody'],
    updateBody: z.object(shape(() => true)).strict() as ObjectFields<S>['updateBody'],
    listFields: Object.fromEntries(
      entries.flatMap(([key, spec]) =>
        spec.list ? [[key, listFieldOf(key, spec, spec.list)]] : [],
      ),
    ),
    relations: Object.fromEntries(
      entries.flatMap(([key, spec]) => (spec.relation ? [[key, spec.relation]] : [])),
    ),
    fieldLabels: Object.fromEntries(
      entries.flatMap(([key, spec]) => (spec.label ? [[key, spec.label]] : [])),
    ),
    described: entries
      .filter(([, spec]) => spec.described !== false)
      .map(([key, spec]) => describeField(key, spec)),
  };
}

/**
 * An object's fields with rules its bodies keep beyond each field's own: cross-field checks
 * (`superRefine`) or a reshaping of what was sent (`transform`), applied to the derived create and
 * update bodies. The OpenAPI document still shows the fields; the rules only run on parse.
 */
export function withBodyRules<
  F extends { createBody: z.ZodType; updateBody: z.ZodType },
  C extends z.ZodType,
  U extends z.ZodType,
>(
  fields: F,
  rules: { create: (body: F['createBody']) => C; update: (body: F['updateBody']) => U },
): Omit<F, 'createBody' | 'updateBody'> & { createBody: C; updateBody: U } {
  return {
    ...fields,
    createBody: rules.create(fields.createBody),
    updateBody: rules.update(fields.updateBody),
  };
}
