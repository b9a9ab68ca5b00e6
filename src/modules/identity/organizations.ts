import { v7 as uuidv7 } from 'uuid';
import { appendAudit } from '../../platform/audit/index.js';
import type { Deps } from '../../platform/context/index.js';
import { isUniqueViolation, withSystem, withTenant, type Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { hashPassword } from './passwords.js';
import type { IdentityTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<IdentityTables>();

function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'org'
  );
}

/** Whether an account with this email exists anywhere (emails are unique across the deployment). */
export async function emailTaken(deps: Deps, email: string): Promise<boolean> {
  const row = await withSystem(deps.database.db, (tx) =>
    db(tx)
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst(),
  );
  return Boolean(row);
}

/** Inserts a user with one role (and optionally a team) inside the organization's transaction. */
export async function insertUser(
  tx: Tx,
  organizationId: string,
  input: {
    email: string;
    name: string;
    passwordHash: string;
    roleId: string;
    teamId?: string | null;
  },
): Promise<string> {
  const id = uuidv7();
  await db(tx)
    .insertInto('users')
    .values({
      organization_id: organizationId,
      id,
      email: input.email.toLowerCase(),
      name: input.name,
      password_hash: input.passwordHash,
    })
    .execute();
  await db(tx)
    .insertInto('user_roles')
    .values({ organization_id: organizationId, user_id: id, role_id: input.roleId })
    .execute();
  if (input.teamId)
    await db(tx)
      .insertInto('team_members')
      .values({ organization_id: organizationId, team_id: input.teamId, user_id: id })
      .execute();
  return id;
}

/**
 * Creates an organization with the default roles and its first user as admin, in one
 * transaction with every module's organization setup (`deps.modules`). The organization row is written as the system (there is no tenant yet); the rest
 * runs inside the new tenant.
 */
export async function bootstrapOrganization(
  deps: Deps,
  input: { organizationName: string; email: string; name: string; password: string },
): Promise<{ organizationId: string; userId: string }> {
  if (await emailTaken(deps, input.email))
    throw errors.conflict('IDENTITY_EMAIL_TAKEN', 'An account with this email already exists', {
      path: 'email',
    });
  const passwordHash = await hashPassword(input.password);
  const organizationId = uuidv7();
  const base = slugify(input.organizationName);
  // Two sign-ups with one name at once both see the slug free: the one that loses tries the next.
  for (let attempt = 0; ; attempt++) {
    const inserted = await withSystem(deps.database.db, async (tx) => {
      const taken = await tx
        .selectFrom('organizations')
        .select('slug')
        .where('slug', 'like', `${base}%`)
        .execute();
      const used = new Set(taken.map((t) => t.slug));
      let slug = base;
      for (let i = 2; used.has(slug); i++) slug = `${base}-${i}`;
      return tx
        .insertInto('organizations')
        .values({ id: organizationId, name: input.organizationName.trim(), slug, settings: '{}' })
        .onConflict((oc) => oc.column('slug').doNothing())
        .returning('id')
        .executeTakeFirst();
    });
    if (inserted) break;
    if (attempt >= 5)
      throw errors.conflict(
        'IDENTITY_SIGNUP_BUSY',
        'Too many sign-ups with this name at once; try again',
      );
  }
  let userId: string;
  try {
    userId = await withTenant(deps.database.db, organizationId, async (tx) => {
      let adminRoleId = '';
      for (const role of deps.modules.defaultRoles) {
        const id = uuidv7();
        if (role.key === 'admin') adminRoleId = id;
        await db(tx)
          .insertInto('roles')
          .values({
            organization_id: organizationId,
            id,
            key: role.key,
            name: role.name,
            description: role.description,
            is_system: true,
            permissions: JSON.stringify(role.permissions),
          })
          .execute();
      }
      const id = await insertUser(tx, organizationId, {
        email: input.email,
        name: input.name.trim(),
        passwordHash,
        roleId: adminRoleId,
      });
      await appendAudit(tx, {
        organizationId,
        actorType: 'user',
        actorId: id,
        action: 'organization.created',
        targetType: 'organization',
        targetId: organizationId,
        diff: { name: { from: null, to: input.organizationName } },
      });
      for (const setup of deps.modules.organizationSetups) await setup(tx, organizationId);
      return id;
    });
  } catch (e) {
    // The organization row was committed on its own: take it back, so a failed sign-up leaves nothing behind.
    await withSystem(deps.database.db, (tx) =>
      tx.deleteFrom('organizations').where('id', '=', organizationId).execute(),
    );
    // Two sign-ups with one email at once: the unique index decides, and the loser hears why.
    if (isUniqueViolation(e))
      throw errors.conflict('IDENTITY_EMAIL_TAKEN', 'An account with this email already exists', {
        path: 'email',
      });
    throw e;
  }
  return { organizationId, userId };
}

/** Every organization (system scope), oldest first. */
export async function listOrganizations(
  deps: Deps,
): Promise<Array<{ id: string; name: string; slug: string }>> {
  return withSystem(deps.database.db, (tx) =>
    tx.selectFrom('organizations').select(['id', 'name', 'slug']).orderBy('created_at').execute(),
  );
}

/** Creates a user in an organization (the only one when no slug is given) with one role — for the CLI. */
export async function createUserInOrganization(
  deps: Deps,
  input: {
    organizationSlug?: string;
    email: string;
    name: string;
    password: string;
    roleKey: string;
  },
): Promise<{ organizationId: string; userId: string }> {
  const orgs = await listOrganizations(deps);
  const org = input.organizationSlug
    ? orgs.find((o) => o.slug === input.organizationSlug)
    : orgs.length === 1
      ? orgs[0]
      : undefined;
  if (!org)
    throw new Error(
      input.organizationSlug
        ? `No organization ${input.organizationSlug}`
        : 'Name the organization with --organization (there is more than one, or none)',
    );
  if (input.password.length < 10) throw new Error('The password must be at least 10 characters');
  if (await emailTaken(deps, input.email))
    throw new Error('An account with this email already exists');
  const passwordHash = await hashPassword(input.password);
  const userId = await withTenant(deps.database.db, org.id, async (tx) => {
    const role = await db(tx)
      .selectFrom('roles')
      .select('id')
      .where('organization_id', '=', org.id)
      .where('key', '=', input.roleKey)
      .executeTakeFirst();
    if (!role) throw new Error(`No role ${input.roleKey}`);
    const id = await insertUser(tx, org.id, {
      email: input.email,
      name: input.name,
      passwordHash,
      roleId: role.id,
    });
    await appendAudit(tx, {
      organizationId: org.id,
      actorType: 'system',
      actorId: null,
      action: 'user.created',
      targetType: 'user',
      targetId: id,
      diff: { email: { from: null, to: input.email }, role: { from: null, to: input.roleKey } },
    });
    return id;
  });
  return { organizationId: org.id, userId };
}
