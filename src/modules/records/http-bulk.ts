import { z } from 'zod';
import { idParams, route } from '../../platform/http/index.js';
import { getBulkOperation, startBulk, type BulkAction, type BulkSelection } from './bulk.js';

const FIELDS = { contact: ['status', 'source', 'title'], company: ['industry', 'size'] } as const;

const bulkBody = (kind: 'contact' | 'company') =>
  z
    .object({
      ids: z.array(z.uuid()).min(1).max(10_000).optional(),
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
      action: z.enum(['update', 'assign', 'add_tag', 'remove_tag', 'delete']),
      field: z.enum(FIELDS[kind]).optional(),
      value: z.string().max(200).nullable().optional(),
      ownerId: z.uuid().optional(),
      tag: z.string().trim().min(1).max(50).optional(),
    })
    .strict()
    .superRefine((b, ctx) => {
      if (!b.ids === !b.filter)
        ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give either ids or filter' });
      if (b.action === 'update' && (!b.field || b.value === undefined))
        ctx.addIssue({ code: 'custom', path: ['field'], message: 'update needs field and value' });
      if (b.action === 'assign' && !b.ownerId)
        ctx.addIssue({ code: 'custom', path: ['ownerId'], message: 'assign needs ownerId' });
      if ((b.action === 'add_tag' || b.action === 'remove_tag') && !b.tag)
        ctx.addIssue({ code: 'custom', path: ['tag'], message: `${b.action} needs tag` });
    });

const operation = z
  .object({
    id: z.uuid(),
    objectType: z.string(),
    action: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    total: z.number(),
    processed: z.number(),
    succeeded: z.number(),
    skipped: z.number(),
    errors: z.array(z.object({ id: z.string(), message: z.string() })),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    error: z
      .string()
      .nullable()
      .describe('Why the operation stopped, when its background job failed for good'),
  })
  .meta({ id: 'BulkOperation' });

function toAction(b: z.output<ReturnType<typeof bulkBody>>): BulkAction {
  switch (b.action) {
    case 'update':
      return { action: 'update', field: b.field ?? 'status', value: b.value ?? null };
    case 'assign':
      return { action: 'assign', ownerId: b.ownerId ?? '' };
    case 'add_tag':
    case 'remove_tag':
      return { action: b.action, tag: b.tag ?? '' };
    case 'delete':
      return { action: 'delete' };
  }
}

export const bulkRoutes = [
  ...(['contact', 'company'] as const).map((kind) => {
    const resource = kind === 'contact' ? 'contacts' : 'companies';
    return route({
      method: 'POST',
      path: `/api/v1/${resource}/bulk`,
      permission: `${resource}:read`,
      summary: `Update, assign, tag or delete many ${resource} (by ids or by filter); large sets run in the background`,
      tags: [resource],
      body: bulkBody(kind),
      response: {
        status: 200,
        schema: operation,
        description: '200 when finished inline, 202 when queued',
      },
      handler: async ({ ctx, body, reply }) => {
        const selection: BulkSelection = body.ids
          ? { ids: body.ids }
          : { filter: body.filter ?? {} };
        const { operation: op, inline } = await startBulk(ctx, kind, selection, toAction(body));
        if (!inline) void reply.status(202);
        return op;
      },
    });
  }),
  route({
    method: 'GET',
    path: '/api/v1/bulk-operations/:id',
    permission: 'authenticated',
    summary: 'Progress of a bulk action',
    tags: ['contacts', 'companies'],
    params: idParams,
    response: { status: 200, schema: operation },
    handler: ({ ctx, params }) => getBulkOperation(ctx, params.id),
  }),
];
