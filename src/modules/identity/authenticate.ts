import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/context/index.js';
import { randomToken, safeEqual, sha256 } from '../../platform/crypto/index.js';
import { withSystem, withTenant } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { CSRF_COOKIE, type Authenticate } from '../../platform/http/index.js';
import type { Actor } from '../../platform/authz/index.js';
import { apiKeyActor, authzVersionKey, userActor } from './actor.js';
import * as principals from './principals.js';
import { revokedSessionKey, type TokenPair } from './sessions.js';
import type { IdentityTables } from './schema.js';
import { verifyAccessToken } from './tokens.js';

export const ACCESS_COOKIE = 'cerebro_access';
export const REFRESH_COOKIE = 'cerebro_refresh';
const REFRESH_COOKIE_PATH = '/api/v1/auth';
/** API keys look like `crb_<prefix>_<secret>`; the prefix finds the row, the secret is compared by hash. */
const API_KEY = /^crb_([a-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;
const SESSION_CHECK_TTL = 30;

/** Whether the request comes from the web app, which keeps tokens in HttpOnly cookies. */
export const isWebClient = (req: FastifyRequest): boolean =>
  req.headers['x-cerebro-client'] === 'web';

/** Sets the session cookies (web app) — the tokens never reach page scripts. */
export function setSessionCookies(deps: Deps, reply: FastifyReply, pair: TokenPair): void {
  const secure = deps.config.http.trustProxy;
  void reply.setCookie(ACCESS_COOKIE, pair.accessToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: deps.config.auth.accessTokenTtl,
  });
  void reply.setCookie(REFRESH_COOKIE, pair.refreshToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: REFRESH_COOKIE_PATH,
    maxAge: deps.config.auth.refreshTokenTtl,
  });
  // Double-submit CSRF token: readable by the app, echoed in X-CSRF-Token on writes.
  void reply.setCookie(CSRF_COOKIE, randomToken(18), {
    httpOnly: false,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: deps.config.auth.refreshTokenTtl,
  });
}

export function clearSessionCookies(reply: FastifyReply): void {
  void reply.clearCookie(ACCESS_COOKIE, { path: '/' });
  void reply.clearCookie(REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH });
  void reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

/**
 * Whether a session is still open in the database (the caller checked the denylist, which answers
 * at once; this catches revocations the cache no longer remembers, e.g. after a restart).
 */
async function sessionOpen(
  deps: Deps,
  organizationId: string,
  sessionId: string,
): Promise<boolean> {
  const okKey = `session-ok:${sessionId}`;
  if (await deps.cache.get(okKey)) return true;
  const s = await withTenant(deps.database.db, organizationId, (tx) =>
    tx
      .withTables<IdentityTables>()
      .selectFrom('auth_sessions')
      .select('revoked_at')
      .where('organization_id', '=', organizationId)
      .where('id', '=', sessionId)
      .executeTakeFirst(),
  );
  const open = Boolean(s && !s.revoked_at);
  if (open) await deps.cache.set(okKey, '1', SESSION_CHECK_TTL);
  return open;
}

/** Looks an API key up by its unique prefix (it names no organization) and checks it. */
async function loadApiKey(deps: Deps, prefix: string, secret: string) {
  const key = await withSystem(deps.database.db, (tx) =>
    tx
      .withTables<IdentityTables>()
      .selectFrom('api_keys')
      .selectAll()
      .where('prefix', '=', prefix)
      .executeTakeFirst(),
  );
  if (
    !key ||
    !safeEqual(key.secret_hash, sha256(secret)) ||
    key.revoked_at ||
    (key.expires_at && key.expires_at.getTime() < Date.now())
  ) {
    throw errors.unauthenticated('The API key is invalid, revoked or expired');
  }
  return key;
}

