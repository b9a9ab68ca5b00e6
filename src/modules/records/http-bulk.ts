import { z } from 'zod';
import type { Ctx } from '../../platform/context/index.js';
import { idParams, route } from '../../platform/http/index.js';
import {
  bulkOfDefinition,
  type BulkDescription,
  type ObjectDefinition,
} from '../../platform/objects/index.js';
import {
  getBulkOperation,
  startBulk,
  type BulkAction,
  type BulkOperation,
  type BulkSelection,
} from './bulk.js';
import { RECORDS_OBJECTS } from './objects.js';

const ACTIONS = ['update', 'assign', 'add_tag', 'remove_tag', 'delete'] as const;

/** A bulk request as every object's route reads it. */
export interface BulkRequest {
  ids?: string[] | undefined;
  versions?: Record<string, number> | undefined;
  filter?: Record<string, string> | undefined;
  action: BulkAction['action'];
  field?: string | undefined;
  value?: string | null | undefined;
  ownerId?: string | undefined;
  tag?: string | undefined;
}

/**
 * The body of `POST /{resource}/bulk`. Given the object's bulk description (a built-in object's,
 * known when routes are built), `field` and the tag actions are limited to what it has, so the
 * OpenAPI document and the 400 name them; an object defined as data is checked by the service.
 */
export function bulkRequestBody(bulk: BulkDescription | null): z.ZodType<BulkRequest> {
  const [first, ...rest] = bulk?.fields ?? [];
  const field = !bulk
    ? z.string().regex(/^[A-Za-z]\w{0,62}$/, 'must be a field key')
    : first === undefined
      ? z.never()
      : z.enum([first, ...rest]);
  const actions = bulk && !bulk.tags ? ACTIONS.filter((a) => !a.endsWith('_tag')) : ACTIONS;
  return z
    .object({
      ids: z.array(z.uuid()).min(1).max(10_000).optional(),
      versions: z
        .record(z.uuid(), z.number().int().min(1))
        .optional()
        .describe(
          'With ids: the version each record was read at (as If-Match); one changed since is skipped as stale',
        ),
      filter: z
        .record(
          z
            .string()
            .regex(
              /^(filter\[[\w.]+\](\[\w+\])?|q)$/,
              'must be a list parameter like filter[status]',
            ),
          z.string().max(500),
        )
        .optional(),
      action: z.enum(actions),
      field: field.optional(),
      value: z.string().max(200).nullable().optional(),
      ownerId: z.uuid().optional().describe("The user an `assign` makes the records' owner"),
      tag: z.string().trim().min(1).max(50).optional(),
    })
    .strict()
    .superRefine((b, ctx) => {
      if (!b.ids === !b.filter)
        ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give either ids or filter' });
      if (b.versions && !b.ids)
        ctx.addIssue({ code: 'custom', path: ['versions'], message: 'versions go with ids' });
      if (b.action === 'update' && (!b.field || b.value === undefined))
        ctx.addIssue({ code: 'custom', path: ['field'], message: 'update needs field and value' });
      if (b.action === 'assign' && !b.ownerId)
        ctx.addIssue({ code: 'custom', path: ['ownerId'], message: 'assign needs ownerId' });
      if ((b.action === 'add_tag' || b.action === 'remove_tag') && !b.tag)
        ctx.addIssue({ code: 'custom', path: ['tag'], message: `${b.action} needs tag` });
    });
}

export const bulkOperationSchema = z
  .object({
    id: z.uuid(),
    objectType: z.string(),
    action: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    total: z.number(),
    processed: z.number(),
    succeeded: z.number(),
    skipped: z.number(),
    errors: z.array(
      z.object({
        id: z.string(),
        message: z.string(),
        code: z.string().optional().describe('The error code a single change would have answered'),
      }),
    ),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    error: z
      .string()
      .nullable()
      .describe('Why the operation stopped, when its background job failed for good'),
  })
  .meta({ id: 'BulkOperation' });

function toAction(b: BulkRequest): BulkAction {
  switch (b.action) {
    case 'update':
      return { action: 'update', field: b.field ?? '', value: b.value ?? null };
    case 'assign':
      return { action: 'assign', ownerId: b.ownerId ?? '' };
    case 'add_tag':
    case 'remove_tag':
      return { action: b.action, tag: b.tag ?? '' };
    case 'delete':
      return { action: 'delete' };
  }
}

/** Starts the request's action on the object's records; `inline` is false when it was queued. */
export function startBulkRequest(
  ctx: Ctx,
  objectKey: string,
  body: BulkRequest,
): Promise<{ operation: BulkOperation; inline: boolean }> {
  const selection: BulkSelection = body.ids
    ? { ids: body.ids, ...(body.versions ? { versions: body.versions } : {}) }
    : { filter: body.filter ?? {} };
  return startBulk(ctx, objectKey, selection, toAction(body));
}

const SUMMARY =
  'Update, assign, tag or delete many (by ids or by filter); large sets run in the background';

/**
 * `POST /api/v1/<resource>/bulk` for each declared object that takes bulk actions (one whose
 * lifecycle lists): the same body and answer for every object.
 */
export const bulkRoutesOf = (defs: readonly ObjectDefinition[]) =>
  defs.flatMap((def) => {
    const bulk = bulkOfDefinition(def);
    if (!bulk) return [];
    return [
      route({
        method: 'POST',
        path: `/api/v1/${def.resource}/bulk`,
        permission: `${def.resource}:read`,
        summary: SUMMARY.replace('many', `many ${def.labels.plural.toLowerCase()}`),
        tags: [def.resource],
        body: bulkRequestBody(bulk),
        response: {
          status: 200,
          schema: bulkOperationSchema,
          description: '200 when finished inline, 202 when queued',
        },
        handler: async ({ ctx, body, reply }) => {
          const { operation, inline } = await startBulkRequest(ctx, def.key, body);
          if (!inline) void reply.status(202);
          return operation;
        },
      }),
    ];
  });

/** Progress of any bulk operation. */
export const bulkProgressRoute = route({
  method: 'GET',
  path: '/api/v1/bulk-operations/:id',
  permission: 'authenticated',
  summary: 'Progress of a bulk action',
  tags: ['contacts', 'companies'],
  params: idParams,
  response: { status: 200, schema: bulkOperationSchema },
  handler: ({ ctx, params }) => getBulkOperation(ctx, params.id),
});

/** This module's bulk routes: its objects' (activities) and the progress of any bulk action. */
export const bulkRoutes = [...bulkRoutesOf(RECORDS_OBJECTS), bulkProgressRoute];
