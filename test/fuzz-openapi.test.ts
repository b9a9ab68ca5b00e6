import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization } from './factories.js';
import {
  casesOf,
  operationsOf,
  resolver,
  type FuzzCase,
  type Operation,
} from './fuzz/openapi-cases.js';
import { client, createTestApp, type TestApp } from './harness.js';

// Fuzzes every operation of the OpenAPI document with bad input (see fuzz/openapi-cases.ts): no
// answer may be a 5xx, every 4xx must be the contract's error shape with its trace id, and no
// answer may show internals. Routes added later are covered by being in the document.

/** What must never appear in an error answer: stack frames, SQL, framework codes, file paths. */
const INTERNALS: Array<[string, RegExp]> = [
  ['a stack frame', /\bat [\w.<>$ ]+ \(|\bat (?:file:|node:|\/)|:\d+:\d+\)/],
  [
    'SQL',
    /\bselect\s+[\w*"(]|relation "|syntax error at or near|violates [\w ]*constraint|invalid input syntax|\bcolumn "/i,
  ],
  ['a Fastify code', /FST_/],
  ['a file path', /\/src\/|node_modules|\.ts:\d/],
];

const BATCH = 24;

let t: TestApp;
let token = '';
let registrations = 0;

/**
 * The admin's token, or a fresh admin's once a fuzzed route (logout, sessions) ended its session.
 * Each registration comes from an address of its own: registration is rate limited per address.
 */
async function liveToken(): Promise<string> {
  const me = await t.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    headers: { authorization: `Bearer ${token}` },
  });
  if (me.statusCode === 200) return token;
  registrations += 1;
  const payload = {
    email: `fuzz-${registrations}@example.com`,
    password: 'correct-horse-battery',
    name: 'Fuzz',
    organizationName: `Fuzz ${registrations}`,
  };
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload,
    remoteAddress: `10.0.0.${registrations % 250}`,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().accessToken as string;
}

/** The reasons an answer breaks the contract; empty when it keeps it. */
function problemsOf(res: LightMyRequestResponse): string[] {
  if (res.statusCode >= 500) return [`answered ${res.statusCode}: ${res.body.slice(0, 200)}`];
  if (res.statusCode < 400) return [];
  let error: { code?: unknown; message?: unknown; traceId?: unknown } | undefined;
  try {
    error = (JSON.parse(res.body) as { error?: typeof error }).error;
  } catch {
    return [`answered ${res.statusCode} with a body that is not JSON: ${res.body.slice(0, 120)}`];
  }
  const problems: string[] = [];
  if (typeof error?.code !== 'string' || typeof error.message !== 'string')
    problems.push(`answered ${res.statusCode} outside the error shape: ${res.body.slice(0, 200)}`);
  if (typeof error?.traceId !== 'string' || error.traceId !== res.headers['x-request-id'])
    problems.push(`answered ${res.statusCode} without its trace id`);
  for (const [what, pattern] of INTERNALS)
    if (pattern.test(res.body)) problems.push(`shows ${what}: ${res.body.slice(0, 200)}`);
  return problems;
}

async function send(c: FuzzCase): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (c.contentType) headers['content-type'] = c.contentType;
  Object.assign(headers, c.headers);
  return t.app.inject({
    method: c.op.method as 'GET',
    url: c.url,
    headers,
    ...(c.payload !== undefined ? { payload: c.payload } : {}),
  });
}

/** Sends an operation's cases in batches and returns what broke the contract. */
async function fuzz(op: Operation, cases: FuzzCase[]): Promise<string[]> {
  const failures: string[] = [];
  for (let i = 0; i < cases.length; i += BATCH) {
    const batch = cases.slice(i, i + BATCH);
    const answers = await Promise.all(batch.map(send));
    answers.forEach((res, j) => {
      for (const p of problemsOf(res))
        failures.push(`${op.method} ${op.path} [${batch[j]?.label ?? '?'}] ${p}`);
    });
  }
  return failures;
}

/** Destructive operations (logout, deletes) last, so they end the admin's session only at the end. */
const ORDER = (op: Operation) => (op.path.includes('logout') ? 2 : op.method === 'DELETE' ? 1 : 0);

describe('the OpenAPI fuzz', () => {
  let ops: Operation[] = [];
  let resolve: ReturnType<typeof resolver>;

  beforeAll(async () => {
    t = await createTestApp();
    token = (await registerOrganization(t.app, 'Fuzz')).token;
    const doc = (await client(t.app, token).get('/api/openapi.json')).json();
    ops = operationsOf(doc).sort((a, b) => ORDER(a) - ORDER(b));
    resolve = resolver(doc);
  });
  afterAll(async () => t.close());

  it('reads every operation of the document', () => {
    expect(ops.length).toBeGreaterThan(100);
    expect(
      ops.some((o) => o.path === '/api/v1/contacts' && o.method === 'POST' && o.body !== null),
    ).toBe(true);
  });

  it('answers every bad request in the contract shape, never with a 5xx or internals', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const op of ops) {
      token = await liveToken();
      const cases = casesOf(op, resolve);
      sent += cases.length;
      failures.push(...(await fuzz(op, cases)));
    }
    expect(sent).toBeGreaterThan(5000);
    expect(failures.slice(0, 60), `${failures.length} failures`).toEqual([]);
  }, 240_000);
});
