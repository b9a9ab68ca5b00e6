import type { CustomField } from '../api/types';
import { currencyDigits } from '../lib/money';

/** How a field is edited and shown; custom field types map onto these one to one where they can. */
export type FieldKind =
  | 'text'
  | 'long_text'
  | 'email'
  | 'url'
  | 'phone'
  | 'number'
  | 'currency'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'select'
  | 'multi_select'
  | 'tags'
  | 'keyed'
  | 'company'
  | 'contact'
  | 'user'
  | 'relation'
  | 'json'
  | 'id';

/** One editable (or read-only) field of a record page. */
export interface FieldSpec {
  /** Where the API names this field in its error details: `title`, `customFields.score`. */
  path: string;
  label: string;
  kind: FieldKind;
  value: unknown;
  /** select and multi_select choices (custom fields) or allowed values (status). */
  choices?: readonly string[];
  /** Words for API values that are codes (`CUSTOMER` → Customer); custom choices are already words. */
  choiceLabels?: Readonly<Record<string, string>>;
  /** What an empty read-only value says instead of "Add …" (lead score: "Not scored yet"). */
  emptyText?: string;
  /** An ISO 4217 code for `currency`; amounts are stored in minor units. */
  currency?: string;
  /** The sub-fields of a `keyed` value (address parts, social networks). */
  keys?: ReadonlyArray<readonly [key: string, label: string]>;
  /** Shown and never edited (created at, lead score…). */
  readOnly?: boolean;
  /** Cannot be cleared (a contact's status, a company's name). */
  required?: boolean;
  /** The object a `relation` field points at: where to search and how its records are named. */
  relation?: { resource: string; titleField: string; sort?: string | undefined };
  /** A `relation` holding a list of ids (many-to-many) rather than one. */
  multiple?: boolean;
  /** Builds the PATCH body from the new value; custom fields nest under `customFields`. */
  toPatch: (value: unknown) => Record<string, unknown>;
}

/** What an editor holds while the user types: always a plain form value, converted on save. */
export type Draft = string | boolean | string[] | Record<string, string>;

const asString = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as the `datetime-local` input wants it, in the browser's time zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The editor's starting value for a field's current value. */
export function toDraft(spec: FieldSpec): Draft {
  const v = spec.value;
  switch (spec.kind) {
    case 'boolean':
      return v === true;
    case 'multi_select':
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    case 'relation':
      return spec.multiple
        ? Array.isArray(v)
          ? v.filter((x): x is string => typeof x === 'string')
          : []
        : asString(v);
    case 'json':
      return v === null || v === undefined ? '' : JSON.stringify(v, null, 2);
    case 'tags':
      return Array.isArray(v) ? v.join(', ') : '';
    case 'keyed':
      return v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asString(x)]))
        : {};
    case 'currency':
      return typeof v === 'number' ? String(v / 10 ** currencyDigits(spec.currency ?? 'USD')) : '';
    case 'datetime':
      return typeof v === 'string' ? toLocalInput(v) : '';
    default:
      return asString(v);
  }
}

/** The API value of a draft, or a message when the input cannot be one (checked before any request). */
export function fromDraft(spec: FieldSpec, draft: Draft): { value: unknown } | { error: string } {
  if (typeof draft === 'boolean') return { value: draft };
  if (Array.isArray(draft)) return { value: draft };
  if (typeof draft === 'object') {
    const entries = Object.entries(draft)
      .map(([k, x]) => [k, x.trim()] as const)
      .filter(([, x]) => x !== '');
    return { value: Object.fromEntries(entries) };
  }
  const text = draft.trim();
  if (text === '') return spec.required ? { error: 'is required' } : { value: null };
  switch (spec.kind) {
    case 'number': {
      const n = Number(text);
      return Number.isFinite(n) ? { value: n } : { error: 'must be a number' };
    }
    case 'currency': {
      const n = Number(text);
      return Number.isFinite(n)
        ? { value: Math.round(n * 10 ** currencyDigits(spec.currency ?? 'USD')) }
        : { error: 'must be an amount' };
    }
    case 'datetime': {
      const d = new Date(text);
      return Number.isNaN(d.getTime())
        ? { error: 'must be a date and time' }
        : { value: d.toISOString() };
    }
    case 'tags':
      return {
        value: [
          ...new Set(
            text
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
          ),
        ],
      };
    case 'json':
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        return { error: 'must be valid JSON' };
      }
    case 'long_text':
      // Line breaks are the content of a long text; only the ends are trimmed.
      return { value: draft.replace(/^\s+|\s+$/g, '') };
    default:
      return { value: text };
  }
}

