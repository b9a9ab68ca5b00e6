import type { MultipartFile } from '@fastify/multipart';
import { z } from 'zod';
import { DomainError, errors } from '../../platform/errors/index.js';
import { assertStorable, idParams, route, zodDetails } from '../../platform/http/index.js';
import { objectKey } from './custom-field-types.js';
import { previewImport } from './import-preview.js';
import {
  getImport,
  importErrorsCsv,
  rollbackImport,
  runFromDryRun,
  startImport,
} from './imports.js';

const importSchema = z
  .object({
    id: z.uuid(),
    objectType: z.string(),
    fileName: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed', 'rolled_back']),
    dryRun: z.boolean(),
    dedupe: z.string(),
    mapping: z.record(z.string(), z.string()),
    total: z.number().nullable(),
    processed: z.number(),
    created: z.number(),
    updated: z.number(),
    skipped: z.number(),
    failed: z.number(),
    errors: z.array(
      z.object({ row: z.number(), column: z.string().nullable(), message: z.string() }),
    ),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    rolledBackAt: z.string().nullable(),
    error: z
      .string()
      .nullable()
      .describe('Why the import stopped, when its background job failed for good'),
  })
  .meta({ id: 'Import' });

const previewSchema = z
  .object({
    headers: z.array(z.string()).describe('The columns, in file order'),
    rows: z.array(z.record(z.string(), z.string())).describe('The first 5 rows, cells by column'),
    suggested: z
      .record(z.string(), z.string())
      .describe('Column → field, as suggested from the headers alone'),
    fields: z
      .array(z.object({ key: z.string(), label: z.string(), required: z.boolean() }))
      .describe('Every field a column can fill'),
  })
  .meta({ id: 'ImportPreview' });

const runBody = z.object({
  mapping: z
    .record(z.string(), z.string())
    .optional()
    .describe("Column → field; the dry run's mapping when absent"),
  dedupe: z.enum(['skip', 'update', 'create']).optional(),
  dryRun: z.boolean().default(false).describe('Check again (e.g. after editing the mapping)'),
});

/** The form fields that travel with the file (multipart): everything but the file is text. */
const importFields = z.object({
  objectType: objectKey.default('contact'),
  mapping: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      try {
        return z.record(z.string(), z.string()).parse(JSON.parse(v));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of column → field' });
        return z.NEVER;
      }
    }),
  dedupe: z.enum(['skip', 'update', 'create']).default('skip'),
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

function fieldValues(file: MultipartFile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(file.fields)) {
    const one = Array.isArray(f) ? f[0] : f;
    if (one && one.type === 'field') out[name] = String(one.value);
  }
  return out;
}

// The permission depends on what is imported (contacts:* or companies:*), so these routes only
// require a signed-in actor and the services check `<resource>:create|read|delete` for the object type.
export const importRoutes = [
  route({
    method: 'POST',
    path: '/api/v1/imports',
    permission: 'authenticated',
    summary:
      'Import contacts or companies from a CSV or XLSX file (multipart: fields objectType, mapping, dedupe, dryRun, then file); needs contacts:create or companies:create',
    tags: ['imports'],
    response: { status: 202, schema: importSchema },
    handler: async ({ ctx, req }) => {
      if (!req.isMultipart())
        throw new DomainError(
          'unsupported_media_type',
          'UNSUPPORTED_MEDIA_TYPE',
          'Send multipart/form-data with a file',
        );
      const file = await req.file();
      if (!file)
        throw errors.validation([{ path: 'file', message: 'a CSV or XLSX file is required' }]);
      const values = fieldValues(file);
      try {
        // Multipart fields bypass the edge's check of JSON bodies; the file name is stored as text.
        assertStorable({ ...values, file: file.filename });
      } catch (e) {
        file.file.resume();
        throw e;
      }
      const fields = importFields.safeParse(values);
      if (!fields.success) {
        file.file.resume();
        throw errors.validation(zodDetails(fields.error));
      }
      return startImport(ctx, {
        file: file.file,
        fileName: file.filename,
        objectType: fields.data.objectType,
        dedupe: fields.data.dedupe,
        dryRun: fields.data.dryRun,
        ...(fields.data.mapping ? { mapping: fields.data.mapping } : {}),
      });
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/imports/:id',
    permission: 'authenticated',
    summary: 'Progress and results of an import (needs read on what it imports)',
    tags: ['imports'],
    params: idParams,
    response: { status: 200, schema: importSchema },
    handler: ({ ctx, params }) => getImport(ctx, params.id),
  }),
  route({
    method: 'GET',
    path: '/api/v1/imports/:id/errors.csv',
    permission: 'authenticated',
    summary: 'The rejected rows with their reasons, as CSV',
    tags: ['imports'],
    params: idParams,
    response: { status: 200, description: 'CSV: row, column, message' },
    handler: async ({ ctx, params, reply }) => {
      const csv = await importErrorsCsv(ctx, params.id);
      void reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="import-${params.id}-errors.csv"`);
      return csv;
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/imports/:id/rollback',
    permission: 'authenticated',
    summary:
      'Undo a finished import within 7 days: created records go to the trash (restorable for 30 days), updated ones get their earlier values back; needs delete (created) and update (changed) on every record within your scope, else 403 and nothing changes',
    tags: ['imports'],
    params: idParams,
    response: { status: 200, schema: importSchema },
    handler: ({ ctx, params }) => rollbackImport(ctx, params.id),
  }),
  route({
    method: 'GET',
    path: '/api/v1/imports/:id/preview',
    permission: 'authenticated',
    summary:
      "An import file's columns, first 5 rows, suggested mapping and the fields a column can fill",
    tags: ['imports'],
    params: idParams,
    response: { status: 200, schema: previewSchema },
    handler: ({ ctx, params }) => previewImport(ctx, params.id),
  }),
  route({
    method: 'POST',
    path: '/api/v1/imports/:id/run',
    permission: 'authenticated',
    summary:
      "Run a finished dry run's file again without re-uploading it: the real import, or another dry run with an edited mapping (409 for anything but a finished dry run)",
    tags: ['imports'],
    params: idParams,
    body: runBody,
    response: { status: 202, schema: importSchema },
    handler: ({ ctx, params, body }) => runFromDryRun(ctx, params.id, body),
  }),
];
