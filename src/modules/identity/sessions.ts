import { v7 as uuidv7 } from 'uuid';
import type { Ctx, Deps } from '../../platform/context/index.js';
import { randomToken, sha256 } from '../../platform/crypto/index.js';
import { withSystem, withTenant, type Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { signAccessToken } from './tokens.js';
import type { IdentityTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<IdentityTables>();

/** A fresh credential pair. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
}

/** Where a login came from, shown in the sessions list. */
export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

/** The denylist entry of a revoked session, in the shared cache. */
export const revokedSessionKey = (sessionId: string) => `revoked-session:${sessionId}`;
const revokedKey = revokedSessionKey;

async function issueRefresh(
  deps: Deps,
  tx: Tx,
  organizationId: string,
  sessionId: string,
): Promise<string> {
  const token = randomToken(32);
  await db(tx)
    .insertInto('refresh_tokens')
    .values({
      organization_id: organizationId,
      id: uuidv7(),
      session_id: sessionId,
      token_hash: sha256(token),
      expires_at: new Date(Date.now() + deps.config.auth.refreshTokenTtl * 1000),
    })
    .execute();
  return token;
}

/** Starts a login session for a user: a new refresh-token family and an access token. */
export async function startSession(
  deps: Deps,
  tx: Tx,
  organizationId: string,
  userId: string,
  client: ClientInfo,
): Promise<TokenPair> {
  const sessionId = uuidv7();
  await db(tx)
    .insertInto('auth_sessions')
    .values({
      organization_id: organizationId,
      id: sessionId,
      user_id: userId,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
      ip: client.ip,
    })
    .execute();
  await db(tx)
    .updateTable('users')
    .set({ last_login_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', userId)
    .execute();
  const refreshToken = await issueRefresh(deps, tx, organizationId, sessionId);
  const accessToken = await signAccessToken(deps, { userId, organizationId, sessionId });
  return { accessToken, refreshToken, sessionId };
}

/** Marks sessions revoked in the database and in the denylist every api process checks. */
export async function revokeSessions(
  deps: Deps,
  tx: Tx,
  organizationId: string,
  sessionIds: readonly string[],
  reason: string,
): Promise<void> {
  if (sessionIds.length === 0) return;
  await db(tx)
    .updateTable('auth_sessions')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('organization_id', '=', organizationId)
    .where('id', 'in', [...sessionIds])
    .where('revoked_at', 'is', null)
    .execute();
  // Access tokens live at most accessTokenTtl: the denylist entry outlives every one of them.
  for (const id of sessionIds)
    await deps.cache.set(revokedKey(id), reason, deps.config.auth.accessTokenTtl + 60);
}

/** Revokes every open session of a user (password reset, disabling the user). */
export async function revokeAllSessions(
  deps: Deps,
  tx: Tx,
  organizationId: string,
  userId: string,
  reason: string,
): Promise<void> {
  const open = await db(tx)
    .selectFrom('auth_sessions')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  await revokeSessions(
    deps,
    tx,
    organizationId,
    open.map((s) => s.id),
    reason,
  );
}

/**
 * Exchanges a refresh token for a new pair. Each token works once: presenting a spent one means
 * it was stolen or replayed, so the whole family (session) is revoked.
 */
export async function refreshSession(
  deps: Deps,
  refreshToken: string,
): Promise<TokenPair & { userId: string; organizationId: string }> {
  const hash = sha256(refreshToken);
  // The token names no organization, so it is found across organizations; everything after runs in its tenant.
  const found = await withSystem(deps.database.db, (tx) =>
    db(tx)
      .selectFrom('refresh_tokens')
      .select(['organization_id', 'session_id'])
      .where('token_hash', '=', hash)
      .executeTakeFirst(),
  );
  if (!found) throw errors.unauthenticated('The refresh token is invalid');
  const outcome = await withTenant(deps.database.db, found.organization_id, async (tx) => {
    const token = await db(tx)
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('organization_id', '=', found.organization_id)
      .where('token_hash', '=', hash)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const session = await db(tx)
      .selectFrom('auth_sessions')
      .selectAll()
      .where('organization_id', '=', found.organization_id)
      .where('id', '=', token.session_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (session.revoked_at) return { kind: 'revoked' as const };
    if (token.spent_at) {
      await revokeSessions(deps, tx, found.organization_id, [session.id], 'refresh token reused');
      return { kind: 'reused' as const };
    }
    if (token.expires_at.getTime() < Date.now()) return { kind: 'expired' as const };
    const user = await db(tx)
      .selectFrom('users')
      .select('status')
      .where('organization_id', '=', found.organization_id)
      .where('id', '=', session.user_id)
      .executeTakeFirst();
    if (user?.status !== 'active') return { kind: 'revoked' as const };
    await db(tx)
      .updateTable('refresh_tokens')
      .set({ spent_at: new Date() })
      .where('organization_id', '=', found.organization_id)
      .where('id', '=', token.id)
      .execute();
    await db(tx)
      .updateTable('auth_sessions')
      .set({ last_used_at: new Date() })
      .where('organization_id', '=', found.organization_id)
      .where('id', '=', session.id)
      .execute();
    const next = await issueRefresh(deps, tx, found.organization_id, session.id);
    const accessToken = await signAccessToken(deps, {
      userId: session.user_id,
      organizationId: found.organization_id,
      sessionId: session.id,
    });
    return {
      kind: 'ok' as const,
      pair: {
        accessToken,
        refreshToken: next,
        sessionId: session.id,
        userId: session.user_id,
        organizationId: found.organization_id,
      },
    };
  });
  switch (outcome.kind) {
    case 'ok':
      return outcome.pair;
    case 'reused':
      throw new DomainError(
        'unauthenticated',
        'IDENTITY_REFRESH_REUSED',
        'This refresh token was already used; the session has been revoked',
      );
    case 'expired':
      throw errors.unauthenticated('The refresh token has expired');
    case 'revoked':
      throw errors.unauthenticated('The session has ended');
  }
}

/** A login session as the user sees it. */
export interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

/** The caller's open sessions, newest first. */
export async function listSessions(ctx: Ctx): Promise<SessionView[]> {
  const userId = ctx.actor.userId;
  if (!userId) return [];
  return ctx.tx(async (tx) => {
    const rows = await db(tx)
      .selectFrom('auth_sessions')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('last_used_at', 'desc')
      .execute();
    return rows.map((s) => ({
      id: s.id,
      createdAt: s.created_at.toISOString(),
      lastUsedAt: s.last_used_at.toISOString(),
      userAgent: s.user_agent,
      ip: s.ip,
      current: s.id === ctx.actor.sessionId,
    }));
  });
}

/** Ends one of the caller's sessions (its access tokens stop working at once). */
export async function endSession(ctx: Ctx, sessionId: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const s = await db(tx)
      .selectFrom('auth_sessions')
      .select(['id', 'user_id'])
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!s || s.user_id !== ctx.actor.userId) throw errors.notFound('Session');
    await revokeSessions(ctx.deps, tx, ctx.organizationId, [s.id], 'revoked by user');
    await ctx.audit(tx, {
      action: 'session.revoked',
      targetType: 'session',
      targetId: s.id,
      diff: null,
    });
  });
}
