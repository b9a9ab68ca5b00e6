/**
 * Bad requests derived from the OpenAPI document alone, so a new route is fuzzed without a test
 * of its own. Everything is enumerated deterministically: the same document gives the same cases.
 */

/** A JSON schema node as the document prints it. */
export type JsonSchema = { [key: string]: unknown };

/** One operation of the document. */
export interface Operation {
  method: string;
  /** OpenAPI path template: `/api/v1/teams/{id}`. */
  path: string;
  permission: string;
  pathParams: string[];
  query: Array<{ name: string; schema: JsonSchema }>;
  /** The JSON request body's schema, refs resolved lazily through `resolve`. */
  body: JsonSchema | null;
  acceptsForm: boolean;
}

/** One request to send. */
export interface FuzzCase {
  op: Operation;
  /** What the case tries, for the failure report. */
  label: string;
  url: string;
  payload?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

interface Document {
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** A uuid no record has. */
export const ABSENT_ID = '0190a000-dead-7000-8000-00000000beef';
const LONG = 'x'.repeat(100_000);
/** Path segments a router, a decoder or a uuid column may choke on. */
const BAD_SEGMENTS = [
  '%C3%28',
  'a'.repeat(5000),
  '..%2f..%2fetc%2fpasswd',
  'not-a-uuid',
  'a%00b',
  '%F0%9F',
  '-1',
  '__proto__',
];
/** Query strings every operation gets, documented or not. */
const ODD_QUERIES = [
  'fuzzUnknown=1',
  '__proto__=1',
  'constructor[prototype][polluted]=1',
  'filter[__proto__][eq]=1',
  'filter[toString]=1',
  'filter[constructor][eq]=1',
  'filter[hasOwnProperty]=1',
  'filter[lastName]=a%00b',
  'filter[name][nope]=1',
  'filter=1',
  'sort=__proto__',
  'sort=-toString,constructor',
  'q=a%00b',
  'q=%FF%FE',
  `q=${'q'.repeat(10_000)}`,
  'limit=-1',
  'limit=1e400',
  'limit=abc',
  'cursor=%00',
  'cursor=bm90IGEgY3Vyc29y',
  'count=maybe',
];
/** Headers with a meaning to the API (versions, idempotency), given odd values. */
const ODD_HEADERS: Array<Record<string, string>> = [
  { 'if-match': 'abc' },
  { 'if-match': '1e400' },
  { 'if-match': '-1' },
  { 'idempotency-key': 'k'.repeat(5000) },
  { 'idempotency-key': '' },
  { 'x-request-id': 'r'.repeat(500) },
  { 'content-type': 'application/json; charset=latin1' },
];
/** Values every query parameter is given in turn. */
const ODD_QUERY_VALUES = [
  'a%00b',
  '%FF',
  'x'.repeat(10_000),
  '',
  'true&$=1',
  '-1',
  '2024-13-45',
  'null',
];

/** Reads the operations of an OpenAPI document. */
export function operationsOf(doc: Document): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, o] of Object.entries(methods)) {
      const params = (o.parameters ?? []) as Array<{
        name: string;
        in: string;
        schema: JsonSchema;
      }>;
      const content = (
        o.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined
      )?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        permission: String(o['x-permission']),
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema })),
        body: content?.['application/json']?.schema ?? null,
        acceptsForm: content?.['application/x-www-form-urlencoded'] !== undefined,
      });
    }
  }
  return ops;
}

/** Follows `$ref`s into the document's components. */
export function resolver(doc: Document): (s: JsonSchema) => JsonSchema {
  const resolve = (s: JsonSchema): JsonSchema => {
    const ref = s.$ref;
    if (typeof ref !== 'string') return s;
    return resolve(doc.components.schemas[ref.replace('#/components/schemas/', '')] ?? {});
  };
  return resolve;
}

const STRING_CANDIDATES = [
  'fuzz',
  'fuzz@example.com',
  ABSENT_ID,
  '2024-01-02T03:04:05.000Z',
  '2024-01-02',
  'https://example.com/hook',
  'USD',
  'fuzz_key',
  'a',
  'contact',
  '+15555550100',
  '08:00',
];

function sampleString(s: JsonSchema): string {
  if (Array.isArray(s.enum) && s.enum.length > 0) return String(s.enum[0]);
  const format = typeof s.format === 'string' ? s.format : '';
  const byFormat: Record<string, string> = {
    email: 'fuzz@example.com',
    uuid: ABSENT_ID,
    'date-time': '2024-01-02T03:04:05.000Z',
    date: '2024-01-02',
    uri: 'https://example.com/hook',
    url: 'https://example.com/hook',
  };
  const pattern = typeof s.pattern === 'string' ? new RegExp(s.pattern) : null;
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  const fits = (v: string) => v.length >= min && v.length <= max && (!pattern || pattern.test(v));
  const preferred = byFormat[format];
  if (preferred && fits(preferred)) return preferred;
  return STRING_CANDIDATES.find(fits) ?? 'f'.repeat(Math.max(min, 1));
}

/** A value the schema probably accepts, so one mutated field is what a case tests. */
export function sample(
  schema: JsonSchema,
  resolve: (s: JsonSchema) => JsonSchema,
  depth = 0,
): unknown {
  const s = resolve(schema);
  if (depth > 6) return null;
  if ('const' in s) return s.const;
  const variants = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (variants) {
    const first = variants.map(resolve).find((v) => v.type !== 'null') ?? variants[0] ?? {};
    return sample(first, resolve, depth + 1);
  }
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  switch (s.type) {
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? Math.max(s.minimum, 0) : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const count = typeof s.minItems === 'number' ? s.minItems : 0;
      return Array.from({ length: count }, () =>
        sample((s.items as JsonSchema | undefined) ?? {}, resolve, depth + 1),
      );
    }
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = (s.required ?? []) as string[];
      return Object.fromEntries(
        required.map((k) => [k, sample(props[k] ?? {}, resolve, depth + 1)]),
      );
    }
    default:
      return 'fuzz';
  }
}

