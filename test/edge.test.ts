import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOrganizations } from '../src/modules/identity/index.js';
import { registerOrganization, type TestUser } from './factories.js';
import { client, createTestApp, errorOf, type TestApp } from './harness.js';

// Regression probes of issue 11 (the HTTP edge), each exactly as the issue reported it.

const LISTS = ['contacts', 'companies', 'activities', 'leads', 'deals', 'tickets'];
const EXPORTS = ['contacts/export?format=csv', 'companies/export?format=csv'];
const UUID = '0190a000-0000-7000-8000-0000000000ff';

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await registerOrganization(t.app, 'Edge');
});
afterAll(async () => t.close());

/** Asserts the contract's error shape and returns the paths it names. */
function expectError(res: LightMyRequestResponse, status: number, code: string): string[] {
  expect(res.statusCode, res.body).toBe(status);
  const error = errorOf(res);
  expect(error.code).toBe(code);
  expect(error.traceId).toBe(res.headers['x-request-id']);
  return (error.details ?? []).map((d) => d.path);
}

const withQuery = (path: string, query: string) =>
  `/api/v1/${path}${path.includes('?') ? '&' : '?'}${query}`;

describe('text PostgreSQL cannot store is refused at the edge (item 3)', () => {
  it('refuses NUL in the unauthenticated register name, naming the field', async () => {
    const res = await client(t.app).post('/api/v1/auth/register', {
      email: 'nul@example.com',
      password: 'correct-horse-battery',
      name: 'a\u0000b',
      organizationName: 'Nul',
    });
    expect(expectError(res, 400, 'VALIDATION_FAILED')).toEqual(['name']);
  });

  it('refuses NUL in the public workflow hook payload, nested fields by their path', async () => {
    const res = await client(t.app).post(`/api/v1/workflow-hooks/${UUID}/token`, {
      order: { note: 'x\u0000' },
    });
    expect(expectError(res, 400, 'VALIDATION_FAILED')).toEqual(['order.note']);
  });

  it.each(['teams', 'views', 'pipelines'])(
    'refuses a lone surrogate on POST /%s',
    async (resource) => {
      const res = await client(t.app, admin.token).post(`/api/v1/${resource}`, {
        name: '\ud800',
        objectType: 'contact',
        stages: [],
      });
      expect(expectError(res, 400, 'VALIDATION_FAILED')).toContain('name');
    },
  );

  it('refuses NUL in a custom field value and in a JSON field name', async () => {
    const api = client(t.app, admin.token);
    const value = await api.post('/api/v1/contacts', {
      firstName: 'Ada',
      customFields: { note: 'a\u0000' },
    });
    expect(expectError(value, 400, 'VALIDATION_FAILED')).toEqual(['customFields.note']);
    const key = await api.post('/api/v1/contacts', {
      firstName: 'Ada',
      customFields: { 'a\u0000': 'b' },
    });
    expect(expectError(key, 400, 'VALIDATION_FAILED')).toEqual(['customFields']);
  });

  it.each([...LISTS, ...EXPORTS, 'search'])(
    'refuses NUL in q and in filter[lastName] on %s',
    async (path) => {
      const api = client(t.app, admin.token);
      expect(
        expectError(await api.get(withQuery(path, 'q=a%00b')), 400, 'VALIDATION_FAILED'),
      ).toEqual(['q']);
      if (path === 'search') return;
      expect(
        expectError(
          await api.get(withQuery(path, 'filter[lastName]=a%00b')),
          400,
          'VALIDATION_FAILED',
        ),
      ).toEqual(['filter[lastName]']);
    },
  );

  it('refuses NUL in an uploaded file name (multipart bypasses the JSON check)', async () => {
    const boundary = '----edge';
    const payload = [
      `--${boundary}\r\nContent-Disposition: form-data; name="objectType"\r\n\r\ncontact\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.csv"\r\n`,
      `Content-Type: text/csv\r\n\r\nemail\r\na@b.co\r\n--${boundary}--\r\n`,
    ].join('');
    const headers = {
      authorization: `Bearer ${admin.token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    };
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', headers, payload });
    expect(expectError(res, 400, 'VALIDATION_FAILED')).toEqual(['file']);
  });

  it('refuses JSON nested thousands of levels deep instead of recursing into it', async () => {
    const deep = `{"firstName":"Ada","customFields":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: {
        authorization: `Bearer ${admin.token}`,
        'content-type': 'application/json',
      },
      payload: deep,
    });
    expect(expectError(res, 400, 'VALIDATION_FAILED')[0]).toMatch(/^customFields\.x(\.0)*$/);
  });

  it('still stores ordinary text with emoji (a paired surrogate)', async () => {
    const res = await client(t.app, admin.token).post('/api/v1/teams', {
      name: 'Team 🚀',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().name).toBe('Team 🚀');
  });
});

describe('filter and sort field names are looked up as own fields only (item 4)', () => {
  const probes = [
    'filter[__proto__][eq]=1',
    'filter[toString]=1',
    'filter[constructor][eq]=1',
    'filter[hasOwnProperty]=1',
  ];
  it.each([...LISTS, ...EXPORTS])('answers 400 naming the filter on %s', async (path) => {
    const api = client(t.app, admin.token);
    for (const probe of probes) {
      const name = probe.split('=')[0] ?? '';
      expect(expectError(await api.get(withQuery(path, probe)), 400, 'VALIDATION_FAILED')).toEqual([
        name,
      ]);
    }
    for (const sort of ['__proto__', 'toString', '-constructor']) {
      expect(
        expectError(await api.get(withQuery(path, `sort=${sort}`)), 400, 'VALIDATION_FAILED'),
      ).toEqual(['sort']);
    }
  });

  it('still filters on a real field', async () => {
    const res = await client(t.app, admin.token).get('/api/v1/contacts?filter[lastName]=Nobody');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toEqual([]);
  });
});

describe('framework errors answer in the contract shape (item 5)', () => {
  it('answers a bad percent-encoding in the path with 400 MALFORMED_URL and a trace id', async () => {
    const res = await client(t.app, admin.token).get('/api/v1/teams/%C3%28');
    expectError(res, 400, 'MALFORMED_URL');
    expect(res.body).not.toContain('FST_');
  });

  it("answers a 5,000-character path parameter with 400, not Fastify's 414", async () => {
    const res = await client(t.app, admin.token).get(`/api/v1/teams/${'a'.repeat(5000)}`);
    expectError(res, 400, 'MALFORMED_URL');
    expect(res.body).not.toContain('FST_');
  });

  it.each([
    ['invalid JSON', 'application/json', '{"email":', 400, 'MALFORMED_JSON'],
    ['an empty JSON body', 'application/json', '', 400, 'MALFORMED_JSON'],
    ['an unsupported content type', 'text/csv', 'a,b', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'a body over the limit',
      'application/json',
      JSON.stringify({ email: 'x'.repeat(2 * 1024 * 1024) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ] as const)('answers %s in the shape', async (_name, type, payload, status, code) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': type },
      payload,
    });
    expect(res.statusCode, res.body).toBe(status);
    expect(errorOf(res).code).toBe(code);
    expect(errorOf(res).traceId).toBe(res.headers['x-request-id']);
    expect(res.body).not.toContain('FST_');
  });
});

describe('a database refusal a request caused is not a crash (found by the fuzz)', () => {
  it('answers the loser of two simultaneous registrations of one email with 409', async () => {
    const payload = {
      email: 'race@example.com',
      password: 'correct-horse-battery',
      name: 'Race',
      organizationName: 'Race',
    };
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload,
          remoteAddress: '10.9.9.9',
        }),
      ),
    );
    const statuses = answers.map((r) => r.statusCode).sort();
    expect(statuses[0]).toBe(201);
    expect(statuses.slice(1)).toEqual([409, 409]);
    for (const r of answers.filter((a) => a.statusCode === 409)) {
      expect(r.body).not.toMatch(/users_email|duplicate key/);
      expect(errorOf(r)).toMatchObject({
        code: 'IDENTITY_EMAIL_TAKEN',
        details: { path: 'email' },
        traceId: expect.any(String),
      });
    }
    // The losers' organizations are taken back: one sign-up, one organization.
    expect((await listOrganizations(t.deps)).filter((o) => o.name === 'Race')).toHaveLength(1);
  });
});

