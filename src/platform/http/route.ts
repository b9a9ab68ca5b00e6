import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Ctx, Deps } from '../context/index.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `resource:action`, `'authenticated'` (any signed-in actor) or `'public'` (spelled out on purpose). */
export type RoutePermission = 'public' | 'authenticated' | `${string}:${string}`;

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives once the request has been authenticated and validated. */
export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: FastifyRequest;
  reply: FastifyReply;
}

interface RouteBase<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
> {
  method: HttpMethod;
  /** Fastify path syntax: `/api/v1/users/:id`. */
  path: string;
  summary: string;
  /** The longer contract, when the summary cannot carry it (replace vs merge, what a change clears). */
  description?: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** The success status and, where there is a body, its schema (used for the OpenAPI document). */
  response: { status: number; schema?: Schema; description?: string };
  /**
   * Whether an `Idempotency-Key` replays the first answer (POST only, default true). Routes that
   * issue credentials opt out: replaying them would mean storing secrets at rest.
   */
  idempotent?: boolean;
  /**
   * `atomic` for a route whose work is one transaction of its ctx (no withSystem, no second
   * transaction): the Idempotency-Key's claim, the work and the answer then commit together, so
   * even a crash right after the work's commit replays the answer. Otherwise the claim commits
   * with the work's first transaction (see idempotency.ts).
   */
  idempotency?: 'atomic';
  /**
   * Also accept an HTML form post (`application/x-www-form-urlencoded`), read into an object of
   * strings (a repeated name becomes an array). For public form endpoints: every other route
   * stays JSON-only, so a cross-site form can never reach it.
   */
  acceptsForm?: boolean;
}

/** A route for signed-in actors: the handler gets a ctx scoped to the actor's organization. */
export interface AuthedRoute<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
> extends RouteBase<P, Q, B> {
  permission: Exclude<RoutePermission, 'public'>;
  handler: (input: HandlerInput<Out<P>, Out<Q>, Out<B>> & { ctx: Ctx }) => Promise<unknown>;
}

/** A route anyone may call; the handler gets the process adapters and decides its own tenant. */
export interface PublicRoute<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
> extends RouteBase<P, Q, B> {
  permission: 'public';
  handler: (input: HandlerInput<Out<P>, Out<Q>, Out<B>> & { deps: Deps }) => Promise<unknown>;
}

export type RouteDef = AuthedRoute | PublicRoute;

/** Declares a route for signed-in actors (infers the handler's types from the schemas). */
export function route<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(def: AuthedRoute<P, Q, B>): RouteDef {
  return def;
}

/** Declares a public route. */
export function publicRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(def: PublicRoute<P, Q, B>): RouteDef {
  return def;
}
