import { z } from 'zod';
import { SCOPES } from '../../platform/authz/index.js';
import { email, idParams, listOf, pageOfAll, pageQuery, route } from '../../platform/http/index.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { explainAccess } from './explain.js';
import { inviteUser, listInvitations, revokeInvitation } from './invitations.js';
import { createRole, deleteRole, getRole, listRoles, updateRole } from './roles.js';
import { endSession, listSessions } from './sessions.js';
import { createTeam, deleteTeam, getTeam, listTeams, renameTeam, setTeamMembers } from './teams.js';
import { getUser, listUsers, updateUser } from './users.js';

const roleRef = z.object({ id: z.uuid(), key: z.string(), name: z.string() });
const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    status: z.enum(['active', 'disabled']),
    roles: z.array(roleRef),
    teams: z.array(z.object({ id: z.uuid(), name: z.string() })),
    mfaEnabled: z.boolean(),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });
const grant = z.object({
  permission: z.string().min(1).max(60),
  scope: z.enum(SCOPES as ['own', 'team', 'all']),
});
const roleSchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    isSystem: z.boolean(),
    permissions: z.array(grant),
    userCount: z.number(),
  })
  .meta({ id: 'Role' });
const teamSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    members: z.array(
      z.object({ userId: z.uuid(), name: z.string(), email: z.string(), isManager: z.boolean() }),
    ),
  })
  .meta({ id: 'Team' });
const invitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: roleRef,
    teamId: z.uuid().nullable(),
    expiresAt: z.string(),
    acceptedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Invitation' });
const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    createdBy: z.uuid(),
  })
  .meta({ id: 'ApiKey' });
