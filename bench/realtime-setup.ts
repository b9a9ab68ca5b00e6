// The organization `npm run bench:realtime` works in, made through the public API only: 50 users
// in five roles and two teams, API keys with narrower scopes, deals and contacts owned across them,
// and — asked of the REST API, one GET per credential and record — who may read each record.
import type { RecordPlan } from './realtime-protocol.js';

/** Something a socket authenticates with: a user's access token or an API key. */
export interface Credential {
  label: string;
  role: string;
  userId: string;
  token: string;
}

/** A record the bench changes. */
export interface BenchRecord extends RecordPlan {
  kind: 'deal' | 'contact';
  id: string;
  ownerLabel: string;
}

/** What the bench needs from the organization. */
export interface BenchOrganization {
  adminToken: string;
  credentials: Credential[];
  records: BenchRecord[];
  /** A deal of another organization: its changes run the whole pipeline and must reach no socket here. */
  elsewhere: { token: string; path: string };
}

/** Users by role and team: 5 admins, 5 managers, 28 reps (two teams and no team), 7 marketing, 5 support. */
const PEOPLE: Array<{ role: string; team: 'A' | 'B' | null; count: number }> = [
  { role: 'admin', team: null, count: 4 }, // the fifth registers the organization
  { role: 'sales_manager', team: 'A', count: 3 },
  { role: 'sales_manager', team: 'B', count: 2 },
  { role: 'sales_rep', team: 'A', count: 10 },
  { role: 'sales_rep', team: 'B', count: 10 },
  { role: 'sales_rep', team: null, count: 8 },
  { role: 'marketing_specialist', team: null, count: 7 },
  { role: 'support_agent', team: null, count: 5 },
];
const PASSWORD = 'benchmark-password';

type Call = (
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
) => Promise<{ status: number; json: Record<string, unknown> }>;

