import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { can, type Actor } from '../authz/index.js';
import { createCtx, type Ctx, type Deps } from '../context/index.js';
import { safeEqual } from '../crypto/index.js';
import { DomainError, errors } from '../errors/index.js';
import { loggerOptions } from '../logging/index.js';
import { createMetrics, type Metrics } from '../metrics/index.js';
import { discardBody } from './drain.js';
import { MAX_PARAM_LENGTH, sendError, zodDetails } from './errors.js';
import { withIdempotency } from './idempotency.js';
import { JsonText } from './json-text.js';
import { unstorableInput, unstorableQuery } from './input-guard.js';
import { buildOpenApi } from './openapi.js';
import type { RouteDef } from './route.js';

/** The result of reading credentials from a request. */
export interface Authentication {
  actor: Actor;
  /** Cookie-authenticated unsafe requests must also carry the CSRF token. */
  via: 'bearer' | 'cookie';
}

/** Resolves a request's credentials; null when it carries none, a DomainError when they are bad. */
export type Authenticate = (req: FastifyRequest, deps: Deps) => Promise<Authentication | null>;

/** A dependency /readyz checks. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

export interface AppOptions {
  deps: Deps;
  routes: readonly RouteDef[];
  authenticate: Authenticate;
  readiness?: readonly ReadinessCheck[];
  /** Built web app to serve (with SPA fallback); skipped when absent. */
  webDist?: string;
  version?: string;
  /** Whether pino writes request logs (off in tests). */
  logRequests?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    ctx: Ctx | null;
  }
  interface FastifyContextConfig {
    /** The route opted in to form posts (RouteDef.acceptsForm). */
    acceptsForm?: boolean;
  }
}

export const CSRF_COOKIE = 'cerebro_csrf';
/** The largest uploaded file (imports); the web app checks the same number (web/src/lib/file-size.ts). */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
const REQUEST_ID = /^[\w.:-]{1,128}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function parse<S extends z.ZodType>(
  schema: S | undefined,
  value: unknown,
  prefix: string,
): z.output<S> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? (prefix === 'body' ? undefined : {}));
  if (!result.success) {
    throw errors.validation(zodDetails(result.error, prefix === 'body' ? '' : ''));
  }
  return result.data;
}

/** Builds the HTTP app: the route table, the error shape, auth, security headers, health and docs. */
export async function buildApp(
  options: AppOptions,
): Promise<{ app: FastifyInstance; metrics: Metrics }> {
  const { deps } = options;
  const { config } = deps;
  const metrics = createMetrics(options.logRequests !== false, {
    jobOutcomes: () => deps.jobs.outcomes(),
  });
  const answerError = (err: unknown, req: FastifyRequest, reply: FastifyReply) =>
    answerWithError(err, req, reply, metrics, config.http.bodyDrainLimit);
  const app = Fastify({
    logger: options.logRequests === false ? false : loggerOptions(config.logLevel),
    bodyLimit: config.http.bodyLimit,
    trustProxy: config.http.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : uuidv7();
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors the router raises before any hook runs (bad percent-encoding, overlong parameter)
    // answer in the contract's shape too, with the request id that onRequest would have set.
    frameworkErrors: (err, req, reply) => {
      void reply.header('X-Request-Id', req.id);
      void answerError(err, req, reply);
    },
  });
  // Only JSON bodies: anything else is a 415 rather than a silently misread body.
  app.removeContentTypeParser('text/plain');
  // Form posts only where a route opted in (public web forms); elsewhere the same 415.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (req, body, done) => {
      if (req.routeOptions.config.acceptsForm !== true) {
        done(
          new DomainError(
            'unsupported_media_type',
            'UNSUPPORTED_MEDIA_TYPE',
            'Send the body as application/json',
          ),
        );
        return;
      }
      done(null, parseFormBody(String(body)));
    },
  );

  await app.register(cookie);
  // File uploads (imports) stream to disk; the JSON body limit does not apply to them.
  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 100_000 },
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Radix and the charts set inline style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only makes sense behind TLS; on plain-HTTP localhost it would lock browsers out.
    hsts: config.http.trustProxy ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });

  app.decorateRequest('ctx', null);
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('X-Request-Id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.httpDuration.observe(
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  app.setErrorHandler(answerError);

  const indexHtml =
    options.webDist && existsSync(path.join(options.webDist, 'index.html'))
      ? options.webDist
      : null;
  app.setNotFoundHandler((req, reply) => {
    if (
      indexHtml &&
      req.method === 'GET' &&
      !req.url.startsWith('/api/') &&
      (req.headers.accept ?? '').includes('text/html')
    ) {
      return reply.type('text/html').sendFile('index.html', indexHtml);
    }
    return sendError(
      new DomainError(
        'not_found',
        'ROUTE_NOT_FOUND',
        `No route ${req.method} ${req.url.split('?')[0]}`,
      ),
      req,
      reply,
    );
  });

  for (const r of options.routes) registerRoute(app, r, options);

  const openapi = buildOpenApi(options.routes, {
    version: options.version ?? '0.1.0',
    serverUrl: config.http.publicUrl,
  });
  app.get('/api/openapi.json', async () => openapi);
  await app.register(swagger, { mode: 'static', specification: { document: openapi as never } });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const checks = await Promise.all(
      (options.readiness ?? []).map(async (c) => ({
        name: c.name,
        ok: await c.check().catch(() => false),
      })),
    );
    const ready = checks.every((c) => c.ok);
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not_ready',
      checks: Object.fromEntries(checks.map((c) => [c.name, c.ok ? 'ok' : 'failing'])),
    });
  });
  app.get('/metrics', async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.get('/api/v1/ping', async () => ({ pong: true }));

  if (indexHtml) {
    // The build writes .br/.gz copies (web/precompress.ts): sent as the browser accepts, never
    // compressed per request. Hashed assets never change under their name, so they are cached for good.
    await app.register(fastifyStatic, {
      root: indexHtml,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      maxAge: '1h',
      preCompressed: true,
      setHeaders: (res, file) => {
        if (file.includes(`${path.sep}assets${path.sep}`))
          void res.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    });
  }
  return { app, metrics };
}

/** Counts and answers an error; a refused body still arriving is read first (see discardBody). */
async function answerWithError(
  err: unknown,
  req: FastifyRequest,
  reply: FastifyReply,
  metrics: Metrics,
  drainLimit: number,
): Promise<FastifyReply> {
  metrics.httpErrors.inc({ code: err instanceof DomainError ? err.code : 'INTERNAL' });
  // Closing while a client still sends resets the connection before it reads the answer; a body
  // too large even to discard gets the answer and a closed connection.
  if (!(await discardBody(req.raw, drainLimit))) void reply.header('Connection', 'close');
  return sendError(err, req, reply);
}

async function requireActor(req: FastifyRequest, r: RouteDef, options: AppOptions): Promise<Ctx> {
  const auth = await options.authenticate(req, options.deps);
  if (!auth) throw errors.unauthenticated();
  if (auth.via === 'cookie' && !SAFE_METHODS.has(req.method)) {
    const header = req.headers['x-csrf-token'];
    const cookieValue = req.cookies[CSRF_COOKIE];
    if (typeof header !== 'string' || !cookieValue || !safeEqual(header, cookieValue)) {
      throw new DomainError(
        'forbidden',
        'CSRF_TOKEN_INVALID',
        'Missing or wrong X-CSRF-Token header',
      );
    }
  }
  if (r.permission !== 'authenticated' && !can(auth.actor, r.permission)) {
    throw new DomainError(
      'forbidden',
      'FORBIDDEN',
      `You do not have permission (${r.permission})`,
      { details: { permission: r.permission } },
    );
  }
  return createCtx(options.deps, auth.actor, String(req.id), req.log);
}

/** A urlencoded body as an object: one string per name, an array for a repeated name. */
function parseFormBody(body: string): Record<string, string | string[]> {
  const fields = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const prior = fields.get(name);
    fields.set(
      name,
      prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value],
    );
  }
  // fromEntries defines own properties, so a field named __proto__ stays a plain field.
  return Object.fromEntries(fields);
}