/** Records an API key's use, at most once a minute, so authenticated reads stay free of writes. */
async function recordUse(deps: Deps, organizationId: string, keyId: string): Promise<void> {
  const usedKey = `api-key-used:${keyId}`;
  if (await deps.cache.get(usedKey)) return;
  await deps.cache.set(usedKey, '1', 60);
  await withTenant(deps.database.db, organizationId, (tx) =>
    tx
      .withTables<IdentityTables>()
      .updateTable('api_keys')
      .set({ last_used_at: new Date() })
      .where('organization_id', '=', organizationId)
      .where('id', '=', keyId)
      .execute(),
  );
}

async function fromApiKey(deps: Deps, token: string): Promise<Actor> {
  const m = API_KEY.exec(token);
  if (!m) throw errors.unauthenticated('The API key is invalid');
  const [, prefix = '', secret = ''] = m;
  // Keyed by the whole key's hash: only a request that presented this very key can hit the entry.
  const cacheKey = `key:${sha256(token)}`;
  const known = principals.lookup(deps, cacheKey);
  // The version must be read before the key's row: a revocation committed in between then leaves
  // the entry stale. The first time, the organization (and so which version) is not known yet:
  // that entry only records it, and the next request makes one that can answer.
  const [version = null] = known
    ? await deps.cache.mget([authzVersionKey(known.organizationId)])
    : [];
  if (known && principals.isCurrent(known, version ?? '0')) return known.actor;
  const key = await loadApiKey(deps, prefix, secret);
  const readFirst = known?.organizationId === key.organization_id ? (version ?? '0') : null;
  const creator = await userActor(
    deps,
    key.organization_id,
    key.created_by,
    null,
    readFirst ?? undefined,
  );
  if (!creator) throw errors.unauthenticated("The API key's owner is disabled");
  await recordUse(deps, key.organization_id, key.id);
  const actor = apiKeyActor(creator, key);
  principals.remember(deps, cacheKey, {
    actor,
    organizationId: key.organization_id,
    version: readFirst,
    expiresAt: key.expires_at?.getTime() ?? null,
  });
  return actor;
}

async function fromAccessToken(deps: Deps, token: string): Promise<Actor> {
  const claims = await verifyAccessToken(deps, token);
  const { organizationId, sessionId, userId } = claims;
  // One round trip (none in memory) answers both "was the session revoked?" and "did anything
  // about this organization's users, roles, teams or keys change since the entry was made?".
  const [version = null, revoked = null] = await deps.cache.mget([
    authzVersionKey(organizationId),
    revokedSessionKey(sessionId),
  ]);
  if (revoked !== null) throw errors.unauthenticated('The session has ended');
  const cacheKey = `session:${organizationId}:${sessionId}:${userId}`;
  const known = principals.lookup(deps, cacheKey);
  if (known && principals.isCurrent(known, version ?? '0')) return known.actor;
  if (!(await sessionOpen(deps, organizationId, sessionId)))
    throw errors.unauthenticated('The session has ended');
  const actor = await userActor(deps, organizationId, userId, sessionId, version ?? '0');
  if (!actor) throw errors.unauthenticated('The account is disabled');
  principals.remember(deps, cacheKey, {
    actor,
    organizationId,
    version: version ?? '0',
    expiresAt: null,
  });
  return actor;
}

/** Reads the bearer token (access token or API key) or the web app's access cookie. */
export const authenticate: Authenticate = async (req, deps) => {
  const header = req.headers.authorization;
  let token: string | undefined;
  let via: 'bearer' | 'cookie' = 'bearer';
  if (typeof header === 'string' && header.length > 0) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m?.[1]) throw errors.unauthenticated('Use Authorization: Bearer <token>');
    token = m[1];
  } else if (req.cookies[ACCESS_COOKIE]) {
    token = req.cookies[ACCESS_COOKIE];
    via = 'cookie';
  }
  if (!token) return null;
  const actor = token.startsWith('crb_')
    ? await fromApiKey(deps, token)
    : await fromAccessToken(deps, token);
  return { actor, via };
};
