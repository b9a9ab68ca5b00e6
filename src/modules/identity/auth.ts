import { appendAudit } from '../../platform/audit/index.js';
import type { Ctx, Deps } from '../../platform/context/index.js';
import { randomToken, sha256 } from '../../platform/crypto/index.js';
import { withSystem, withTenant, type Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { consumeRateLimit } from '../../platform/http/index.js';
import { v7 as uuidv7 } from 'uuid';
import { cachedPerUser, grantList } from './actor.js';
import { authenticatedVersion } from './principals.js';
import { verifyTotpOrRecovery } from './mfa.js';
import { bootstrapOrganization } from './organizations.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js';
import type { IdentityTables } from './schema.js';
import {
  revokeAllSessions,
  revokeSessions,
  startSession,
  type ClientInfo,
  type TokenPair,
} from './sessions.js';
import { signMfaToken, verifyMfaToken } from './tokens.js';

const db = (tx: Tx) => tx.withTables<IdentityTables>();

/** A user as the API presents them to themselves. */
export interface SelfUser {
  id: string;
  email: string;
  name: string;
  mfaEnabled: boolean;
  createdAt: string;
}

/**
 * Throttling counts failures, per account (guessing one password) and per address (trying many
 * accounts), over 15 minutes; successful logins from a shared office address never add up.
 */
const WINDOW = 900;
const ACCOUNT_FAILURES = 5;
const IP_FAILURES = 50;
const RESET_TTL_MS = 3_600_000;

const invalidCredentials = () =>
  new DomainError(
    'unauthenticated',
    'IDENTITY_INVALID_CREDENTIALS',
    'The email or password is incorrect',
  );

async function selfUser(tx: Tx, organizationId: string, userId: string): Promise<SelfUser> {
  const u = await db(tx)
    .selectFrom('users')
    .select(['id', 'email', 'name', 'mfa_enabled', 'created_at'])
    .where('organization_id', '=', organizationId)
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    mfaEnabled: u.mfa_enabled,
    createdAt: u.created_at.toISOString(),
  };
}

async function organizationOf(tx: Tx, organizationId: string) {
  return tx
    .selectFrom('organizations')
    .select(['id', 'name', 'slug'])
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
}

/** What a successful login returns. */
export interface Session extends TokenPair {
  user: SelfUser;
  organization: { id: string; name: string; slug: string };
}

async function openSession(
  deps: Deps,
  organizationId: string,
  userId: string,
  client: ClientInfo,
  action: string,
): Promise<Session> {
  return withTenant(deps.database.db, organizationId, async (tx) => {
    const pair = await startSession(deps, tx, organizationId, userId, client);
    await appendAudit(tx, {
      organizationId,
      actorType: 'user',
      actorId: userId,
      action,
      targetType: 'session',
      targetId: pair.sessionId,
      diff: { ip: { from: null, to: client.ip } },
    });
    return {
      ...pair,
      user: await selfUser(tx, organizationId, userId),
      organization: await organizationOf(tx, organizationId),
    };
  });
}

/** Registers a new organization and its admin, and signs the admin in. */
export async function register(
  deps: Deps,
  input: { email: string; password: string; name: string; organizationName: string },
  client: ClientInfo,
): Promise<Session> {
  if (!deps.config.allowSignup)
    throw new DomainError(
      'forbidden',
      'IDENTITY_SIGNUP_DISABLED',
      'Sign-up is disabled here; ask an admin for an invitation',
    );
  await consumeRateLimit(deps.cache, `register-ip:${client.ip ?? '?'}`, 50, 3600);
  const { organizationId, userId } = await bootstrapOrganization(deps, input);
  return openSession(deps, organizationId, userId, client, 'session.created');
}

