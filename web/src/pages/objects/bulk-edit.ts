/**
 * What a bulk edit of the record table does, as pure functions: which fields it may set, the
 * change each record gets, and the summary the toast reads. The network part is in
 * `run-bulk-edit.ts`.
 */
import { ApiError } from '../../api/client';
import type { ObjectRecord } from '../../api/records';
import type { ObjectDescription, ObjectField } from '../../api/types';
import { valueOf } from './field-specs';

/** One change applied to every selected record. */
export type BulkEdit =
  | { kind: 'assign'; ownerId: string }
  | { kind: 'set'; field: ObjectField; value: string | number | boolean | null }
  | { kind: 'tag'; field: ObjectField; tag: string };

/** How one record's change went: done, or refused with a reason a person reads. */
export type BulkOutcome = { ok: true } | { ok: false; reason: string };

/** How a whole bulk edit went. */
export interface BulkSummary {
  changed: number;
  failed: number;
  /** The first refusal's reason, so the toast says why without listing every record. */
  firstReason: string | null;
}

/** Field kinds one value can sensibly be given to many records at once. */
const SETTABLE: ReadonlySet<ObjectField['kind']> = new Set([
  'enum',
  'text',
  'number',
  'date',
  'boolean',
]);

/** Fields "Set field…" offers: editable, of a settable kind, never the title (names differ). */
export const settableFields = (object: ObjectDescription): ObjectField[] =>
  object.fields.filter(
    (f) => f.editable && SETTABLE.has(f.kind) && f.key !== object.titleField && f.key !== 'id',
  );

/**
 * The owner field "Assign to…" sets, when the object has one people may edit: the one its bulk
 * description names (an activity's assignee), else `ownerId`.
 */
export const ownerField = (object: ObjectDescription): ObjectField | undefined => {
  const key = object.bulk?.ownerField ?? 'ownerId';
  return object.fields.find(
    (f) => f.key === key && f.kind === 'relation' && f.relation === 'user' && f.editable,
  );
};

/** The free tags field "Add tag" adds to, when the object has one. */
export const tagsField = (object: ObjectDescription): ObjectField | undefined =>
  object.fields.find((f) => f.key === 'tags' && f.kind === 'tags' && f.editable);

/** A field's value as it is PATCHed: custom fields go under `customFields` (merged by the API). */
const patchOf = (field: ObjectField, value: unknown): Record<string, unknown> =>
  field.custom ? { customFields: { [field.key]: value } } : { [field.key]: value };

/** The PATCH body one record gets for an edit; null when there is nothing to change. */
export function patchFor(edit: BulkEdit, record: ObjectRecord): Record<string, unknown> | null {
  switch (edit.kind) {
    case 'assign':
      return record.ownerId === edit.ownerId ? null : { ownerId: edit.ownerId };
    case 'set':
      return patchOf(edit.field, edit.value);
    case 'tag': {
      const current = valueOf(record, edit.field);
      const tags = Array.isArray(current) ? current.map(String) : [];
      return tags.includes(edit.tag) ? null : patchOf(edit.field, [...tags, edit.tag]);
    }
  }
}

/** Why the API refused one record, in words: the status decides, the field named if any. */
export function reasonOf(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : 'unknown error';
  const field = error.details[0];
  switch (error.status) {
    case 409:
    case 412:
      return 'changed by someone else meanwhile (reload and retry)';
    case 403:
      return 'no permission to change it';
    case 404:
      return 'it no longer exists';
    case 400:
    case 422:
      return field ? `${field.path}: ${field.message}` : error.message;
    default:
      return error.message;
  }
}

/**
 * Why the server's bulk action skipped a record, in the same words as a refused single change:
 * the error code decides, the server's message otherwise.
 */
export function bulkProblemReason(problem: { message: string; code?: string }): string {
  switch (problem.code) {
    case 'VERSION_MISMATCH':
      return 'changed by someone else meanwhile (reload and retry)';
    case 'FORBIDDEN':
      return 'no permission to change it';
    case 'NOT_FOUND':
      return 'it no longer exists';
    default:
      return problem.message;
  }
}

/** Counts the outcomes and keeps the first refusal's reason. */
export function summarizeBulk(outcomes: readonly BulkOutcome[]): BulkSummary {
  let failed = 0;
  let firstReason: string | null = null;
  for (const o of outcomes) {
    if (o.ok) continue;
    failed++;
    firstReason ??= o.reason;
  }
  return { changed: outcomes.length - failed, failed, firstReason };
}

/** The toast's sentence: how many changed, how many did not and why (the first reason). */
export function bulkMessage(summary: BulkSummary, labels: { one: string; many: string }): string {
  const noun = (n: number) => (n === 1 ? labels.one : labels.many);
  const changed = `${summary.changed} ${noun(summary.changed)} changed`;
  if (!summary.failed) return changed;
  const why = summary.firstReason ? ` — ${summary.firstReason}` : '';
  return `${changed}, ${summary.failed} failed${why}`;
}

/**
 * Runs `task` over the items a few at a time (the API is one record per call; a few in flight
 * keep it quick without flooding the server), reporting progress after each one. A failure is an
 * outcome, never a reason to stop the others.
 */
export async function runEach<T>(
  items: readonly T[],
  task: (item: T) => Promise<void>,
  onProgress: (done: number) => void,
  concurrency = 4,
): Promise<BulkOutcome[]> {
  const outcomes: BulkOutcome[] = new Array<BulkOutcome>(items.length);
  let next = 0;
  let done = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      try {
        await task(item);
        outcomes[index] = { ok: true };
      } catch (e) {
        outcomes[index] = { ok: false, reason: reasonOf(e) };
      }
      onProgress(++done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return outcomes;
}

/**
 * The value typed or chosen for "Set field…" as the field's kind stores it; an empty entry clears
 * the field. A number that does not parse is refused here rather than sent.
 */
export function parseBulkValue(
  field: ObjectField,
  text: string,
): { ok: true; value: string | number | boolean | null } | { ok: false; reason: string } {
  if (text.trim() === '') return { ok: true, value: null };
  switch (field.kind) {
    case 'number': {
      const n = Number(text);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: 'not a number' };
    }
    case 'boolean':
      return { ok: true, value: text === 'true' };
    case 'enum':
      return field.values && !field.values.includes(text)
        ? { ok: false, reason: `not one of ${field.values.join(', ')}` }
        : { ok: true, value: text };
    default:
      return { ok: true, value: text };
  }
}
