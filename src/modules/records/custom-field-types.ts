import { z } from 'zod';
import type { ErrorDetail } from '../../platform/errors/index.js';
import { webUrl } from '../../platform/http/index.js';
import { jsonField, type ListField } from '../../platform/listing/index.js';
import { normalizePhone } from './normalize.js';

export const CUSTOM_FIELD_TYPES = [
  'text',
  'long_text',
  'number',
  'currency',
  'date',
  'datetime',
  'boolean',
  'select',
  'multi_select',
  'url',
  'email',
  'phone',
  'relation',
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
/**
 * An object's key (`contact`, `deal`, a custom object's `project`). Which keys exist is the
 * object catalog's answer for the organization (platform/objects), not a list kept here.
 */
export type ObjectType = string;
export const objectKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be an object key such as contact or project');

/** A custom field definition as services use it. */
export interface CustomFieldDef {
  id: string;
  objectType: ObjectType;
  key: string;
  label: string;
  type: CustomFieldType;
  /** select / multi_select: the choices; relation: the object type it points at; currency: the code. */
  options: {
    choices?: string[];
    objectType?: ObjectType;
    multiple?: boolean;
    currency?: string;
  } | null;
  required: boolean;
  position: number;
  archived: boolean;
  /** Holds personal data: a custom object's GDPR export and erasure cover it. */
  personal: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The zod schema of one field's value (null always clears an optional field). */
function valueSchema(def: CustomFieldDef): z.ZodType {
  switch (def.type) {
    case 'text':
      return z.string().max(1000);
    case 'long_text':
      return z.string().max(100_000);
    case 'number':
      return z.number().finite();
    case 'currency':
      return z.number().int('must be an integer amount in minor units (cents)');
    case 'date':
      return z
        .string()
        .regex(DATE, 'must be a date YYYY-MM-DD')
        .refine((v) => !Number.isNaN(Date.parse(v)), 'must be a real date');
    case 'datetime':
      return z.iso.datetime({ offset: true });
    case 'boolean':
      return z.boolean();
    case 'select':
      return z.enum((def.options?.choices ?? []) as [string, ...string[]]);
    case 'multi_select':
      return z.array(z.enum((def.options?.choices ?? []) as [string, ...string[]])).max(100);
    case 'url':
      return webUrl();
    case 'email':
      return z.email().transform((v) => v.toLowerCase());
    case 'phone':
      return z.string().transform((v, ctx) => {
        const e164 = normalizePhone(v);
        if (!e164) ctx.addIssue({ code: 'custom', message: 'must be a valid phone number' });
        return e164 ?? v;
      });
    case 'relation':
      return def.options?.multiple ? z.array(z.uuid()).max(500) : z.uuid();
  }
}

/**
 * Validates `values` against the object's definitions and returns the normalized object. Each
 * problem is named `customFields.<key>`; unknown keys are refused rather than silently stored.
 * With `partial`, only the given keys are checked (PATCH); otherwise required fields must be set.
 */
export function validateCustomValues(
  defs: readonly CustomFieldDef[],
  values: Record<string, unknown>,
  options: { partial: boolean; current?: Record<string, unknown>; prefix?: string },
): { values: Record<string, unknown>; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  // Built-in objects keep these values under `customFields`; a custom object's are its own fields.
  const at = (key: string) => `${options.prefix ?? 'customFields.'}${key}`;
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const out: Record<string, unknown> = { ...(options.current ?? {}) };
  for (const [key, value] of Object.entries(values)) {
    const def = byKey.get(key);
    if (!def) {
      problems.push({
        path: at(key),
        message: 'is not a custom field of this object',
      });
      continue;
    }
    if (value === null) {
      if (def.required) problems.push({ path: at(key), message: 'is required' });
      delete out[key];
      continue;
    }
    const parsed = valueSchema(def).safeParse(value);
    if (!parsed.success) {
      problems.push({
        path: at(key),
        message: parsed.error.issues[0]?.message ?? `must be a ${def.type}`,
      });
      continue;
    }
    out[key] = parsed.data;
  }
  if (!options.partial) {
    for (const def of defs) {
      if (def.required && (out[def.key] === undefined || out[def.key] === null)) {
        problems.push({ path: at(def.key), message: 'is required' });
      }
    }
  }
  return { values: out, problems };
}

/** How a custom field is filtered and sorted in lists (`filter[custom.key]`). */
export function customListField(
  def: Pick<CustomFieldDef, 'key' | 'type' | 'options'>,
  column = 'custom_fields',
): ListField {
  switch (def.type) {
    case 'number':
    case 'currency':
      return jsonField(column, def.key, 'number');
    case 'date':
    case 'datetime':
      return jsonField(column, def.key, 'date');
    case 'boolean':
      return jsonField(column, def.key, 'boolean');
    case 'multi_select':
      return jsonField(column, def.key, 'array');
    case 'relation':
      return jsonField(column, def.key, def.options?.multiple ? 'array' : 'text');
    default:
      return jsonField(column, def.key, 'text');
  }
}