interface LargePost {
  status: number;
  body: string;
  /** An error the client met while sending (EPIPE, ECONNRESET when the server hung up early). */
  sendError: string | null;
}

/**
 * POSTs `size` bytes of JSON with Node's http client on a connection of its own that it asks to
 * close (as one-off clients do), writing the whole body before reading anything.
 */
function postLarge(port: number, path: string, size: number, chunked: boolean): Promise<LargePost> {
  const body = Buffer.alloc(size, 0x20);
  body.write('{"email":"', 0);
  return new Promise((resolve) => {
    const headers = {
      'content-type': 'application/json',
      ...(chunked ? {} : { 'content-length': String(size) }),
    };
    let sendError: string | null = null;
    let answer: { status: number; body: string } | null = null;
    const settle = () =>
      resolve({
        status: answer?.status ?? 0,
        body: answer?.body ?? '',
        sendError,
      });
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => (answer = { status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => (sendError = e.code ?? e.message));
    // Settle once the exchange is over either way, so an early hang-up is seen even after an answer.
    req.on('close', () => setTimeout(settle, 50));
    req.end(body);
  });
}

describe('a 413 reaches a client that sends its whole body first (item 11)', () => {
  let port = 0;
  beforeAll(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });

  it.each([
    ['/api/v1/contacts', false],
    ['/api/v1/auth/login', false],
    ['/api/v1/auth/login', true],
  ] as const)(
    'answers a 12 MB body to %s with 413 in the shape (chunked: %s)',
    async (path, chunked) => {
      const res = await postLarge(port, path, 12 * 1024 * 1024, chunked);
      expect(res.sendError).toBeNull();
      expect(res.status).toBe(413);
      const error = (JSON.parse(res.body) as { error: { code: string; traceId: string } }).error;
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(error.traceId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    },
  );
});
