import { authorize, decide, PERMISSION_CATALOG, type Actor, type Decision } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { apiKeyActor, userActor } from './actor.js';
import type { IdentityTables } from './schema.js';

/** Finds who owns a record, so access can be explained for it. */
export type OwnerResolver = (tx: Tx, organizationId: string, id: string) => Promise<{ ownerId: string | null; teamId?: string | null } | null>;

const resolvers = new Map<string, OwnerResolver>();

/** Modules register how to find the owner of their records (contacts, deals…). */
export function registerOwnerResolver(resource: string, resolve: OwnerResolver): void {
  resolvers.set(resource, resolve);
}

registerOwnerResolver('users', async (tx, org, id) => {
  const u = await tx.withTables<IdentityTables>().selectFrom('users').select('id').where('organization_id', '=', org).where('id', '=', id).executeTakeFirst();
  return u ? { ownerId: u.id } : null;
});
registerOwnerResolver('api-keys', async (tx, org, id) => {
  const k = await tx.withTables<IdentityTables>().selectFrom('api_keys').select('created_by').where('organization_id', '=', org).where('id', '=', id).executeTakeFirst();
  return k ? { ownerId: k.created_by } : null;
});

export interface Explanation {
  subject: { type: 'user' | 'api_key'; id: string; name: string };
  resource: string;
  id: string | null;
  decisions: Array<{ action: string } & Decision>;
}

/** Why a user (or API key) can or cannot read and change a record: the role, permission and scope that decided. */
export async function explainAccess(ctx: Ctx, input: { userId?: string; apiKeyId?: string; resource: string; id?: string }): Promise<Explanation> {
  authorize(ctx, 'roles:read');
  const entry = PERMISSION_CATALOG.find((r) => r.resource === input.resource);
  if (!entry) throw errors.validation([{ path: 'resource', message: `unknown resource; use one of ${PERMISSION_CATALOG.map((r) => r.resource).join(', ')}` }]);
  if (!input.userId === !input.apiKeyId) throw errors.validation([{ path: 'userId', message: 'give exactly one of userId or apiKeyId' }]);
  let subject: Actor | null;
  if (input.apiKeyId) {
    const key = await ctx.tx((tx) => tx.withTables<IdentityTables>().selectFrom('api_keys').selectAll().where('organization_id', '=', ctx.organizationId).where('id', '=', input.apiKeyId ?? '').executeTakeFirst());
    const creator = key ? await userActor(ctx.deps, ctx.organizationId, key.created_by, null) : null;
    subject = key && creator ? apiKeyActor(creator, key) : null;
  } else {
    subject = await userActor(ctx.deps, ctx.organizationId, input.userId ?? '', null);
  }
  if (!subject) throw errors.notFound(input.apiKeyId ? 'API key' : 'User');
  let record: { ownerId: string | null; teamId?: string | null } | undefined;
  if (input.id) {
    const resolve = resolvers.get(input.resource);
    if (!resolve) throw errors.validation([{ path: 'id', message: `records of ${input.resource} cannot be looked up yet` }]);
    const found = await ctx.tx((tx) => resolve(tx, ctx.organizationId, input.id ?? ''));
    if (!found) throw errors.notFound('Record');
    record = found;
  }
  const who = subject;
  return {
    subject: { type: who.type === 'api_key' ? 'api_key' : 'user', id: who.id, name: who.name },
    resource: input.resource,
    id: input.id ?? null,
    decisions: entry.actions.map((action) => ({ action, ...decide(who, `${input.resource}:${action}`, record) })),
  };
}
