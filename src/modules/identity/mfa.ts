import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Ctx, Deps } from '../../platform/context/index.js';
import { decrypt, encrypt, safeEqual, sha256 } from '../../platform/crypto/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { bumpAuthzVersion } from './actor.js';
import { verifyPassword } from './passwords.js';
import type { IdentityTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<IdentityTables>();
const RECOVERY_CODES = 10;

function totpFor(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: 'Cerebro',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

function requireUser(ctx: Ctx): string {
  if (ctx.actor.type !== 'user' || !ctx.actor.userId)
    throw errors.forbidden('Only a signed-in user manages their MFA');
  return ctx.actor.userId;
}

/** Starts MFA enrolment: a new secret (stored encrypted, pending) and its QR code. */
export async function setupMfa(
  ctx: Ctx,
): Promise<{ secret: string; otpauthUrl: string; qrCodeDataUrl: string }> {
  const userId = requireUser(ctx);
  const secret = new Secret({ size: 20 }).base32;
  return ctx.tx(async (tx) => {
    const user = await db(tx)
      .selectFrom('users')
      .select(['email', 'mfa_enabled'])
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    if (user.mfa_enabled)
      throw errors.conflict(
        'IDENTITY_MFA_ALREADY_ENABLED',
        'MFA is already on; turn it off first to enrol a new device',
      );
    await db(tx)
      .updateTable('users')
      .set({ mfa_pending_secret_enc: encrypt(ctx.deps.secretKey, secret) })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', userId)
      .execute();
    const otpauthUrl = totpFor(secret, user.email).toString();
    return {
      secret,
      otpauthUrl,
      qrCodeDataUrl: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 220 }),
    };
  });
}

/** Turns MFA on once the user proves the authenticator works; answers the recovery codes, once. */
export async function enableMfa(ctx: Ctx, code: string): Promise<{ recoveryCodes: string[] }> {
  const userId = requireUser(ctx);
  return ctx.tx(async (tx) => {
    const user = await db(tx)
      .selectFrom('users')
      .select(['email', 'mfa_pending_secret_enc'])
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!user.mfa_pending_secret_enc)
      throw new DomainError(
        'rule_violated',
        'IDENTITY_MFA_NOT_SET_UP',
        'Start with POST /auth/mfa/setup',
      );
    const secret = decrypt(ctx.deps.secretKey, user.mfa_pending_secret_enc);
    if (totpFor(secret, user.email).validate({ token: code, window: 1 }) === null) {
      throw new DomainError('validation', 'IDENTITY_MFA_INVALID', 'The code is not valid', {
        details: [{ path: 'code', message: 'does not match the authenticator' }],
      });
    }
    const recoveryCodes = Array.from({ length: RECOVERY_CODES }, () =>
      randomBytes(5).toString('hex'),
    );
    await db(tx)
      .updateTable('users')
      .set({
        mfa_enabled: true,
        mfa_secret_enc: user.mfa_pending_secret_enc,
        mfa_pending_secret_enc: null,
        mfa_recovery_hashes: recoveryCodes.map(sha256),
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', userId)
      .execute();
    await ctx.audit(tx, {
      action: 'user.mfa_enabled',
      targetType: 'user',
      targetId: userId,
      diff: null,
    });
    await bumpAuthzVersion(ctx.deps, ctx.organizationId, tx);
    return { recoveryCodes };
  });
}

/** Turns MFA off after the password is confirmed. */
export async function disableMfa(ctx: Ctx, password: string): Promise<void> {
  const userId = requireUser(ctx);
  await ctx.tx(async (tx) => {
    const user = await db(tx)
      .selectFrom('users')
      .select(['password_hash'])
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    if (!(await verifyPassword(user.password_hash, password))) {
      throw new DomainError('validation', 'IDENTITY_PASSWORD_WRONG', 'The password is incorrect', {
        details: [{ path: 'password', message: 'is incorrect' }],
      });
    }
    await db(tx)
      .updateTable('users')
      .set({
        mfa_enabled: false,
        mfa_secret_enc: null,
        mfa_pending_secret_enc: null,
        mfa_recovery_hashes: [],
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', userId)
      .execute();
    await ctx.audit(tx, {
      action: 'user.mfa_disabled',
      targetType: 'user',
      targetId: userId,
      diff: null,
    });
    await bumpAuthzVersion(ctx.deps, ctx.organizationId, tx);
  });
}

/** Checks a TOTP code, or spends one recovery code. */
export async function verifyTotpOrRecovery(
  deps: Deps,
  tx: Tx,
  organizationId: string,
  userId: string,
  code: string,
): Promise<boolean> {
  const user = await db(tx)
    .selectFrom('users')
    .select(['email', 'mfa_secret_enc', 'mfa_recovery_hashes'])
    .where('organization_id', '=', organizationId)
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!user?.mfa_secret_enc) return false;
  const trimmed = code.replace(/\s/g, '');
  if (/^\d{6}$/.test(trimmed))
    return (
      totpFor(decrypt(deps.secretKey, user.mfa_secret_enc), user.email).validate({
        token: trimmed,
        window: 1,
      }) !== null
    );
  const hash = sha256(trimmed.toLowerCase());
  const match = user.mfa_recovery_hashes.find((h) => safeEqual(h, hash));
  if (!match) return false;
  await db(tx)
    .updateTable('users')
    .set({ mfa_recovery_hashes: user.mfa_recovery_hashes.filter((h) => h !== match) })
    .where('organization_id', '=', organizationId)
    .where('id', '=', userId)
    .execute();
  return true;
}
