import { z } from 'zod';
import type { RouteDef } from './route.js';
import { errorSchema } from './schemas.js';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const js = toSchema(schema, 'input');
  const props = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({ name, in: location, required: location === 'path' || required.has(name), schema: s }));
}

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Malformed request or invalid field (named in details)',
  '401': 'Not authenticated',
  '403': 'Not permitted',
  '404': 'Not found (or in another organization)',
  '429': 'Rate limited (see Retry-After)',
};

/** The OpenAPI 3.1 document, generated from the same zod schemas the server validates with. */
export function buildOpenApi(routes: readonly RouteDef[], info: { version: string; serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const error = { description: 'Error', content: { 'application/json': { schema: toSchema(errorSchema, 'output') } } };
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: Record<string, unknown> = {
      [String(r.response.status)]: {
        description: r.response.description ?? 'Success',
        ...(r.response.schema ? { content: { 'application/json': { schema: toSchema(r.response.schema, 'output') } } } : {}),
      },
    };
    for (const [status, description] of Object.entries(ERROR_STATUSES)) {
      if (r.permission === 'public' && (status === '401' || status === '403')) continue;
      responses[status] = { ...error, description };
    }
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      tags: r.tags,
      operationId: `${r.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/(^|[/-])([a-z])/g, (_m, _s: string, c: string) => c.toUpperCase())}`,
      'x-permission': r.permission,
      security: r.permission === 'public' ? [] : [{ bearer: [] }],
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Cerebro API', version: info.version, description: 'The Cerebro CRM REST API. Conventions: shared/API.md.' },
    servers: [{ url: info.serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Access token or API key' } } },
    paths,
  };
}
