import { z } from 'zod';
import { authorize } from '../../platform/authz/index.js';
import { errors } from '../../platform/errors/index.js';
import { idParams, parseIfMatch, route } from '../../platform/http/index.js';
import type { ObjectDefinition } from '../../platform/objects/index.js';
import { mergeRecords, undoMerge } from './merge.js';

const mergeBody = z
  .object({
    sourceIds: z.array(z.uuid()).min(1, 'name at least one record to merge').max(10),
    fields: z
      .record(z.string().max(40), z.uuid())
      .optional()
      .describe('field → id of the record whose value the survivor keeps'),
  })
  .strict();

const mergeAnswer = (survivor: z.ZodType) => z.object({ mergeId: z.uuid(), survivor });

/**
 * `POST /api/v1/<resource>/:id/merge` for each declared object that can be merged (its `merge`
 * capability): the same body, answer and rules for every object, contacts' and companies' too.
 */
export const mergeRoutesOf = (defs: readonly ObjectDefinition[]) =>
  defs
    .filter((def) => def.capabilities.merge && def.table && def.lifecycle)
    .map((def) =>
      route({
        method: 'POST',
        path: `/api/v1/${def.resource}/:id/merge`,
        permission: `${def.resource}:update`,
        summary: `Merge ${def.labels.plural.toLowerCase()} into this one (undoable for 30 days)`,
        tags: [def.resource],
        params: idParams,
        body: mergeBody,
        response: { status: 200, schema: mergeAnswer(def.schema) },
        handler: ({ ctx, params, body, req }) =>
          mergeRecords(ctx, def.key, params.id, body, parseIfMatch(req.headers['if-match'])),
      }),
    );

/**
 * The same for objects defined as data (`/api/v1/{resource}` of an admin's object); a declared
 * object's own route above answers for it first.
 */
export const customMergeRoute = route({
  method: 'POST',
  path: '/api/v1/:resource/:id/merge',
  permission: 'authenticated',
  summary: "Merge a custom object's records into this one (undoable for 30 days)",
  tags: ['custom objects'],
  params: z.object({ resource: z.string().max(80), id: z.uuid() }),
  body: mergeBody,
  response: { status: 200, schema: mergeAnswer(z.record(z.string(), z.unknown())) },
  handler: async ({ ctx, params, body, req }) => {
    const source = ctx.deps.modules.objectSource;
    if (!source) throw errors.notFound('Object');
    const object = (await ctx.tx((tx) => source.list(tx, ctx.organizationId))).find(
      (o) => o.resource === params.resource,
    );
    if (!object?.capabilities.merge) throw errors.notFound('Object');
    authorize(ctx, `${object.permission}:update`);
    return mergeRecords(ctx, object.key, params.id, body, parseIfMatch(req.headers['if-match']));
  },
});

/** Undoing any merge, of any object, within 30 days. */
export const mergeRoutes = [
  route({
    method: 'POST',
    path: '/api/v1/merges/:id/undo',
    permission: 'authenticated',
    summary: 'Undo a merge: the sources come back with their values and relations',
    tags: ['contacts', 'companies', 'merges'],
    params: idParams,
    response: {
      status: 200,
      schema: z.object({
        // The survivor in its object's API shape: a contact, a company, a lead, a custom record…
        survivor: z.record(z.string(), z.unknown()),
        restoredIds: z.array(z.uuid()),
      }),
    },
    handler: ({ ctx, params }) => undoMerge(ctx, params.id),
  }),
];
