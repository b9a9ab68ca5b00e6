import type { Company, Contact, CustomField } from '../api/types';
import { CONSENT_LABELS, STATUS_LABELS } from './choice-labels';
import { formatValue, isBlank, type FieldKind } from './field-values';

/** A record the merge dialog compares. */
export type MergeRecord = Contact | Company;

/** One row of the comparison: a field the API merges (`fields` of POST /…/merge) and how to show it. */
export interface MergeRow {
  field: string;
  label: string;
  /** The value of this field on one record, as the API would copy it. */
  valueOf: (r: MergeRecord) => unknown;
  /** How to show a value; `company`/`user` values are ids the dialog resolves to names. */
  kind: FieldKind;
  /** Lists (and custom values) are combined unless one record's list is chosen. */
  combinable: boolean;
  /** Words for coded values (status, consent). */
  choiceLabels?: Readonly<Record<string, string>>;
}

/** The choice for a row: a record's id, or `combine` for the API's default union. */
export type MergeChoice = string;
export const COMBINE = 'combine';

const get = (key: string) => (r: MergeRecord) =>
  (r as unknown as Record<string, unknown>)[key] ?? null;
const listOf = (key: 'email' | 'number', list: string) => (r: MergeRecord) => {
  const v = (r as unknown as Record<string, unknown>)[list];
  return Array.isArray(v)
    ? v.map((e: Record<string, unknown>) => (typeof e[key] === 'string' ? e[key] : ''))
    : [];
};

/** The rows the merge dialog offers, in the order of the record page; mirrors the API's mergeable fields. */
export function mergeRows(kind: 'contact' | 'company'): MergeRow[] {
  const row = (
    field: string,
    label: string,
    k: FieldKind,
    combinable = false,
    valueOf = get(field),
  ): MergeRow => ({ field, label, kind: k, combinable, valueOf });
  if (kind === 'contact') {
    return [
      row('firstName', 'First name', 'text'),
      row('lastName', 'Last name', 'text'),
      row('emails', 'Emails', 'tags', true, listOf('email', 'emails')),
      row('phones', 'Phones', 'tags', true, listOf('number', 'phones')),
      row('title', 'Title', 'text'),
      row('companyId', 'Company', 'company'),
      { ...row('status', 'Status', 'select'), choiceLabels: STATUS_LABELS },
      row('ownerId', 'Owner', 'user'),
      row('source', 'Source', 'text'),
      row('tags', 'Tags', 'tags', true),
      row('address', 'Address', 'keyed'),
      row('socialProfiles', 'Profiles', 'keyed'),
      {
        ...row('emailConsent', 'Email consent', 'select', false, (r) =>
          'emailConsent' in r ? r.emailConsent.status : null,
        ),
        choiceLabels: CONSENT_LABELS,
      },
      row('customFields', 'Custom fields', 'keyed', true),
    ];
  }
  return [
    row('name', 'Name', 'text'),
    row('domain', 'Domain', 'text'),
    row('industry', 'Industry', 'text'),
    row('size', 'Size', 'text'),
    row('annualRevenue', 'Annual revenue', 'text', false, (r) =>
      'annualRevenue' in r && r.annualRevenue
        ? formatValue(
            { kind: 'currency', currency: r.annualRevenue.currency },
            r.annualRevenue.amount,
          )
        : null,
    ),
    row('website', 'Website', 'url'),
    row('phone', 'Phone', 'phone'),
    row('address', 'Address', 'keyed'),
    row('ownerId', 'Owner', 'user'),
    row('parentId', 'Parent company', 'company'),
    row('customFields', 'Custom fields', 'keyed', true),
  ];
}

/** Custom values as "Label: value" lines, by the definitions' labels and types. */
export function describeCustomValues(values: unknown, defs: readonly CustomField[]): string {
  if (!values || typeof values !== 'object') return '';
  return Object.entries(values)
    .map(([key, v]) => {
      const def = defs.find((d) => d.key === key);
      const text = def
        ? formatValue({ kind: def.type === 'relation' ? 'id' : def.type }, v)
        : formatValue({ kind: 'text' }, v);
      return `${def?.label ?? key}: ${text}`;
    })
    .join('\n');
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Whether every record holds the same value, so there is nothing to choose. */
export const isUniform = (row: MergeRow, records: readonly MergeRecord[]) =>
  records.every((r) => same(row.valueOf(r), records[0] ? row.valueOf(records[0]) : null));

/** Whether no record has a value: the row is left out. */
export const isAllBlank = (row: MergeRow, records: readonly MergeRecord[]) =>
  records.every((r) => isBlank(row.valueOf(r)));

/** What the API would keep without a choice: combined lists, else the survivor's value, else the first record that has one. */
export function defaultChoice(
  row: MergeRow,
  records: readonly MergeRecord[],
  survivorId: string,
): MergeChoice {
  if (row.combinable) return COMBINE;
  const survivor = records.find((r) => r.id === survivorId);
  if (survivor && !isBlank(row.valueOf(survivor))) return survivorId;
  return records.find((r) => r.id !== survivorId && !isBlank(row.valueOf(r)))?.id ?? survivorId;
}

/** Why the API thinks records are the same, in words. */
export const DUPLICATE_REASONS: Record<string, string> = {
  same_email: 'Same email',
  same_phone: 'Same phone',
  similar_name_same_company: 'Similar name at the same company',
  same_domain: 'Same domain',
  similar_name: 'Similar name',
};

/** A duplicate group as GET /contacts/duplicates and /companies/duplicates answer it. */
export interface DuplicateGroup {
  reason: string;
  key: string;
  records: MergeRecord[];
}