function registerRoute(app: FastifyInstance, r: RouteDef, options: AppOptions): void {
  app.route({
    method: r.method,
    url: r.path,
    config: { acceptsForm: r.acceptsForm === true },
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const ctx = r.permission === 'public' ? null : await requireActor(req, r, options);
      req.ctx = ctx;
      rejectUnstorable(req);
      const params = parse(r.params, req.params, 'params');
      const query = parse(r.query, req.query, 'query');
      if (r.body && (req.body === undefined || req.body === null)) {
        throw errors.validation([{ path: '', message: 'a JSON body is required' }]);
      }
      const body = parse(r.body, req.body, 'body');
      const run = async () => {
        const input = { params, query, body, req, reply };
        const result = ctx
          ? await (
              r as Extract<RouteDef, { permission: Exclude<RouteDef['permission'], 'public'> }>
            ).handler({ ...input, ctx })
          : await (r as Extract<RouteDef, { permission: 'public' }>).handler({
              ...input,
              deps: options.deps,
            });
        return {
          status: reply.statusCode !== 200 ? reply.statusCode : r.response.status,
          body: result,
        };
      };
      const key = req.headers['idempotency-key'];
      if (ctx && r.method === 'POST' && r.idempotent !== false && typeof key === 'string') {
        const answer = await withIdempotency(
          ctx,
          key,
          { method: r.method, path: req.url.split('?')[0] ?? '', body: req.body },
          run,
          r.idempotency ?? 'first-transaction',
        );
        if (answer.replayed) void reply.header('Idempotent-Replayed', 'true');
        return send(reply, answer.status, answer.body);
      }
      const answer = await run();
      return send(reply, answer.status, answer.body);
    },
  });
}

/**
 * Refuses, for every route at once, input that PostgreSQL cannot store (NUL, unpaired surrogates)
 * or that nests absurdly deep, naming each field; handlers and services never see it.
 */
function rejectUnstorable(req: FastifyRequest): void {
  const problems = [
    ...unstorableInput(req.params),
    ...unstorableQuery(req.query),
    ...unstorableInput(req.body),
  ];
  if (problems.length > 0) throw errors.validation(problems);
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  if (reply.sent) return reply;
  if (status === 204 || body === undefined) return reply.status(status).send();
  // A string with a JSON content type goes out as it is: Fastify does not serialize it again.
  if (body instanceof JsonText)
    return reply.status(status).type('application/json; charset=utf-8').send(body.text);
  return reply.status(status).send(body);
}
