import type { ImportJob } from './import-batch.js';
import type { ImportObjectType } from './import-mapping.js';

type Row = ImportJob;

/** An import as the API presents it. */
export interface ImportView {
  id: string;
  objectType: ImportObjectType;
  fileName: string;
  status: Row['status'];
  dryRun: boolean;
  dedupe: Row['dedupe'];
  mapping: Record<string, string>;
  total: number | null;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  errors: Row['errors'];
  createdAt: string;
  finishedAt: string | null;
  rolledBackAt: string | null;
  /** Why the import stopped, when it failed for good. */
  error: string | null;
}

/** The API's view of an import row (the first 100 row errors; the CSV has them all). */
export const presentImport = (r: Row): ImportView => ({
  id: r.id,
  objectType: r.object_type,
  fileName: r.file_name,
  status: r.status,
  dryRun: r.dry_run,
  dedupe: r.dedupe,
  mapping: r.mapping,
  total: r.total,
  processed: r.processed,
  created: r.created,
  updated: r.updated,
  skipped: r.skipped,
  failed: r.failed,
  errors: r.errors.slice(0, 100),
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
  rolledBackAt: r.rolled_back_at?.toISOString() ?? null,
  error: r.error,
});
