import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/context/index.js';
import { errors } from '../../platform/errors/index.js';
import { email, password, publicRoute, route } from '../../platform/http/index.js';
import {
  changePassword,
  login,
  logout,
  me,
  register,
  requestPasswordReset,
  resetPassword,
  verifyMfaLogin,
  type Session,
} from './auth.js';
import {
  clearSessionCookies,
  isWebClient,
  REFRESH_COOKIE,
  setSessionCookies,
} from './authenticate.js';
import { acceptInvitation, describeInvitation } from './invitations.js';
import { disableMfa, enableMfa, setupMfa } from './mfa.js';
import { refreshSession, type ClientInfo } from './sessions.js';

const serialized = new WeakMap<object, string>();

const clientOf = (req: FastifyRequest): ClientInfo => ({
  userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
  ip: req.ip,
});

/** The web app gets its tokens as HttpOnly cookies and never sees them; API clients get them in the body. */
function deliver(deps: Deps, req: FastifyRequest, reply: FastifyReply, session: Session) {
  const { accessToken, refreshToken, sessionId: _s, ...rest } = session;
  if (isWebClient(req)) {
    setSessionCookies(deps, reply, session);
    return rest;
  }
  return { ...rest, accessToken, refreshToken };
}

const user = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    mfaEnabled: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'SelfUser' });
const organization = z
  .object({ id: z.uuid(), name: z.string(), slug: z.string() })
  .meta({ id: 'Organization' });
const session = z.object({
  user,
  organization,
  accessToken: z.string().optional(),
  refreshToken: z.string().optional(),
});
const name = z.string().trim().min(1, 'is required').max(100);

