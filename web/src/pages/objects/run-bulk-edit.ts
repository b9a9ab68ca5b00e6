/**
 * Applies a bulk edit to the selected records. Contacts and companies have a server bulk endpoint
 * (one request, background batches for big sets, progress polled); every other object is
 * PATCHed record by record, each with its own version, so one refusal does not stop the others.
 */
import { http, unwrap } from '../../api/http';
import { updateRecord, type ObjectRecord } from '../../api/records';
import type { ObjectDescription } from '../../api/types';
import { patchFor, runEach, summarizeBulk, type BulkEdit, type BulkSummary } from './bulk-edit';

type BulkBody = {
  action: 'update' | 'assign' | 'add_tag';
  ids: string[];
  field?: string;
  value?: string | null;
  ownerId?: string;
  tag?: string;
};
type Operation = Awaited<ReturnType<typeof getOperation>>;

/** The fields the server's bulk "update" takes (`src/modules/records/http-bulk.ts`). */
const SERVER_FIELDS: Record<string, readonly string[]> = {
  contacts: ['status', 'source', 'title'],
  companies: ['industry', 'size'],
};
const POLL_MS = 400;

/** The server bulk request for an edit, or null when the server cannot do it in one go. */
export function serverBulkBody(resource: string, edit: BulkEdit, ids: string[]): BulkBody | null {
  const fields = SERVER_FIELDS[resource];
  if (!fields) return null;
  if (edit.kind === 'assign') return { action: 'assign', ids, ownerId: edit.ownerId };
  // The server tags contacts only, and only their own `tags` field.
  if (edit.kind === 'tag')
    return resource === 'contacts' && !edit.field.custom
      ? { action: 'add_tag', ids, tag: edit.tag }
      : null;
  const { field, value } = edit;
  if (field.custom || !fields.includes(field.key)) return null;
  if (value !== null && typeof value !== 'string') return null;
  return { action: 'update', ids, field: field.key, value };
}

const getOperation = (id: string) =>
  unwrap(http.GET('/api/v1/bulk-operations/{id}', { params: { path: { id } } }));

function postBulk(resource: string, body: BulkBody): Promise<Operation> {
  // The generated client types each resource's field list; SERVER_FIELDS keeps to them.
  if (resource === 'contacts')
    return unwrap(
      http.POST('/api/v1/contacts/bulk', {
        body: body as { action: BulkBody['action']; field?: 'status' | 'source' | 'title' },
      }),
    );
  return unwrap(
    http.POST('/api/v1/companies/bulk', {
      body: body as { action: BulkBody['action']; field?: 'industry' | 'size' },
    }),
  );
}

async function runOnServer(
  resource: string,
  body: BulkBody,
  onProgress: (done: number) => void,
): Promise<BulkSummary> {
  let op = await postBulk(resource, body);
  while (op.status === 'queued' || op.status === 'running') {
    onProgress(op.processed);
    await new Promise((r) => setTimeout(r, POLL_MS));
    op = await getOperation(op.id);
  }
  onProgress(op.processed);
  const failed = op.errors.length;
  return {
    changed: op.succeeded,
    failed,
    firstReason: op.errors[0]?.message ?? op.error ?? null,
  };
}

/** Applies the edit to the records; `onProgress` hears how many are done so far. */
export async function runBulkEdit(
  object: ObjectDescription,
  records: readonly ObjectRecord[],
  edit: BulkEdit,
  onProgress: (done: number) => void,
): Promise<BulkSummary> {
  const body = serverBulkBody(
    object.resource,
    edit,
    records.map((r) => r.id),
  );
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
