import { hkdfSync, randomUUID } from 'node:crypto';
import { createSigner, createVerifier, TokenError } from 'fast-jwt';
import type { Deps } from '../../platform/context/index.js';
import { errors } from '../../platform/errors/index.js';

const ISSUER = 'cerebro';
const ACCESS_AUDIENCE = 'cerebro-api';
const MFA_AUDIENCE = 'cerebro-mfa';
/** An MFA challenge is short: long enough to open an authenticator app. */
const MFA_TOKEN_TTL_MS = 300_000;

type Sign = (payload: Record<string, unknown>) => string;
type Verify = (token: string) => Record<string, unknown>;
interface Codec {
  signAccess: Sign;
  verifyAccess: Verify;
  signMfa: Sign;
  verifyMfa: Verify;
}

const codecs = new WeakMap<Buffer, Map<number, Codec>>();

/**
 * Signers and verifiers for one instance secret, built once. fast-jwt verifies synchronously
 * (HMAC in a few µs, where WebCrypto-based libraries spend ~80 µs), which matters because every
 * authenticated request verifies a token. The algorithm is pinned: `alg: none` and every other
 * algorithm are refused. The HS256 key is derived (HKDF) so one secret serves encryption and
 * signing apart.
 */
function codec(deps: Deps): Codec {
  const ttl = deps.config.auth.accessTokenTtl;
  let byTtl = codecs.get(deps.secretKey);
  if (!byTtl) {
    byTtl = new Map<number, Codec>();
    codecs.set(deps.secretKey, byTtl);
  }
  let c = byTtl.get(ttl);
  if (!c) {
    const key = Buffer.from(hkdfSync('sha256', deps.secretKey, Buffer.alloc(0), 'cerebro-jwt', 32));
    const verifier = (aud: string): Verify =>
      createVerifier<string>({
        key,
        algorithms: ['HS256'],
        allowedIss: ISSUER,
        allowedAud: aud,
        cache: 10_000,
      });
    c = {
      signAccess: createSigner<Record<string, unknown>>({
        key,
        algorithm: 'HS256',
        iss: ISSUER,
        aud: ACCESS_AUDIENCE,
        expiresIn: ttl * 1000,
      }),
      verifyAccess: verifier(ACCESS_AUDIENCE),
      signMfa: createSigner<Record<string, unknown>>({
        key,
        algorithm: 'HS256',
        iss: ISSUER,
        aud: MFA_AUDIENCE,
        expiresIn: MFA_TOKEN_TTL_MS,
      }),
      verifyMfa: verifier(MFA_AUDIENCE),
    };
    byTtl.set(ttl, c);
  }
  return c;
}

function verified(verify: Verify, token: string): Record<string, unknown> {
  try {
    return verify(token);
  } catch (e) {
    const expired = e instanceof TokenError && e.code === TokenError.codes.expired;
    throw errors.unauthenticated(expired ? 'The token has expired' : 'The token is invalid');
  }
}

/** What an access token says. */
export interface AccessClaims {
  userId: string;
  organizationId: string;
  sessionId: string;
}

export async function signAccessToken(deps: Deps, claims: AccessClaims): Promise<string> {
  return codec(deps).signAccess({
    sub: claims.userId,
    org: claims.organizationId,
    sid: claims.sessionId,
    jti: randomUUID(),
  });
}

/** Verifies an access token's signature, algorithm, issuer, audience and expiry. */
export async function verifyAccessToken(deps: Deps, token: string): Promise<AccessClaims> {
  const p = verified(codec(deps).verifyAccess, token);
  if (typeof p.sub !== 'string' || typeof p.org !== 'string' || typeof p.sid !== 'string')
    throw errors.unauthenticated('The token is invalid');
  return { userId: p.sub, organizationId: p.org, sessionId: p.sid };
}

/** A token proving the password step passed, to be exchanged with a TOTP code. */
export async function signMfaToken(
  deps: Deps,
  userId: string,
  organizationId: string,
): Promise<string> {
  return codec(deps).signMfa({ sub: userId, org: organizationId });
}

export async function verifyMfaToken(
  deps: Deps,
  token: string,
): Promise<{ userId: string; organizationId: string }> {
  const p = verified(codec(deps).verifyMfa, token);
  if (typeof p.sub !== 'string' || typeof p.org !== 'string')
    throw errors.unauthenticated('The token is invalid');
  return { userId: p.sub, organizationId: p.org };
}