/** The password step of a login; with MFA on, it answers a challenge instead of tokens. */
export async function login(
  deps: Deps,
  input: { email: string; password: string },
  client: ClientInfo,
): Promise<Session | { mfaRequired: true; mfaToken: string }> {
  const email = input.email.toLowerCase();
  const failKey = `rl:login-fail:${email}`;
  const ipKey = `rl:login-fail-ip:${client.ip ?? '?'}`;
  for (const [key, limit] of [
    [failKey, ACCOUNT_FAILURES],
    [ipKey, IP_FAILURES],
  ] as const) {
    if (Number((await deps.cache.get(key)) ?? 0) >= limit) {
      const { ttl } = await deps.cache.incr(key, WINDOW);
      throw errors.rateLimited(ttl);
    }
  }
  const user = await withSystem(deps.database.db, (tx) =>
    db(tx)
      .selectFrom('users')
      .select(['organization_id', 'id', 'password_hash', 'status', 'mfa_enabled'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
      .executeTakeFirst(),
  );
  const ok = user
    ? await verifyPassword(user.password_hash, input.password)
    : (await burnPasswordCheck(input.password), false);
  if (!user || !ok || user.status !== 'active') {
    await deps.cache.incr(failKey, WINDOW);
    await deps.cache.incr(ipKey, WINDOW);
    throw invalidCredentials();
  }
  await deps.cache.del(failKey);
  if (user.mfa_enabled)
    return { mfaRequired: true, mfaToken: await signMfaToken(deps, user.id, user.organization_id) };
  return openSession(deps, user.organization_id, user.id, client, 'session.created');
}

/** The second step of an MFA login: a TOTP code or one of the recovery codes. */
export async function verifyMfaLogin(
  deps: Deps,
  input: { mfaToken: string; code: string },
  client: ClientInfo,
): Promise<Session> {
  const claims = await verifyMfaToken(deps, input.mfaToken);
  await consumeRateLimit(deps.cache, `mfa:${claims.userId}`, ACCOUNT_FAILURES, WINDOW);
  const valid = await withTenant(deps.database.db, claims.organizationId, (tx) =>
    verifyTotpOrRecovery(deps, tx, claims.organizationId, claims.userId, input.code),
  );
  if (!valid)
    throw new DomainError('unauthenticated', 'IDENTITY_MFA_INVALID', 'The code is not valid');
  await deps.cache.del(`rl:mfa:${claims.userId}`);
  return openSession(deps, claims.organizationId, claims.userId, client, 'session.created');
}

/** Ends the caller's session: its access and refresh tokens stop working at once. */
export async function logout(ctx: Ctx): Promise<void> {
  const sessionId = ctx.actor.sessionId;
  if (!sessionId) return;
  await ctx.tx(async (tx) => {
    await revokeSessions(ctx.deps, tx, ctx.organizationId, [sessionId], 'logged out');
    await ctx.audit(tx, {
      action: 'session.ended',
      targetType: 'session',
      targetId: sessionId,
      diff: null,
    });
  });
}

/**
 * The caller, their organization, roles and effective permissions. Every authenticated page asks
 * this, so the profile part is cached per user until anything about users or roles changes.
 */
export async function me(ctx: Ctx) {
  const userId = ctx.actor.userId ?? '';
  const profile = await cachedPerUser(
    ctx.deps,
    ctx.organizationId,
    userId,
    'me',
    30,
    () => loadProfile(ctx, userId),
    authenticatedVersion(ctx.actor),
  );
  const permissions = grantList(ctx.actor);
  // Cached profiles and grant lists are shared objects, so the answer can be shared too.
  const known = answers.get(profile);
  if (known?.permissions === permissions) return known;
  const answer = { ...profile, permissions };
  answers.set(profile, answer);
  return answer;
}

type MeAnswer = Awaited<ReturnType<typeof loadProfile>> & {
  permissions: ReturnType<typeof grantList>;
};
const answers = new WeakMap<object, MeAnswer>();

async function loadProfile(ctx: Ctx, userId: string) {
  return ctx.tx(async (tx) => {
    const [user, organization, roles, teams] = await Promise.all([
      selfUser(tx, ctx.organizationId, userId),
      organizationOf(tx, ctx.organizationId),
      db(tx)
        .selectFrom('user_roles')
        .innerJoin('roles', (j) =>
          j
            .onRef('roles.organization_id', '=', 'user_roles.organization_id')
            .onRef('roles.id', '=', 'user_roles.role_id'),
        )
        .select(['roles.id', 'roles.key', 'roles.name'])
        .where('user_roles.organization_id', '=', ctx.organizationId)
        .where('user_roles.user_id', '=', userId)
        .execute(),
      // The caller's teams, so the app can offer them (sharing a saved view with a team).
      db(tx)
        .selectFrom('team_members')
        .innerJoin('teams', (j) =>
          j
            .onRef('teams.organization_id', '=', 'team_members.organization_id')
            .onRef('teams.id', '=', 'team_members.team_id'),
        )
        .select(['teams.id', 'teams.name'])
        .where('team_members.organization_id', '=', ctx.organizationId)
        .where('team_members.user_id', '=', userId)
        .orderBy('teams.name')
        .execute(),
    ]);
    return { user, organization, roles, teams };
  });
}

/**
 * Sends a reset link when the email has an account. The answer never says whether it does, and
 * requests are rate-limited per email and per address.
 */
export async function requestPasswordReset(
  deps: Deps,
  email: string,
  client: ClientInfo,
): Promise<void> {
  await consumeRateLimit(deps.cache, `forgot-ip:${client.ip ?? '?'}`, 10, WINDOW);
  await consumeRateLimit(deps.cache, `forgot:${email.toLowerCase()}`, 3, WINDOW);
  const user = await withSystem(deps.database.db, (tx) =>
    db(tx)
      .selectFrom('users')
      .select(['organization_id', 'id', 'email', 'name', 'status'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst(),
  );
  if (!user || user.status !== 'active') return;
  const token = randomToken(32);
  await withTenant(deps.database.db, user.organization_id, async (tx) => {
    await db(tx)
      .insertInto('password_resets')
      .values({
        organization_id: user.organization_id,
        id: uuidv7(),
        user_id: user.id,
        token_hash: sha256(token),
        expires_at: new Date(Date.now() + RESET_TTL_MS),
      })
      .execute();
    const link = `${deps.config.http.publicUrl}/reset-password?token=${token}`;
    await deps.mailer.send(tx, {
      organizationId: user.organization_id,
      to: user.email,
      subject: 'Reset your Cerebro password',
      text: `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset your Cerebro password. Open this link within an hour to choose a new one:\n\n${link}\n\nIf it was not you, ignore this email; your password stays as it is.\n`,
      html: `<p>Hello ${escapeHtml(user.name)},</p><p>Someone (hopefully you) asked to reset your Cerebro password. Open this link within an hour to choose a new one:</p><p><a href="${link}">Reset my password</a></p><p>If it was not you, ignore this email.</p>`,
    });
    await appendAudit(tx, {
      organizationId: user.organization_id,
      actorType: 'user',
      actorId: user.id,
      action: 'user.password_reset_requested',
      targetType: 'user',
      targetId: user.id,
      diff: null,
    });
  });
}

/** Sets a new password with a single-use reset token, ending every session of the user. */
export async function resetPassword(
  deps: Deps,
  input: { token: string; password: string },
): Promise<void> {
  const hash = sha256(input.token);
  const found = await withSystem(deps.database.db, (tx) =>
    db(tx)
      .selectFrom('password_resets')
      .select(['organization_id'])
      .where('token_hash', '=', hash)
      .executeTakeFirst(),
  );
  const invalid = () =>
    new DomainError(
      'validation',
      'IDENTITY_RESET_TOKEN_INVALID',
      'The reset link is invalid or has expired',
      { details: [{ path: 'token', message: 'invalid or expired' }] },
    );
  if (!found) throw invalid();
  const passwordHash = await hashPassword(input.password);
  await withTenant(deps.database.db, found.organization_id, async (tx) => {
    const reset = await db(tx)
      .selectFrom('password_resets')
      .selectAll()
      .where('organization_id', '=', found.organization_id)
      .where('token_hash', '=', hash)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (reset.used_at || reset.expires_at.getTime() < Date.now()) throw invalid();
    await db(tx)
      .updateTable('password_resets')
      .set({ used_at: new Date() })
      .where('organization_id', '=', found.organization_id)
      .where('id', '=', reset.id)
      .execute();
    await db(tx)
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: new Date() })
      .where('organization_id', '=', found.organization_id)
      .where('id', '=', reset.user_id)
      .execute();
    await revokeAllSessions(deps, tx, found.organization_id, reset.user_id, 'password reset');
    await appendAudit(tx, {
      organizationId: found.organization_id,
      actorType: 'user',
      actorId: reset.user_id,
      action: 'user.password_reset',
      targetType: 'user',
      targetId: reset.user_id,
      diff: null,
    });
  });
}

/** Changes the caller's password after checking the current one; other sessions end. */
export async function changePassword(
  ctx: Ctx,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const userId = ctx.actor.userId;
  if (!userId || ctx.actor.type !== 'user')
    throw errors.forbidden('Only a signed-in user changes their password');
  const current = await ctx.tx((tx) =>
    db(tx)
      .selectFrom('users')
      .select('password_hash')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
  );
  if (!(await verifyPassword(current.password_hash, input.currentPassword))) {
    throw new DomainError(
      'validation',
      'IDENTITY_PASSWORD_WRONG',
      'The current password is incorrect',
      { details: [{ path: 'currentPassword', message: 'is incorrect' }] },
    );
  }
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.tx(async (tx) => {
    await db(tx)
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', userId)
      .execute();
    const others = await db(tx)
      .selectFrom('auth_sessions')
      .select('id')
      .where('organization_id', '=', ctx.organizationId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
    await revokeSessions(
      ctx.deps,
      tx,
      ctx.organizationId,
      others.map((s) => s.id).filter((id) => id !== ctx.actor.sessionId),
      'password changed',
    );
    await ctx.audit(tx, {
      action: 'user.password_changed',
      targetType: 'user',
      targetId: userId,
      diff: null,
    });
  });
}

/** Escapes text for an HTML email body. */
export const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
