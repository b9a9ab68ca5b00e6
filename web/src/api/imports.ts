/**
 * The import wizard's calls: upload a file as a dry run, preview it, run it again (another dry
 * run with an edited mapping, or the real import) and roll a finished import back.
 */
import { upload } from './client';
import { http, unwrap } from './http';
import type { ImportJob, ImportPreview } from './types';

/** What the upload step sends with the file. */
export interface UploadInput {
  file: File;
  objectType: string;
  dedupe: 'skip' | 'update' | 'create';
}

/** Uploads a file and starts its dry run; the wizard maps, checks and imports from that one upload. */
export function uploadForDryRun(input: UploadInput): Promise<ImportJob> {
  const form = new FormData();
  // The fields travel before the file: the server reads them as the file starts to stream.
  form.append('objectType', input.objectType);
  form.append('dedupe', input.dedupe);
  form.append('dryRun', 'true');
  form.append('file', input.file);
  return upload<ImportJob>('/imports', form);
}

export const fetchImport = (id: string): Promise<ImportJob> =>
  unwrap(http.GET('/api/v1/imports/{id}', { params: { path: { id } } }));

export const fetchImportPreview = (id: string): Promise<ImportPreview> =>
  unwrap(http.GET('/api/v1/imports/{id}/preview', { params: { path: { id } } }));

/**
 * Runs a finished dry run's file again. The idempotency key is the dry run and the kind of run,
 * so a double click or a retried request starts one import, not two.
 */
export const runFromDryRun = (
  dryRunId: string,
  body: { dryRun: boolean; mapping?: Record<string, string> },
): Promise<ImportJob> =>
  unwrap(
    http.POST('/api/v1/imports/{id}/run', {
      params: { path: { id: dryRunId } },
      body,
      headers: body.dryRun ? {} : { 'Idempotency-Key': `import-run-${dryRunId}` },
    }),
  );

export const rollbackImport = (id: string): Promise<ImportJob> =>
  unwrap(http.POST('/api/v1/imports/{id}/rollback', { params: { path: { id } } }));
