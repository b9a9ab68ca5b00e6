import type { z } from 'zod';
import type { Ctx } from '../../platform/context/index.js';
import { idParams, listOf, route } from '../../platform/http/index.js';
import { listQuery } from './http-schemas.js';
import { parseIfMatch } from './record-access.js';

/** The services and schemas behind one record type's REST resource. */
interface RecordResource<T, C, U> {
  resource: string;
  singular: string;
  schema: z.ZodType;
  createBody: z.ZodType<C>;
  updateBody: z.ZodType<U>;
  list: (ctx: Ctx, query: Record<string, unknown>) => Promise<unknown>;
  /** Must do its work in one transaction of `ctx` (the create route is idempotency-atomic). */
  create: (ctx: Ctx, input: C) => Promise<T>;
  get: (ctx: Ctx, id: string) => Promise<T>;
  update: (ctx: Ctx, id: string, input: U, version?: number) => Promise<T>;
  remove: (ctx: Ctx, id: string) => Promise<void>;
  restore: (ctx: Ctx, id: string) => Promise<T>;
}

/** The six routes every record resource has (API.md): list, create, read, update, delete, restore. */
export function recordRoutes<T, C, U>(r: RecordResource<T, C, U>) {
  const { resource, singular } = r;
  const base = `/api/v1/${resource}`;
  return [
    route({
      method: 'GET',
      path: base,
      permission: `${resource}:read`,
      summary: `List ${resource}`,
      tags: [resource],
      query: listQuery,
      response: { status: 200, schema: listOf(r.schema) },
      handler: ({ ctx, req }) => r.list(ctx, req.query as Record<string, unknown>),
    }),
    route({
      method: 'POST',
      path: base,
      permission: `${resource}:create`,
      summary: `Create a ${singular}`,
      tags: [resource],
      // A create is one transaction of the caller's ctx: its Idempotency-Key commits with it.
      idempotency: 'atomic',
      body: r.createBody,
      response: { status: 201, schema: r.schema },
      handler: ({ ctx, body }) => r.create(ctx, body),
    }),
    route({
      method: 'GET',
      path: `${base}/:id`,
      permission: `${resource}:read`,
      summary: `Read a ${singular}`,
      tags: [resource],
      params: idParams,
      response: { status: 200, schema: r.schema },
      handler: ({ ctx, params }) => r.get(ctx, params.id),
    }),
    route({
      method: 'PATCH',
      path: `${base}/:id`,
      permission: `${resource}:update`,
      summary: `Update a ${singular} (If-Match: version)`,
      tags: [resource],
      params: idParams,
      body: r.updateBody,
      response: { status: 200, schema: r.schema },
      handler: ({ ctx, params, body, req }) =>
        r.update(ctx, params.id, body, parseIfMatch(req.headers['if-match'])),
    }),
    route({
      method: 'DELETE',
      path: `${base}/:id`,
      permission: `${resource}:delete`,
      summary: `Move a ${singular} to the trash`,
      tags: [resource],
      params: idParams,
      response: { status: 204 },
      handler: ({ ctx, params }) => r.remove(ctx, params.id),
    }),
    route({
      method: 'POST',
      path: `${base}/:id/restore`,
      permission: `${resource}:delete`,
      summary: `Restore a ${singular} from the trash`,
      tags: [resource],
      params: idParams,
      response: { status: 200, schema: r.schema },
      handler: ({ ctx, params }) => r.restore(ctx, params.id),
    }),
  ];
}