/** Values each body property is given in turn: wrong types, nulls, hostile strings and keys. */
const BAD_VALUES: Array<[string, unknown]> = [
  ['a number', 12345.5],
  ['a string', 'fuzz'],
  ['null', null],
  ['a boolean', false],
  ['an array', ['a', 1, null]],
  ['an object', { a: 1 }],
  ['100k characters', LONG],
  ['NUL', 'a\u0000b'],
  ['a lone surrogate', 'a\ud800b'],
  ['an object with NUL in a key', { 'k\u0000': 'v' }],
  ['a negative huge number', -1e308],
];

/** JSON texts that JSON.stringify cannot produce, spliced in as a property's value. */
const RAW_VALUES: Array<[string, string]> = [
  ['5,000 nested arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  [
    'a __proto__ object',
    '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  ],
];

/** The URL of an operation with its path parameters filled. */
export function urlOf(op: Operation, fill: (name: string) => string, query = ''): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => fill(name));
  return query ? `${path}?${query}` : path;
}

function bodyCases(op: Operation, resolve: (s: JsonSchema) => JsonSchema, url: string): FuzzCase[] {
  if (!op.body) return [];
  const json = 'application/json';
  const base = sample(op.body, resolve);
  const baseObject =
    typeof base === 'object' && base !== null && !Array.isArray(base)
      ? (base as Record<string, unknown>)
      : {};
  const cases: FuzzCase[] = [
    { op, label: 'an empty JSON body', url, payload: '', contentType: json },
    ...[
      'null',
      '[]',
      '"s"',
      '1',
      'true',
      '{"a":',
      `{"a":"\\ud800"}`,
      '{"__proto__":{"polluted":true}}',
    ].map((payload) => ({
      op,
      label: `body ${payload}`,
      url,
      payload,
      contentType: json,
    })),
    {
      op,
      label: 'a body as text/plain',
      url,
      payload: JSON.stringify(baseObject),
      contentType: 'text/plain',
    },
    {
      op,
      label: 'invalid UTF-8 bytes in a string',
      url,
      payload: Buffer.concat([
        Buffer.from('{"fuzz":"'),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from('"}'),
      ]),
      contentType: json,
    },
    {
      op,
      label: 'a body nested 5,000 levels',
      url,
      payload: `${'['.repeat(5000)}${']'.repeat(5000)}`,
      contentType: json,
    },
  ];
  if (op.acceptsForm) {
    cases.push({
      op,
      label: 'a form with NUL and __proto__',
      url,
      payload: 'name=a%00b&__proto__=x&constructor=y&email=%ED%A0%80',
      contentType: 'application/x-www-form-urlencoded',
    });
  }
  const props = Object.keys(resolve(op.body).properties ?? {});
  for (const prop of props) {
    for (const [label, value] of BAD_VALUES) {
      cases.push({
        op,
        label: `${prop} = ${label}`,
        url,
        payload: JSON.stringify({ ...baseObject, [prop]: value }),
        contentType: json,
      });
    }
    for (const [label, raw] of RAW_VALUES) {
      const rest = JSON.stringify({ ...baseObject, [prop]: undefined }).slice(1, -1);
      cases.push({
        op,
        label: `${prop} = ${label}`,
        url,
        payload: `{${rest ? `${rest},` : ''}${JSON.stringify(prop)}:${raw}}`,
        contentType: json,
      });
    }
  }
  return cases;
}

/** Every bad request of one operation: path, query and body, each varied on its own. */
export function casesOf(op: Operation, resolve: (s: JsonSchema) => JsonSchema): FuzzCase[] {
  const url = urlOf(op, () => ABSENT_ID);
  const validBody = op.body ? JSON.stringify(sample(op.body, resolve)) : undefined;
  const withBody = (c: Omit<FuzzCase, 'payload' | 'contentType'>): FuzzCase =>
    validBody === undefined ? c : { ...c, payload: validBody, contentType: 'application/json' };
  const cases: FuzzCase[] = [];
  for (const name of op.pathParams) {
    for (const bad of BAD_SEGMENTS)
      cases.push(
        withBody({
          op,
          label: `path ${name} = ${bad.slice(0, 30)}`,
          url: urlOf(op, (n) => (n === name ? bad : ABSENT_ID)),
        }),
      );
  }
  for (const headers of ODD_HEADERS)
    cases.push({
      ...withBody({
        op,
        label: `header ${JSON.stringify(headers).slice(0, 40)}`,
        url,
      }),
      headers,
    });
  for (const query of ODD_QUERIES)
    cases.push(
      withBody({
        op,
        label: `query ${query.slice(0, 40)}`,
        url: urlOf(op, () => ABSENT_ID, query),
      }),
    );
  for (const { name } of op.query) {
    for (const value of ODD_QUERY_VALUES) {
      const q = `${encodeURIComponent(name)}=${value}`;
      cases.push(
        withBody({
          op,
          label: `query ${name} = ${value.slice(0, 30)}`,
          url: urlOf(op, () => ABSENT_ID, q),
        }),
      );
    }
    cases.push(
      withBody({
        op,
        label: `query ${name} repeated`,
        url: urlOf(op, () => ABSENT_ID, `${name}=a&${name}=b`),
      }),
    );
  }
  return [...cases, ...bodyCases(op, resolve, url)];
}