export const authRoutes = [
  publicRoute({
    method: 'GET',
    path: '/api/v1/auth/config',
    permission: 'public',
    summary: 'What the sign-in pages need to know',
    tags: ['auth'],
    response: { status: 200, schema: z.object({ allowSignup: z.boolean(), demo: z.boolean() }) },
    handler: async ({ deps }) => ({ allowSignup: deps.config.allowSignup, demo: deps.config.demo }),
  }),
  publicRoute({
    method: 'POST',
    path: '/api/v1/auth/register',
    permission: 'public',
    summary: 'Register an organization and its first (admin) user',
    tags: ['auth'],
    idempotent: false,
    body: z
      .object({
        email,
        password,
        name,
        organizationName: z.string().trim().min(1, 'is required').max(100),
      })
      .strict(),
    response: { status: 201, schema: session },
    handler: async ({ deps, body, req, reply }) =>
      deliver(deps, req, reply, await register(deps, body, clientOf(req))),
  }),
  publicRoute({
    method: 'POST',
    path: '/api/v1/auth/login',
    permission: 'public',
    summary: 'Log in with email and password',
    tags: ['auth'],
    idempotent: false,
    body: z.object({ email, password: z.string().min(1, 'is required').max(200) }).strict(),
    response: {
      status: 200,
      schema: z.union([session, z.object({ mfaRequired: z.literal(true), mfaToken: z.string() })]),
    },
    handler: async ({ deps, body, req, reply }) => {
      const result = await login(deps, body, clientOf(req));
      return 'mfaRequired' in result ? result : deliver(deps, req, reply, result);
    },
  }),
  publicRoute({
    method: 'POST',
    path: '/api/v1/auth/mfa/verify',
    permission: 'public',
    summary: 'Finish an MFA login with a TOTP or recovery code',
    tags: ['auth'],
    idempotent: false,
    body: z
      .object({
        mfaToken: z.string().min(1).max(2000),
        code: z.string().trim().min(6, 'is required').max(20),
      })
      .strict(),
    response: { status: 200, schema: session },
    handler: async ({ deps, body, req, reply }) =>
      deliver(deps, req, reply, await verifyMfaLogin(deps, body, clientOf(req))),
  }),
  publicRoute({
    method: 'POST',
    path: '/api/v1/auth/refresh',
    permission: 'public',
    summary: 'Exchange a refresh token for a new pair (each works once)',
    tags: ['auth'],
    idempotent: false,
    body: z.object({ refreshToken: z.string().min(1).max(200).optional() }).strict(),
    response: {
      status: 200,
      schema: z.object({ accessToken: z.string().optional(), refreshToken: z.string().optional() }),
    },
    handler: async ({ deps, body, req, reply }) => {
      const token = body.refreshToken ?? req.cookies[REFRESH_COOKIE];
      if (!token) throw errors.validation([{ path: 'refreshToken', message: 'is required' }]);
      const pair = await refreshSession(deps, token);
      if (isWebClient(req)) {
        setSessionCookies(deps, reply, pair);
        return {};
      }
      return { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/auth/logout',
    permission: 'authenticated',
    summary: 'End this session at once',
    tags: ['auth'],
    response: { status: 204 },
    handler: async ({ ctx, reply }) => {
      await logout(ctx);
      clearSessionCookies(reply);
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/auth/me',
    permission: 'authenticated',
    summary: 'The caller, their organization, roles and permissions',
    tags: ['auth'],
    response: {
      status: 200,
      schema: z.object({
        user,
        organization,
        roles: z.array(z.object({ id: z.uuid(), key: z.string(), name: z.string() })),
        teams: z.array(z.object({ id: z.uuid(), name: z.string() })),
        permissions: z.array(z.object({ permission: z.string(), scope: z.string() })),
      }),
    },
    handler: async ({ ctx, reply }) => {
      // The busiest authenticated read: the answer object is shared while nothing changes, so
      // its JSON is too.
      const answer = await me(ctx);
      let json = serialized.get(answer);
      if (!json) {
        json = JSON.stringify(answer);
        serialized.set(answer, json);
      }
      void reply.type('application/json; charset=utf-8');
      return json;
    },
  }),
  publicRoute({
    method: 'POST',
    path: '/api/v1/auth/password/forgot',
    permission: 'public',
    summary: 'Email a reset link (same answer whether or not the email exists)',
    tags: ['auth'],
    idempotent: false,
    body: z.object({ email }).strict(),
    response: { status: 202 },
    handler: async ({ deps, body, req }) => {
      await requestPasswordReset(deps, body.email, clientOf(req));
    },
  }),
  publicRoute({
    method: 'POST',
    path: '/api/v1/auth/password/reset',
    permission: 'public',
    summary: 'Set a new password with a reset token',
    tags: ['auth'],
    idempotent: false,
    body: z.object({ token: z.string().min(1, 'is required').max(200), password }).strict(),
    response: { status: 204 },
    handler: async ({ deps, body }) => resetPassword(deps, body),
  }),
  route({
    method: 'POST',
    path: '/api/v1/auth/password/change',
    permission: 'authenticated',
    summary: 'Change your password',
    tags: ['auth'],
    idempotent: false,
    body: z
      .object({ currentPassword: z.string().min(1, 'is required').max(200), newPassword: password })
      .strict(),
    response: { status: 204 },
    handler: ({ ctx, body }) => changePassword(ctx, body),
  }),
  route({
    method: 'POST',
    path: '/api/v1/auth/mfa/setup',
    permission: 'authenticated',
    summary: 'Start MFA enrolment: a TOTP secret and QR code',
    tags: ['auth'],
    idempotent: false,
    response: {
      status: 200,
      schema: z.object({ secret: z.string(), otpauthUrl: z.string(), qrCodeDataUrl: z.string() }),
    },
    handler: ({ ctx }) => setupMfa(ctx),
  }),
  route({
    method: 'POST',
    path: '/api/v1/auth/mfa/enable',
    permission: 'authenticated',
    summary: 'Confirm a TOTP code and turn MFA on; returns recovery codes once',
    tags: ['auth'],
    idempotent: false,
    body: z
      .object({
        code: z
          .string()
          .trim()
          .regex(/^\d{6}$/, 'must be the 6-digit code'),
      })
      .strict(),
    response: { status: 200, schema: z.object({ recoveryCodes: z.array(z.string()) }) },
    handler: ({ ctx, body }) => enableMfa(ctx, body.code),
  }),
  route({
    method: 'POST',
    path: '/api/v1/auth/mfa/disable',
    permission: 'authenticated',
    summary: 'Turn MFA off (confirm with your password)',
    tags: ['auth'],
    idempotent: false,
    body: z.object({ password: z.string().min(1, 'is required').max(200) }).strict(),
    response: { status: 204 },
    handler: ({ ctx, body }) => disableMfa(ctx, body.password),
  }),
  publicRoute({
    method: 'GET',
    path: '/api/v1/invitations/:token',
    permission: 'public',
    summary: 'Who is invited where (for the accept page)',
    tags: ['users'],
    params: z.object({ token: z.string().min(10).max(200) }),
    response: {
      status: 200,
      schema: z.object({ email: z.string(), organizationName: z.string(), expiresAt: z.string() }),
    },
    handler: ({ deps, params }) => describeInvitation(deps, params.token),
  }),
  publicRoute({
    method: 'POST',
    path: '/api/v1/invitations/accept',
    permission: 'public',
    summary: 'Accept an invitation: create the account and sign in',
    tags: ['users'],
    idempotent: false,
    body: z.object({ token: z.string().min(1, 'is required').max(200), name, password }).strict(),
    response: { status: 201, schema: session },
    handler: async ({ deps, body, req, reply }) =>
      deliver(deps, req, reply, await acceptInvitation(deps, body, clientOf(req))),
  }),
];