const sessionSchema = z.object({
  id: z.uuid(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
});
const roleKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be lower-case letters, digits and _');
const teamName = z.string().trim().min(1, 'is required').max(80);

export const adminRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/users',
    permission: 'users:read',
    summary: 'List users',
    tags: ['users'],
    query: pageQuery.extend({ q: z.string().trim().max(100).optional() }),
    response: { status: 200, schema: listOf(userSchema) },
    handler: ({ ctx, query }) =>
      listUsers(ctx, {
        limit: query.limit,
        count: query.count,
        ...(query.cursor ? { cursor: query.cursor } : {}),
        ...(query.q ? { q: query.q } : {}),
      }),
  }),
  route({
    method: 'GET',
    path: '/api/v1/users/invitations',
    permission: 'users:read',
    summary: 'Pending and accepted invitations',
    tags: ['users'],
    query: pageQuery,
    response: { status: 200, schema: listOf(invitationSchema) },
    handler: async ({ ctx, query }) => pageOfAll(await listInvitations(ctx), query),
  }),
  route({
    method: 'POST',
    path: '/api/v1/users/invitations',
    permission: 'users:create',
    summary: 'Invite someone by email',
    tags: ['users'],
    body: z.object({ email, roleId: z.uuid(), teamId: z.uuid().nullable().optional() }).strict(),
    response: { status: 201, schema: invitationSchema },
    handler: ({ ctx, body }) => inviteUser(ctx, body),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/users/invitations/:id',
    permission: 'users:create',
    summary: 'Revoke an invitation',
    tags: ['users'],
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => revokeInvitation(ctx, params.id),
  }),
  route({
    method: 'GET',
    path: '/api/v1/users/:id',
    permission: 'users:read',
    summary: 'Read a user',
    tags: ['users'],
    params: idParams,
    response: { status: 200, schema: userSchema },
    handler: ({ ctx, params }) => getUser(ctx, params.id),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/users/:id',
    permission: 'users:update',
    summary: "Change a user's name, status or roles",
    tags: ['users'],
    params: idParams,
    body: z
      .object({
        name: z.string().trim().min(1).max(100).optional(),
        status: z.enum(['active', 'disabled']).optional(),
        roleIds: z.array(z.uuid()).max(20).optional(),
      })
      .strict(),
    response: { status: 200, schema: userSchema },
    handler: ({ ctx, params, body }) => updateUser(ctx, params.id, body),
  }),
  route({
    method: 'GET',
    path: '/api/v1/roles',
    permission: 'roles:read',
    summary: 'Roles and their permissions',
    tags: ['roles'],
    query: pageQuery,
    response: { status: 200, schema: listOf(roleSchema) },
    handler: async ({ ctx, query }) => pageOfAll(await listRoles(ctx), query),
  }),
  route({
    method: 'POST',
    path: '/api/v1/roles',
    permission: 'roles:create',
    summary: 'Create a role',
    tags: ['roles'],
    body: z
      .object({
        key: roleKey,
        name: z.string().trim().min(1).max(80),
        description: z.string().max(300).optional(),
        permissions: z.array(grant).max(500),
      })
      .strict(),
    response: { status: 201, schema: roleSchema },
    handler: ({ ctx, body }) => createRole(ctx, body),
  }),
  route({
    method: 'GET',
    path: '/api/v1/roles/:id',
    permission: 'roles:read',
    summary: 'Read a role',
    tags: ['roles'],
    params: idParams,
    response: { status: 200, schema: roleSchema },
    handler: ({ ctx, params }) => getRole(ctx, params.id),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/roles/:id',
    permission: 'roles:update',
    summary: "Change a role's name, description or permissions",
    tags: ['roles'],
    params: idParams,
    body: z
      .object({
        key: roleKey.optional(),
        name: z.string().trim().min(1).max(80).optional(),
        description: z.string().max(300).optional(),
        permissions: z.array(grant).max(500).optional(),
      })
      .strict(),
    response: { status: 200, schema: roleSchema },
    handler: ({ ctx, params, body }) => updateRole(ctx, params.id, body),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/roles/:id',
    permission: 'roles:delete',
    summary: 'Delete an unused role',
    tags: ['roles'],
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => deleteRole(ctx, params.id),
  }),
  route({
    method: 'GET',
    path: '/api/v1/permissions',
    permission: 'authenticated',
    summary: 'Every resource and action a role can grant',
    tags: ['roles'],
    response: {
      status: 200,
      schema: z.object({
        data: z.array(z.object({ resource: z.string(), actions: z.array(z.string()) })),
      }),
    },
    handler: async ({ ctx }) => ({ data: ctx.deps.modules.permissions }),
  }),
  route({
    method: 'GET',
    path: '/api/v1/access/explain',
    permission: 'roles:read',
    summary: 'Why a user or API key can or cannot act on a record',
    tags: ['roles'],
    query: z.object({
      userId: z.uuid().optional(),
      apiKeyId: z.uuid().optional(),
      resource: z.string().min(1).max(40),
      id: z.uuid().optional(),
    }),
    response: {
      status: 200,
      schema: z.object({
        subject: z.object({ type: z.string(), id: z.uuid(), name: z.string() }),
        resource: z.string(),
        id: z.uuid().nullable(),
        decisions: z.array(
          z.object({
            action: z.string(),
            allowed: z.boolean(),
            permission: z.string(),
            scope: z.string().nullable(),
            role: z.string().nullable(),
            reason: z.string(),
          }),
        ),
      }),
    },
    handler: ({ ctx, query }) => explainAccess(ctx, query),
  }),
  route({
    method: 'GET',
    path: '/api/v1/teams',
    permission: 'teams:read',
    summary: 'Teams and their members',
    tags: ['teams'],
    query: pageQuery,
    response: { status: 200, schema: listOf(teamSchema) },
    handler: async ({ ctx, query }) => pageOfAll(await listTeams(ctx), query),
  }),
  route({
    method: 'POST',
    path: '/api/v1/teams',
    permission: 'teams:create',
    summary: 'Create a team',
    tags: ['teams'],
    body: z.object({ name: teamName }).strict(),
    response: { status: 201, schema: teamSchema },
    handler: ({ ctx, body }) => createTeam(ctx, body.name),
  }),
  route({
    method: 'GET',
    path: '/api/v1/teams/:id',
    permission: 'teams:read',
    summary: 'Read a team',
    tags: ['teams'],
    params: idParams,
    response: { status: 200, schema: teamSchema },
    handler: ({ ctx, params }) => getTeam(ctx, params.id),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/teams/:id',
    permission: 'teams:update',
    summary: 'Rename a team',
    tags: ['teams'],
    params: idParams,
    body: z.object({ name: teamName }).strict(),
    response: { status: 200, schema: teamSchema },
    handler: ({ ctx, params, body }) => renameTeam(ctx, params.id, body.name),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/teams/:id',
    permission: 'teams:delete',
    summary: 'Delete a team',
    tags: ['teams'],
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => deleteTeam(ctx, params.id),
  }),
  route({
    method: 'PUT',
    path: '/api/v1/teams/:id/members',
    permission: 'teams:update',
    summary: "Set a team's members and managers",
    tags: ['teams'],
    params: idParams,
    body: z
      .object({
        members: z
          .array(z.object({ userId: z.uuid(), isManager: z.boolean().default(false) }))
          .max(500),
      })
      .strict(),
    response: { status: 200, schema: teamSchema },
    handler: ({ ctx, params, body }) => setTeamMembers(ctx, params.id, body.members),
  }),
  route({
    method: 'GET',
    path: '/api/v1/api-keys',
    permission: 'api-keys:read',
    summary: 'API keys',
    tags: ['api-keys'],
    query: pageQuery,
    response: { status: 200, schema: listOf(apiKeySchema) },
    handler: async ({ ctx, query }) => pageOfAll(await listApiKeys(ctx), query),
  }),
  route({
    method: 'POST',
    path: '/api/v1/api-keys',
    permission: 'api-keys:create',
    summary: 'Create an API key; the secret is shown once',
    tags: ['api-keys'],
    idempotent: false,
    body: z
      .object({
        name: z.string().trim().min(1, 'is required').max(80),
        scopes: z.array(z.string().min(3).max(60)).min(1, 'give at least one scope').max(200),
        expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
      })
      .strict(),
    response: { status: 201, schema: apiKeySchema.extend({ secret: z.string() }) },
    handler: ({ ctx, body }) => createApiKey(ctx, body),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/api-keys/:id',
    permission: 'api-keys:delete',
    summary: 'Revoke an API key',
    tags: ['api-keys'],
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => revokeApiKey(ctx, params.id),
  }),
  route({
    method: 'GET',
    path: '/api/v1/sessions',
    permission: 'authenticated',
    summary: 'Your open sessions',
    tags: ['auth'],
    query: pageQuery,
    response: { status: 200, schema: listOf(sessionSchema) },
    handler: async ({ ctx, query }) => pageOfAll(await listSessions(ctx), query),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/sessions/:id',
    permission: 'authenticated',
    summary: 'End one of your sessions',
    tags: ['auth'],
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => endSession(ctx, params.id),
  }),
];
