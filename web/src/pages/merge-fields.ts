import type { Company, Contact, ObjectDescription, ObjectField } from '../api/types';
import { formatValue, isBlank } from './field-values';

/** A record the merge dialog compares, as its object's API answers it. */
export type MergeRecord = Record<string, unknown> & { id: string; createdAt?: string };

/**
 * One row of the comparison: a field the object's merge lets the user pick (`merge.fields` of
 * `GET /api/v1/objects`, which `fields` of POST /{resource}/{id}/merge takes) and how to show it.
 */
export interface MergeRow {
  field: string;
  label: string;
  /** The field as the object describes it; null for the custom fields' bag. */
  described: ObjectField | null;
  /** The value of this field on one record, as the API would copy it. */
  valueOf: (r: MergeRecord) => unknown;
  /** Lists (and custom values) are combined unless one record's list is chosen. */
  combinable: boolean;
}

/** The choice for a row: a record's id, or `combine` for the API's default union. */
export type MergeChoice = string;
export const COMBINE = 'combine';

/** An entry of a list of objects (an email with its label) shown by its first text. */
const entryText = (e: unknown): unknown =>
  e && typeof e === 'object' ? (Object.values(e).find((v) => typeof v === 'string') ?? '') : e;

/**
 * The rows the merge dialog offers, from the object's description alone: its mergeable fields in
 * their order, lists combinable (as the API combines them by default), custom values as one row.
 */
export function mergeRowsOf(
  object: ObjectDescription,
  records: readonly MergeRecord[],
): MergeRow[] {
  return (object.merge?.fields ?? []).map((key) => {
    const get = (r: MergeRecord) => r[key] ?? null;
    if (key === 'customFields')
      return {
        field: key,
        label: 'Custom fields',
        described: null,
        valueOf: get,
        combinable: true,
      };
    const described = object.fields.find((f) => f.key === key) ?? null;
    const list = records.some((r) => Array.isArray(r[key]));
    return {
      field: key,
      label: described?.label ?? key,
      described,
      combinable: list,
      valueOf: list
        ? (r: MergeRecord) => (Array.isArray(r[key]) ? (r[key] as unknown[]).map(entryText) : [])
        : get,
    };
  });
}

/** Custom values as "Label: value" lines, by the object's described custom fields. */
export function describeCustomValues(values: unknown, fields: readonly ObjectField[]): string {
  if (!values || typeof values !== 'object') return '';
  return Object.entries(values)
    .map(([key, v]) => {
      const field = fields.find((f) => f.custom && f.key === key);
      const kind = field?.kind === 'relation' ? 'id' : field?.kind === 'enum' ? 'select' : 'text';
      return `${field?.label ?? key}: ${formatValue({ kind }, v)}`;
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
  records: Array<Contact | Company>;
}