function caller(url: string): Call {
  return async (method, path, token, body) => {
    const res = await globalThis.fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}

async function must(
  call: Promise<{ status: number; json: Record<string, unknown> }>,
  what: string,
): Promise<Record<string, unknown>> {
  const r = await call;
  if (r.status >= 300)
    throw new Error(`${what}: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
  return r.json;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};

/** Runs `fn` over `items`, `concurrency` at a time. */
async function each<T>(
  items: T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < items.length; i = next++) await fn(items[i] as T, i);
    }),
  );
}

/** Invites everyone in PEOPLE and accepts each invitation from the dev mailbox. */
async function inviteEveryone(call: Call, adminToken: string): Promise<Credential[]> {
  const roles = (await must(call('GET', '/api/v1/roles', adminToken), 'roles')).data as Array<{
    id: string;
    key: string;
  }>;
  const teams = new Map<string, string>();
  for (const name of ['A', 'B'])
    teams.set(
      name,
      str(
        (await must(call('POST', '/api/v1/teams', adminToken, { name: `Team ${name}` }), 'team'))
          .id,
      ),
    );
  const invited: Array<{ email: string; role: string; label: string }> = [];
  for (const p of PEOPLE) {
    const roleId = roles.find((r) => r.key === p.role)?.id;
    for (let i = 0; i < p.count; i++) {
      const label = `${p.role}${p.team ? `-${p.team}` : ''}-${i + 1}`;
      const email = `${label.toLowerCase()}@realtime.bench`;
      await must(
        call('POST', '/api/v1/users/invitations', adminToken, {
          email,
          roleId,
          ...(p.team ? { teamId: teams.get(p.team) } : {}),
        }),
        `invite ${label}`,
      );
      invited.push({ email, role: p.role, label });
    }
  }
  const inbox = (await must(call('GET', '/api/v1/mailbox?limit=200', adminToken), 'mailbox'))
    .data as Array<{ id: string; to: string }>;
  const people: Credential[] = [];
  // Accepting hashes a password (argon2): two at a time keeps the set-up from starving the server.
  await each(invited, 2, async (p, i) => {
    const mail = inbox.find((m) => m.to === p.email);
    const text = str(
      (await must(call('GET', `/api/v1/mailbox/${mail?.id ?? 'none'}`, adminToken), 'mail')).text,
    );
    const token = /accept-invitation\?token=([\w-]+)/.exec(text)?.[1];
    const body = await must(
      call('POST', '/api/v1/invitations/accept', null, {
        token,
        name: p.label,
        password: PASSWORD,
      }),
      `accept ${p.label}`,
    );
    people[i] = {
      label: p.label,
      role: p.role,
      userId: str(obj(body.user).id),
      token: str(body.accessToken),
    };
  });
  return people;
}

/** API keys whose scopes are narrower than their creators' grants: what the socket gets is what the key reads. */
async function createKeys(call: Call, people: Credential[]): Promise<Credential[]> {
  const wanted = [
    { creator: 'admin-1', scopes: ['contacts:read'] },
    { creator: 'admin-2', scopes: ['contacts:read', 'deals:read'] },
    { creator: 'sales_manager-A-1', scopes: ['deals:read'] },
    { creator: 'sales_manager-B-1', scopes: ['contacts:read', 'deals:read'] },
  ];
  const keys: Credential[] = [];
  for (const w of wanted) {
    const creator = people.find((p) => p.label === w.creator);
    if (!creator) throw new Error(`no ${w.creator}`);
    const key = await must(
      call('POST', '/api/v1/api-keys', creator.token, {
        name: `bench ${w.scopes.join(' ')}`,
        scopes: w.scopes,
      }),
      `key of ${w.creator}`,
    );
    keys.push({
      label: `key(${w.creator}: ${w.scopes.join(',')})`,
      role: `${creator.role} api key`,
      userId: creator.userId,
      token: str(key.secret),
    });
  }
  return keys;
}

/** Sets up the organization; `recordsPerKind` deals and as many contacts, owners spread over the roles. */
export async function setupOrganization(
  url: string,
  recordsPerKind: number,
): Promise<BenchOrganization> {
  const call = caller(url);
  const reg = await must(
    call('POST', '/api/v1/auth/register', null, {
      email: 'owner@realtime.bench',
      password: PASSWORD,
      name: 'Owner',
      organizationName: 'Realtime Bench',
    }),
    'register',
  );
  const adminToken = str(reg.accessToken);
  const owner: Credential = {
    label: 'owner',
    role: 'admin',
    userId: str(obj(reg.user).id),
    token: adminToken,
  };
  const people = [owner, ...(await inviteEveryone(call, adminToken))];
  const credentials = [...people, ...(await createKeys(call, people))];

  const owners = [
    'owner',
    'sales_manager-A-1',
    'sales_rep-A-1',
    'sales_rep-A-2',
    'sales_rep-B-1',
    'sales_manager-B-2',
    'sales_rep-1',
    'sales_rep-2',
    'marketing_specialist-1',
    null,
  ];
  const records: BenchRecord[] = [];
  for (let i = 0; i < recordsPerKind * 2; i++) {
    const kind = i % 2 === 0 ? 'deal' : 'contact';
    const label = owners[Math.floor(i / 2) % owners.length] ?? null;
    const ownerId = people.find((p) => p.label === label)?.userId ?? null;
    const body =
      kind === 'deal'
        ? { name: `Realtime deal ${i}`, ownerId }
        : { firstName: 'Realtime', lastName: `Contact ${i}`, ownerId };
    const created = await must(
      call('POST', `/api/v1/${kind}s`, adminToken, body),
      `create ${kind}`,
    );
    records.push({
      kind,
      id: str(created.id),
      channel: `${kind}:${str(created.id)}`,
      ownerLabel: label ?? '(nobody)',
      readers: [],
    });
  }
  // The oracle: the REST API's own answer to "may this credential read this record?".
  const pairs = records.flatMap((r) => credentials.map((_, c) => ({ r, c })));
  await each(pairs, 4, async ({ r, c }) => {
    const res = await call('GET', `/api/v1/${r.kind}s/${r.id}`, credentials[c]?.token ?? '');
    if (res.status === 200) r.readers.push(c);
    else if (res.status !== 404 && res.status !== 403)
      throw new Error(`read ${r.channel} as ${credentials[c]?.label ?? c}: ${res.status}`);
  });
  for (const r of records) r.readers.sort((a, b) => a - b);
  const other = await must(
    call('POST', '/api/v1/auth/register', null, {
      email: 'owner@elsewhere.bench',
      password: PASSWORD,
      name: 'Elsewhere',
      organizationName: 'Elsewhere Inc',
    }),
    'register elsewhere',
  );
  const token = str(other.accessToken);
  const deal = await must(
    call('POST', '/api/v1/deals', token, { name: 'Elsewhere deal' }),
    'deal elsewhere',
  );
  return {
    adminToken,
    credentials,
    records,
    elsewhere: { token, path: `/api/v1/deals/${str(deal.id)}` },
  };
}

/** The PATCH that changes record `r` and writes `text` (the marker) into it. */
export function changeOf(
  r: BenchRecord,
  text: string,
): { path: string; body: Record<string, string> } {
  return r.kind === 'deal'
    ? { path: `/api/v1/deals/${r.id}`, body: { name: `Realtime deal ${text}` } }
    : { path: `/api/v1/contacts/${r.id}`, body: { title: text } };
}
