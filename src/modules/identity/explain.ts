import { authorize, decide, type Actor, type Decision } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { errors } from '../../platform/errors/index.js';
import type { OwnerResolver } from '../../platform/module-definition/index.js';
import { apiKeyActor, userActor } from './actor.js';
import type { IdentityTables } from './schema.js';

/** Who owns identity's own records, for explaining access to them. */
export const identityOwners: Record<string, OwnerResolver> = {
  users: async (tx, org, id) => {
    const u = await tx
      .withTables<IdentityTables>()
      .selectFrom('users')
      .select('id')
      .where('organization_id', '=', org)
      .where('id', '=', id)
      .executeTakeFirst();
    return u ? { ownerId: u.id } : null;
  },
  'api-keys': async (tx, org, id) => {
    const k = await tx
      .withTables<IdentityTables>()
      .selectFrom('api_keys')
      .select('created_by')
      .where('organization_id', '=', org)
      .where('id', '=', id)
      .executeTakeFirst();
    return k ? { ownerId: k.created_by } : null;
  },
};

export interface Explanation {
  subject: { type: 'user' | 'api_key'; id: string; name: string };
  resource: string;
  id: string | null;
  decisions: Array<{ action: string } & Decision>;
}

/** Why a user (or API key) can or cannot read and change a record: the role, permission and scope that decided. */
export async function explainAccess(
  ctx: Ctx,
  input: { userId?: string; apiKeyId?: string; resource: string; id?: string },
): Promise<Explanation> {
  authorize(ctx, 'roles:read');
  const catalog = ctx.deps.modules.permissions;
  const entry = catalog.find((r) => r.resource === input.resource);
  if (!entry)
    throw errors.validation([
      {
        path: 'resource',
        message: `unknown resource; use one of ${catalog.map((r) => r.resource).join(', ')}`,
      },
    ]);
  if (!input.userId === !input.apiKeyId)
    throw errors.validation([
      { path: 'userId', message: 'give exactly one of userId or apiKeyId' },
    ]);
  let subject: Actor | null;
  if (input.apiKeyId) {
    const key = await ctx.tx((tx) =>
      tx
        .withTables<IdentityTables>()
        .selectFrom('api_keys')
        .selectAll()
        .where('organization_id', '=', ctx.organizationId)
        .where('id', '=', input.apiKeyId ?? '')
        .executeTakeFirst(),
    );
    const creator = key
      ? await userActor(ctx.deps, ctx.organizationId, key.created_by, null)
      : null;
    subject = key && creator ? apiKeyActor(creator, key) : null;
  } else {
    subject = await userActor(ctx.deps, ctx.organizationId, input.userId ?? '', null);
  }
  if (!subject) throw errors.notFound(input.apiKeyId ? 'API key' : 'User');
  let record: { ownerId: string | null; teamId?: string | null } | undefined;
  if (input.id) {
    const resolve = ctx.deps.modules.owners.get(input.resource);
    if (!resolve)
      throw errors.validation([
        { path: 'id', message: `records of ${input.resource} cannot be looked up yet` },
      ]);
    const found = await ctx.tx((tx) => resolve(tx, ctx.organizationId, input.id ?? ''));
    if (!found) throw errors.notFound('Record');
    record = found;
  }
  const who = subject;
  return {
    subject: { type: who.type === 'api_key' ? 'api_key' : 'user', id: who.id, name: who.name },
    resource: input.resource,
    id: input.id ?? null,
    decisions: entry.actions.map((action) => ({
      action,
      ...decide(who, `${input.resource}:${action}`, record),
    })),
  };
}
