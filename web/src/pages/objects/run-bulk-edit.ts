/**
 * Applies a bulk edit or delete to the selected records. An object whose description has `bulk`
 * (`GET /api/v1/objects`) takes it in one request to `POST /{resource}/bulk` (background batches
 * for big sets, progress polled); what its bulk cannot do — a number, a date, a custom field of a
 * built-in object, or an object without bulk — is PATCHed record by record, each with its own
 * version, so one refusal does not stop the others.
 */
import { http, unwrap } from '../../api/http';
import { deleteRecord, updateRecord, type ObjectRecord } from '../../api/records';
import type { ObjectDescription } from '../../api/types';
import {
  bulkProblemReason,
  patchFor,
  runEach,
  summarizeBulk,
  type BulkEdit,
  type BulkSummary,
} from './bulk-edit';

type BulkBody = {
  action: 'update' | 'assign' | 'add_tag' | 'delete';
  ids: string[];
  /** The version each record was read at: one changed since is skipped as stale, as a PATCH would be. */
  versions?: Record<string, number>;
  field?: string;
  value?: string | null;
  ownerId?: string;
  tag?: string;
};

const POLL_MS = 400;

/** The server bulk request for an edit, or null when the object's bulk cannot do it in one go. */
export function serverBulkBody(
  object: Pick<ObjectDescription, 'bulk'>,
  edit: BulkEdit,
  records: readonly Pick<ObjectRecord, 'id' | 'version'>[],
): BulkBody | null {
  const bulk = object.bulk;
  if (!bulk) return null;
  const ids = records.map((r) => r.id);
  const versions = Object.fromEntries(records.map((r) => [r.id, r.version]));
  // The body names the user `ownerId`; the server sets the object's owner field (an assignee).
  if (edit.kind === 'assign') return { action: 'assign', ids, versions, ownerId: edit.ownerId };
  if (edit.kind === 'tag')
    return bulk.tags && !edit.field.custom
      ? { action: 'add_tag', ids, versions, tag: edit.tag }
      : null;
  const { field, value } = edit;
  if (field.custom || !bulk.fields.includes(field.key)) return null;
  if (value !== null && typeof value !== 'string') return null;
  return { action: 'update', ids, versions, field: field.key, value };
}

const getOperation = (id: string) =>
  unwrap(http.GET('/api/v1/bulk-operations/{id}', { params: { path: { id } } }));

async function runOnServer(
  resource: string,
  body: BulkBody,
  onProgress: (done: number) => void,
): Promise<BulkSummary> {
  // Built-in objects answer at their own static path; the generic one names every resource.
  let op = await unwrap(
    http.POST('/api/v1/{resource}/bulk', { params: { path: { resource } }, body }),
  );
  while (op.status === 'queued' || op.status === 'running') {
    onProgress(op.processed);
    await new Promise((r) => setTimeout(r, POLL_MS));
    op = await getOperation(op.id);
  }
  onProgress(op.processed);
  const first = op.errors[0];
  return {
    changed: op.succeeded,
    failed: op.errors.length,
    firstReason: first ? bulkProblemReason(first) : op.error,
  };
}

/** Applies the edit to the records; `onProgress` hears how many are done so far. */
export async function runBulkEdit(
  object: ObjectDescription,
  records: readonly ObjectRecord[],
  edit: BulkEdit,
  onProgress: (done: number) => void,
): Promise<BulkSummary> {
  const body = serverBulkBody(object, edit, records);
  if (body) return runOnServer(object.resource, body, onProgress);
  const outcomes = await runEach(
    records,
    async (record) => {
      const patch = patchFor(edit, record);
      if (patch) await updateRecord(object.resource, record, patch);
    },
    onProgress,
  );
  return summarizeBulk(outcomes);
}

/** Moves the records to the trash: in one bulk request where the object takes them. */
export async function runBulkDelete(
  object: ObjectDescription,
  records: readonly ObjectRecord[],
  onProgress: (done: number) => void = () => undefined,
): Promise<BulkSummary> {
  const ids = records.map((r) => r.id);
  if (object.bulk) return runOnServer(object.resource, { action: 'delete', ids }, onProgress);
  const outcomes = await runEach(
    records,
    (record) => deleteRecord(object.resource, record.id),
    onProgress,
  );
  return summarizeBulk(outcomes);
}
