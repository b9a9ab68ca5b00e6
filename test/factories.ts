import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { client } from './harness.js';

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(++sequence).toString(36)}`;

/** A signed-in user of a test organization. */
export interface TestUser {
  token: string;
  userId: string;
  organizationId: string;
  email: string;
}

/** Registers a new organization through the API; its first user is the admin. */
export async function registerOrganization(app: FastifyInstance, name = 'Org'): Promise<TestUser> {
  const email = `admin-${unique()}@example.com`;
  const res = await client(app).post('/api/v1/auth/register', {
    email,
    password: 'correct-horse-battery',
    name: `${name} Admin`,
    organizationName: `${name} ${unique()}`,
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json();
  return {
    token: body.accessToken,
    userId: body.user.id,
    organizationId: body.organization.id,
    email,
  };
}

/** Invites a user with `roleKey` (optionally into a team) and accepts the invitation from the dev mailbox. */
export async function addUser(
  app: FastifyInstance,
  admin: TestUser,
  roleKey: string,
  options: { teamId?: string; name?: string } = {},
): Promise<TestUser> {
  const api = client(app, admin.token);
  const roles = (await api.get('/api/v1/roles')).json();
  const role = (roles.data as Array<{ id: string; key: string }>).find((r) => r.key === roleKey);
  expect(role, `role ${roleKey}`).toBeDefined();
  const email = `${roleKey}-${unique()}@example.com`;
  const invite = await api.post('/api/v1/users/invitations', {
    email,
    roleId: role?.id,
    ...(options.teamId ? { teamId: options.teamId } : {}),
  });
  expect(invite.statusCode, invite.body).toBe(201);
  const inbox = (await api.get('/api/v1/mailbox')).json().data as Array<{ id: string; to: string }>;
  const message = inbox.find((m) => m.to === email);
  expect(message, `invitation mail to ${email}`).toBeDefined();
  const text = (await api.get(`/api/v1/mailbox/${message?.id ?? ''}`)).json().text as string;
  const token = /accept-invitation\?token=([\w-]+)/.exec(text)?.[1];
  expect(token).toBeDefined();
  const accepted = await client(app).post('/api/v1/invitations/accept', {
    token,
    name: options.name ?? `${roleKey} user`,
    password: 'correct-horse-battery',
  });
  expect(accepted.statusCode, accepted.body).toBe(201);
  const body = accepted.json();
  return {
    token: body.accessToken,
    userId: body.user.id,
    organizationId: admin.organizationId,
    email,
  };
}

/** Creates a team with the given members (the first `managers` of them as managers). */
export async function createTeam(
  app: FastifyInstance,
  admin: TestUser,
  name: string,
  members: Array<{ userId: string; isManager?: boolean }>,
): Promise<string> {
  const api = client(app, admin.token);
  const team = await api.post('/api/v1/teams', { name });
  expect(team.statusCode, team.body).toBe(201);
  const id = team.json().id as string;
  const put = await api.put(`/api/v1/teams/${id}/members`, {
    members: members.map((m) => ({ userId: m.userId, isManager: m.isManager ?? false })),
  });
  expect(put.statusCode, put.body).toBeLessThan(300);
  return id;
}

/** A multipart body with form fields and an optional file, as the import upload takes it. */
export async function multipartBody(
  fields: Record<string, string>,
  file?: { name: string; content: string | Buffer },
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([file.content]), file.name);
  const res = new Response(form);
  return {
    payload: Buffer.from(await res.arrayBuffer()),
    headers: { 'content-type': res.headers.get('content-type') ?? '' },
  };
}

/** Uploads a CSV import as `user` (202 expected by the caller) and answers the raw response. */
export async function uploadImport(
  app: FastifyInstance,
  user: TestUser,
  fields: Record<string, string>,
  csv: string,
  name = 'import.csv',
) {
  const body = await multipartBody(fields, { name, content: csv });
  return app.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: { authorization: `Bearer ${user.token}`, ...body.headers },
    payload: body.payload,
  });
}

/** An organization with three sales reps: `rep` and `teammate` share a team, `outsider` is in none. */
export async function salesOrganization(
  app: FastifyInstance,
  name: string,
): Promise<{ admin: TestUser; rep: TestUser; teammate: TestUser; outsider: TestUser }> {
  const admin = await registerOrganization(app, name);
  const rep = await addUser(app, admin, 'sales_rep');
  const teammate = await addUser(app, admin, 'sales_rep');
  const outsider = await addUser(app, admin, 'sales_rep');
  await createTeam(app, admin, `${name} team`, [
    { userId: rep.userId },
    { userId: teammate.userId },
  ]);
  return { admin, rep, teammate, outsider };
}
