import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { authorize, ownerFilter } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { randomToken, sha256 } from '../../platform/crypto/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { bumpAuthzVersion } from './actor.js';
import type { IdentityTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<IdentityTables>();

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  createdBy: string;
}

type KeyRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  created_by: string;
};
const present = (r: KeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scopes: r.scopes,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  expiresAt: r.expires_at?.toISOString() ?? null,
  createdBy: r.created_by,
});
const COLUMNS = [
  'id',
  'name',
  'prefix',
  'scopes',
  'created_at',
  'last_used_at',
  'expires_at',
  'created_by',
] as const;

/** Keys the actor may see: their own, or every key with `api-keys:read` on all. */
export async function listApiKeys(ctx: Ctx): Promise<ApiKeyView[]> {
  authorize(ctx, 'api-keys:read');
  const f = ownerFilter(ctx.actor, 'api-keys:read');
  return ctx.tx(async (tx) => {
    let q = db(tx)
      .selectFrom('api_keys')
      .select(COLUMNS)
      .where('organization_id', '=', ctx.organizationId)
      .where('revoked_at', 'is', null);
    if (f.kind === 'owners')
      q = q.where(
        'created_by',
        'in',
        f.userIds.length ? [...f.userIds] : ['00000000-0000-0000-0000-000000000000'],
      );
    return (await q.orderBy('created_at', 'desc').execute()).map(present);
  });
}

/**
 * Creates a key acting as its creator, limited to `scopes` — each must be a permission the
 * creator holds. The secret is returned once and only its hash is kept.
 */
export async function createApiKey(
  ctx: Ctx,
  input: { name: string; scopes: string[]; expiresAt?: string | null },
): Promise<ApiKeyView & { secret: string }> {
  authorize(ctx, 'api-keys:create');
  const userId = ctx.actor.userId;
  if (ctx.actor.type !== 'user' || !userId)
    throw errors.forbidden('API keys are created by signed-in users');
  const problems = input.scopes.flatMap((s, i) =>
    ctx.actor.grants.has(s) ? [] : [{ path: `scopes.${i}`, message: `you do not hold ${s}` }],
  );
  if (problems.length) throw errors.validation(problems);
  if (input.expiresAt && Date.parse(input.expiresAt) < Date.now())
    throw errors.validation([{ path: 'expiresAt', message: 'must be in the future' }]);
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = randomToken(32);
  return ctx.tx(async (tx) => {
    const id = uuidv7();
    const row = await db(tx)
      .insertInto('api_keys')
      .values({
        organization_id: ctx.organizationId,
        id,
        name: input.name,
        prefix,
        secret_hash: sha256(secret),
        scopes: [...new Set(input.scopes)],
        created_by: userId,
        expires_at: input.expiresAt ?? null,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: id,
      diff: { name: { from: null, to: input.name }, scopes: { from: null, to: row.scopes } },
    });
    return { ...present(row), secret: `crb_${prefix}_${secret}` };
  });
}

export async function revokeApiKey(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const key = await db(tx)
      .selectFrom('api_keys')
      .select(['id', 'created_by', 'name'])
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!key) throw errors.notFound('API key');
    authorize(ctx, 'api-keys:delete', { ownerId: key.created_by });
    await db(tx)
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, {
      action: 'api_key.revoked',
      targetType: 'api_key',
      targetId: id,
      diff: null,
    });
    // Every process's resolved principals of this organization, the key's among them, go stale.
    await bumpAuthzVersion(ctx.deps, ctx.organizationId, tx);
  });
}
