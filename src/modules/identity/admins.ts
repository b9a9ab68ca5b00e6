import type { Tx } from '../../platform/db/index.js';
import type { IdentityTables } from './schema.js';

/** Someone to send an administrative notice to. */
export interface AdminRecipient {
  userId: string;
  email: string;
  name: string;
}

/**
 * The active users holding the admin role, for notices only admins should get (a webhook that
 * was switched off, …). Runs in the caller's tenant transaction.
 */
export async function listAdminRecipients(
  tx: Tx,
  organizationId: string,
): Promise<AdminRecipient[]> {
  const rows = await tx
    .withTables<IdentityTables>()
    .selectFrom('user_roles')
    .innerJoin('roles', (j) =>
      j
        .onRef('roles.organization_id', '=', 'user_roles.organization_id')
        .onRef('roles.id', '=', 'user_roles.role_id'),
    )
    .innerJoin('users', (j) =>
      j
        .onRef('users.organization_id', '=', 'user_roles.organization_id')
        .onRef('users.id', '=', 'user_roles.user_id'),
    )
    .select(['users.id', 'users.email', 'users.name'])
    .where('user_roles.organization_id', '=', organizationId)
    .where('roles.key', '=', 'admin')
    .where('users.status', '=', 'active')
    .orderBy('users.email')
    .execute();
  return rows.map((r) => ({ userId: r.id, email: r.email, name: r.name }));
}
