import { hkdfSync, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import type { Deps } from '../../platform/context/index.js';
import { errors } from '../../platform/errors/index.js';

const ISSUER = 'cerebro';
const ACCESS_AUDIENCE = 'cerebro-api';
const MFA_AUDIENCE = 'cerebro-mfa';
/** An MFA challenge is short: long enough to open an authenticator app. */
const MFA_TOKEN_TTL = 300;

const keys = new WeakMap<Buffer, Uint8Array>();

/** The HS256 key, derived from the instance secret so one secret serves encryption and signing apart. */
function signingKey(secret: Buffer): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new Uint8Array(hkdfSync('sha256', secret, Buffer.alloc(0), 'cerebro-jwt', 32));
    keys.set(secret, key);
  }
  return key;
}

/** What an access token says. */
export interface AccessClaims {
  userId: string;
  organizationId: string;
  sessionId: string;
}

export async function signAccessToken(deps: Deps, claims: AccessClaims): Promise<string> {
  return new SignJWT({ org: claims.organizationId, sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(ACCESS_AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${deps.config.auth.accessTokenTtl}s`)
    .sign(signingKey(deps.secretKey));
}

async function verify(deps: Deps, token: string, audience: string): Promise<Record<string, unknown>> {
  try {
    // The algorithm is pinned: `alg: none` and every other algorithm are refused.
    const { payload } = await jwtVerify(token, signingKey(deps.secretKey), { algorithms: ['HS256'], issuer: ISSUER, audience });
    return payload;
  } catch (e) {
    const expired = e instanceof joseErrors.JWTExpired;
    throw errors.unauthenticated(expired ? 'The token has expired' : 'The token is invalid');
  }
}

/** Verifies an access token's signature, algorithm, issuer, audience and expiry. */
export async function verifyAccessToken(deps: Deps, token: string): Promise<AccessClaims> {
  const p = await verify(deps, token, ACCESS_AUDIENCE);
  if (typeof p.sub !== 'string' || typeof p.org !== 'string' || typeof p.sid !== 'string') throw errors.unauthenticated('The token is invalid');
  return { userId: p.sub, organizationId: p.org, sessionId: p.sid };
}

/** A token proving the password step passed, to be exchanged with a TOTP code. */
export async function signMfaToken(deps: Deps, userId: string, organizationId: string): Promise<string> {
  return new SignJWT({ org: organizationId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(MFA_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${MFA_TOKEN_TTL}s`)
    .sign(signingKey(deps.secretKey));
}

export async function verifyMfaToken(deps: Deps, token: string): Promise<{ userId: string; organizationId: string }> {
  const p = await verify(deps, token, MFA_AUDIENCE);
  if (typeof p.sub !== 'string' || typeof p.org !== 'string') throw errors.unauthenticated('The token is invalid');
  return { userId: p.sub, organizationId: p.org };
}
