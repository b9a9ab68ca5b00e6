import type { z } from 'zod';
import type { Ctx } from '../context/index.js';
import { errors } from '../errors/index.js';
import { route, type RouteDef, type RoutePermission } from './route.js';
import { idParams, listOf, pageOfAll, pageQuery, type PageRequest } from './schemas.js';

type Permission = Exclude<RoutePermission, 'public'>;

/** How the OpenAPI document describes one route of a collection. */
interface RouteDoc {
  summary: string;
  /** The longer contract, when the summary cannot carry it. */
  description?: string;
}

/** Who may call each route: one permission for all of them, or one per kind of action. */
export type CollectionPermissions =
  Permission | { read: Permission; create: Permission; update: Permission; delete: Permission };

/**
 * A small collection that its service answers whole (price lists, products, quotas, forms…):
 * the routes it has, each with its service call. A route left out is not served.
 */
export interface CollectionResource<T, C, U, Q extends PageRequest = PageRequest> {
  /** The collection's path, `/api/v1/price-lists`; item routes add `/:id`. */
  path: string;
  tags: string[];
  permissions: CollectionPermissions;
  /** The schema of one item, as every route but delete answers it. */
  schema: z.ZodType;
  /** `GET path`: the whole collection, paged here by `pageOfAll`. */
  list?: RouteDoc & {
    /** Defaults to `pageQuery`; a collection with filters extends it. */
    query?: z.ZodType<Q>;
    run: (ctx: Ctx, query: Q) => Promise<readonly T[]>;
  };
  /** `POST path`, answering 201 with the new item. */
  create?: RouteDoc & { body: z.ZodType<C>; run: (ctx: Ctx, body: C) => Promise<T> };
  /** `GET path/:id`. */
  read?: RouteDoc & { run: (ctx: Ctx, id: string) => Promise<T> };
  /** `PATCH path/:id`; `version` is the `If-Match` header's, when the client sent one. */
  update?: RouteDoc & {
    body: z.ZodType<U>;
    run: (ctx: Ctx, id: string, body: U, version: number | undefined) => Promise<T>;
  };
  /** `DELETE path/:id`, answering 204. */
  remove?: RouteDoc & { run: (ctx: Ctx, id: string) => Promise<void> };
}

/**
 * The list, create, read, update (with If-Match) and delete routes of a small collection, in
 * that order. Record objects with a trash use the records module's `recordRoutes` instead: they
 * page in SQL, filter by field and restore.
 */
export function collectionRoutes<T, C, U, Q extends PageRequest = PageRequest>(
  r: CollectionResource<T, C, U, Q>,
): RouteDef[] {
  const { path, tags, schema } = r;
  const allowed = (action: 'read' | 'create' | 'update' | 'delete'): Permission =>
    typeof r.permissions === 'string' ? r.permissions : r.permissions[action];
  const doc = (d: RouteDoc) => ({
    summary: d.summary,
    ...(d.description === undefined ? {} : { description: d.description }),
  });
  const routes: RouteDef[] = [];
  const { list, create, read, update, remove } = r;
  if (list) {
    // Without a query of its own the collection takes pageQuery, whose output is a PageRequest.
    const query = list.query ?? (pageQuery as z.ZodType<PageRequest> as z.ZodType<Q>);
    routes.push(
      route({
        method: 'GET',
        path,
        permission: allowed('read'),
        ...doc(list),
        tags,
        query,
        response: { status: 200, schema: listOf(schema) },
        handler: async ({ ctx, query }) => pageOfAll(await list.run(ctx, query), query),
      }),
    );
  }
  if (create)
    routes.push(
      route({
        method: 'POST',
        path,
        permission: allowed('create'),
        ...doc(create),
        tags,
        body: create.body,
        response: { status: 201, schema },
        handler: ({ ctx, body }) => create.run(ctx, body),
      }),
    );
  if (read)
    routes.push(
      route({
        method: 'GET',
        path: `${path}/:id`,
        permission: allowed('read'),
        ...doc(read),
        tags,
        params: idParams,
        response: { status: 200, schema },
        handler: ({ ctx, params }) => read.run(ctx, params.id),
      }),
    );
  if (update)
    routes.push(
      route({
        method: 'PATCH',
        path: `${path}/:id`,
        permission: allowed('update'),
        ...doc(update),
        tags,
        params: idParams,
        body: update.body,
        response: { status: 200, schema },
        handler: ({ ctx, params, body, req }) =>
          update.run(ctx, params.id, body, parseIfMatch(req.headers['if-match'])),
      }),
    );
  if (remove)
    routes.push(
      route({
        method: 'DELETE',
        path: `${path}/:id`,
        permission: allowed('delete'),
        ...doc(remove),
        tags,
        params: idParams,
        response: { status: 204 },
        handler: ({ ctx, params }) => remove.run(ctx, params.id),
      }),
    );
  return routes;
}

/**
 * Parses an `If-Match` header (API.md): a version number, optionally quoted or weak (ETag style);
 * absent or `*` means "whatever the version is". Anything else answers 400 naming the header.
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string' || header === '*') return undefined;
  const n = Number(header.replace(/^W\//, '').replace(/"/g, ''));
  if (!Number.isInteger(n) || n < 1)
    throw errors.validation([{ path: 'If-Match', message: "must be the record's version number" }]);
  return n;
}
