import { z } from 'zod';
import type { RouteDef } from './route.js';
import { errorSchema } from './schemas.js';

type JsonSchema = Record<string, unknown>;

/** Named schemas (zod `.meta({ id })`), shared by every operation that uses them. */
type Components = Record<string, JsonSchema>;

/** Points `#/$defs/X` at the document's components, renaming input variants. */
function relocate(value: unknown, rename: (id: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => relocate(v, rename));
  if (!value || typeof value !== 'object') return value;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(value as JsonSchema)) {
    out[k] =
      k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
        ? `#/components/schemas/${rename(v.slice('#/$defs/'.length))}`
        : relocate(v, rename);
  }
  return out;
}

function schemaConverter(components: Components) {
  return (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const {
      $defs,
      $schema: _s,
      ...rest
    } = z.toJSONSchema(schema, {
      io,
      unrepresentable: 'any',
      target: 'draft-2020-12',
    }) as JsonSchema & { $defs?: Components };
    const rename = (id: string) => (io === 'output' ? id : `${id}Input`);
    for (const [id, def] of Object.entries($defs ?? {}))
      components[rename(id)] = relocate(def, rename) as JsonSchema;
    return relocate(rest, rename) as JsonSchema;
  };
}

function parameters(
  toSchema: ReturnType<typeof schemaConverter>,
  schema: z.ZodType | undefined,
  location: 'path' | 'query',
) {
  if (!schema) return [];
  const js = toSchema(schema, 'input');
  const props = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: s,
  }));
}

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Malformed request or invalid field (named in details)',
  '401': 'Not authenticated',
  '403': 'Not permitted',
  '404': 'Not found (or in another organization)',
  '429': 'Rate limited (see Retry-After)',
};

/** A request body's media types: JSON, and a form post where the route accepts one. */
const requestContent = (schema: JsonSchema, acceptsForm: boolean) => ({
  'application/json': { schema },
  ...(acceptsForm ? { 'application/x-www-form-urlencoded': { schema } } : {}),
});

/** The OpenAPI 3.1 document, generated from the same zod schemas the server validates with. */
export function buildOpenApi(
  routes: readonly RouteDef[],
  info: { version: string; serverUrl: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Components = {};
  const toSchema = schemaConverter(components);
  const error = {
    description: 'Error',
    content: { 'application/json': { schema: toSchema(errorSchema, 'output') } },
  };
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: Record<string, unknown> = {
      [String(r.response.status)]: {
        description: r.response.description ?? 'Success',
        ...(r.response.schema
          ? { content: { 'application/json': { schema: toSchema(r.response.schema, 'output') } } }
          : {}),
      },
    };
    for (const [status, description] of Object.entries(ERROR_STATUSES)) {
      if (r.permission === 'public' && (status === '401' || status === '403')) continue;
      responses[status] = { ...error, description };
    }
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: r.tags,
      operationId: `${r.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/(^|[/-])([a-z])/g, (_m, _s: string, c: string) => c.toUpperCase())}`,
      'x-permission': r.permission,
      security: r.permission === 'public' ? [] : [{ bearer: [] }],
      parameters: [
        ...parameters(toSchema, r.params, 'path'),
        ...parameters(toSchema, r.query, 'query'),
      ],
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: requestContent(toSchema(r.body, 'input'), r.acceptsForm === true),
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cerebro API',
      version: info.version,
      description: 'The Cerebro CRM REST API. Conventions: shared/API.md.',
    },
    servers: [{ url: info.serverUrl }],
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Access token or API key' },
      },
    },
    paths,
  };
}