/** Whether a value counts as not filled in. */
export const isBlank = (v: unknown): boolean =>
  v === null ||
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

/** A value as text, for read mode and the merge comparison; ids are resolved by the caller. */
export function formatValue(
  spec: Pick<FieldSpec, 'kind' | 'currency' | 'keys' | 'choiceLabels'>,
  v: unknown,
): string {
  if (isBlank(v)) return '';
  switch (spec.kind) {
    case 'select':
      return typeof v === 'string' ? (spec.choiceLabels?.[v] ?? v) : asString(v);
    case 'boolean':
      return v === true ? 'Yes' : 'No';
    case 'currency':
      return typeof v === 'number'
        ? new Intl.NumberFormat(undefined, {
            style: 'currency',
            currency: spec.currency ?? 'USD',
          }).format(v / 10 ** currencyDigits(spec.currency ?? 'USD'))
        : asString(v);
    case 'number':
      return typeof v === 'number' ? v.toLocaleString() : asString(v);
    case 'date':
      return typeof v === 'string'
        ? new Date(`${v}T00:00:00`).toLocaleDateString(undefined, { dateStyle: 'medium' })
        : '';
    case 'datetime':
      return typeof v === 'string'
        ? new Date(v).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
        : '';
    case 'multi_select':
    case 'tags':
      return Array.isArray(v) ? v.map(asString).join(', ') : asString(v);
    case 'json':
      if (!v || typeof v !== 'object') return asString(v);
      return Object.values(v)
        .map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : asString(x)))
        .filter(Boolean)
        .join(', ');
    case 'keyed': {
      if (!v || typeof v !== 'object') return '';
      // In the order of the sub-fields (street before city); the values (addresses, profile URLs) speak for themselves.
      const order = (spec.keys ?? []).map(([k]) => k);
      const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
      return Object.entries(v)
        .sort(([a], [b]) => rank(a) - rank(b))
        .map(([, x]) => asString(x))
        .filter(Boolean)
        .join(', ');
    }
    default:
      return asString(v);
  }
}

/** The choices a select or multi-select custom field offers (`options.choices`). */
export function choicesOf(def: CustomField): string[] {
  const options = def.options;
  if (
    options &&
    typeof options === 'object' &&
    'choices' in options &&
    Array.isArray(options.choices)
  )
    return options.choices.filter((c): c is string => typeof c === 'string');
  return [];
}

function optionString(def: CustomField, key: 'currency' | 'objectType'): string | undefined {
  const options = def.options;
  if (options && typeof options === 'object' && key in options) {
    const v = (options as Record<string, unknown>)[key];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

/** A custom field definition and the record's value as a field of the panel. */
export function customFieldSpec(def: CustomField, values: Record<string, unknown>): FieldSpec {
  const relationTo = optionString(def, 'objectType');
  const kind: FieldKind =
    def.type === 'relation'
      ? relationTo === 'contact'
        ? 'contact'
        : relationTo === 'company'
          ? 'company'
          : 'id'
      : def.type;
  const currency = optionString(def, 'currency');
  return {
    path: `customFields.${def.key}`,
    label: def.label,
    kind,
    required: def.required,
    value: values[def.key] ?? null,
    choices: choicesOf(def),
    ...(currency ? { currency } : {}),
    // PATCH merges custom values, so sending one key leaves the others as they are.
    toPatch: (value) => ({ customFields: { [def.key]: value } }),
  };
}
