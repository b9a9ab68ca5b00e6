import { v7 as uuidv7 } from 'uuid';
import { appendAudit } from '../../platform/audit/index.js';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx, Deps } from '../../platform/context/index.js';
import { randomToken, sha256 } from '../../platform/crypto/index.js';
import { withSystem, withTenant, type Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { unknownReferenceMessage, unknownReferences } from '../../platform/references/index.js';
import { escapeHtml, type Session } from './auth.js';
import { emailTaken, insertUser } from './organizations.js';
import { hashPassword } from './passwords.js';
import type { IdentityTables } from './schema.js';
import { startSession, type ClientInfo } from './sessions.js';

const db = (tx: Tx) => tx.withTables<IdentityTables>();
const INVITATION_DAYS = 7;

export interface InvitationView {
  id: string;
  email: string;
  role: { id: string; key: string; name: string };
  teamId: string | null;
  expiresAt: string;
  acceptedAt: string | null;
  createdAt: string;
}

async function invitationRows(
  tx: Tx,
  organizationId: string,
  id?: string,
): Promise<InvitationView[]> {
  let q = db(tx)
    .selectFrom('invitations')
    .innerJoin('roles', (j) =>
      j
        .onRef('roles.organization_id', '=', 'invitations.organization_id')
        .onRef('roles.id', '=', 'invitations.role_id'),
    )
    .select([
      'invitations.id',
      'invitations.email',
      'invitations.team_id',
      'invitations.expires_at',
      'invitations.accepted_at',
      'invitations.created_at',
      'roles.id as role_id',
      'roles.key as role_key',
      'roles.name as role_name',
    ])
    .where('invitations.organization_id', '=', organizationId)
    .where('invitations.revoked_at', 'is', null);
  if (id) q = q.where('invitations.id', '=', id);
  const rows = await q.orderBy('invitations.created_at', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: { id: r.role_id, key: r.role_key, name: r.role_name },
    teamId: r.team_id,
    expiresAt: r.expires_at.toISOString(),
    acceptedAt: r.accepted_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function listInvitations(ctx: Ctx): Promise<InvitationView[]> {
  authorize(ctx, 'users:read');
  return ctx.tx((tx) => invitationRows(tx, ctx.organizationId));
}

/** Invites someone by email with a role (and team); the link in the email is valid for 7 days. */
export async function inviteUser(
  ctx: Ctx,
  input: { email: string; roleId: string; teamId?: string | null },
): Promise<InvitationView> {
  authorize(ctx, 'users:create');
  if (await emailTaken(ctx.deps, input.email))
    throw errors.conflict('IDENTITY_EMAIL_TAKEN', 'An account with this email already exists', {
      path: 'email',
    });
  const token = randomToken(32);
  return ctx.tx(async (tx) => {
    const role = await db(tx)
      .selectFrom('roles')
      .select(['id'])
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', input.roleId)
      .executeTakeFirst();
    if (!role)
      throw unknownReferences([{ path: 'roleId', message: unknownReferenceMessage('role') }]);
    if (input.teamId) {
      const team = await db(tx)
        .selectFrom('teams')
        .select('id')
        .where('organization_id', '=', ctx.organizationId)
        .where('id', '=', input.teamId)
        .executeTakeFirst();
      if (!team)
        throw unknownReferences([{ path: 'teamId', message: unknownReferenceMessage('team') }]);
    }
    const id = uuidv7();
    await db(tx)
      .insertInto('invitations')
      .values({
        organization_id: ctx.organizationId,
        id,
        email: input.email.toLowerCase(),
        role_id: input.roleId,
        team_id: input.teamId ?? null,
        token_hash: sha256(token),
        invited_by: ctx.actor.userId,
        expires_at: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      })
      .execute();
    const org = await tx
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', ctx.organizationId)
      .executeTakeFirstOrThrow();
    const link = `${ctx.deps.config.http.publicUrl}/accept-invitation?token=${token}`;
    await ctx.deps.mailer.send(tx, {
      organizationId: ctx.organizationId,
      to: input.email.toLowerCase(),
      subject: `${ctx.actor.name} invited you to ${org.name} on Cerebro`,
      text: `${ctx.actor.name} invited you to join ${org.name} on Cerebro.\n\nAccept the invitation within ${INVITATION_DAYS} days:\n\n${link}\n`,
      html: `<p>${escapeHtml(ctx.actor.name)} invited you to join <b>${escapeHtml(org.name)}</b> on Cerebro.</p><p><a href="${link}">Accept the invitation</a> (valid for ${INVITATION_DAYS} days)</p>`,
    });
    await ctx.audit(tx, {
      action: 'user.invited',
      targetType: 'invitation',
      targetId: id,
      diff: {
        email: { from: null, to: input.email.toLowerCase() },
        roleId: { from: null, to: input.roleId },
      },
    });
    await ctx.emit(tx, {
      type: 'user.invited',
      aggregateType: 'invitation',
      aggregateId: id,
      payload: { email: input.email.toLowerCase(), roleId: input.roleId },
    });
    return (await invitationRows(tx, ctx.organizationId, id))[0] as InvitationView;
  });
}

export async function revokeInvitation(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx, 'users:create');
  await ctx.tx(async (tx) => {
    const done = await db(tx)
      .updateTable('invitations')
      .set({ revoked_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw errors.notFound('Invitation');
    await ctx.audit(tx, {
      action: 'invitation.revoked',
      targetType: 'invitation',
      targetId: id,
      diff: null,
    });
  });
}

async function findOpenInvitation(deps: Deps, token: string) {
  const hash = sha256(token);
  // The token names no organization; it is found by its unique hash, then read inside its tenant.
  const found = await withSystem(deps.database.db, (tx) =>
    db(tx)
      .selectFrom('invitations')
      .select('organization_id')
      .where('token_hash', '=', hash)
      .executeTakeFirst(),
  );
  if (!found) throw errors.notFound('Invitation');
  return { organizationId: found.organization_id, hash };
}

/** What the accept page shows before the person signs up. */
export async function describeInvitation(
  deps: Deps,
  token: string,
): Promise<{ email: string; organizationName: string; expiresAt: string }> {
  const { organizationId, hash } = await findOpenInvitation(deps, token);
  return withTenant(deps.database.db, organizationId, async (tx) => {
    const inv = await db(tx)
      .selectFrom('invitations')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('token_hash', '=', hash)
      .executeTakeFirstOrThrow();
    if (inv.accepted_at || inv.revoked_at || inv.expires_at.getTime() < Date.now())
      throw errors.notFound('Invitation');
    const org = await tx
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', organizationId)
      .executeTakeFirstOrThrow();
    return {
      email: inv.email,
      organizationName: org.name,
      expiresAt: inv.expires_at.toISOString(),
    };
  });
}

/** Creates the invited user with the invitation's role and team, and signs them in. */
export async function acceptInvitation(
  deps: Deps,
  input: { token: string; name: string; password: string },
  client: ClientInfo,
): Promise<Session> {
  const { organizationId, hash } = await findOpenInvitation(deps, input.token);
  const invited = await describeInvitation(deps, input.token);
  // Checked before the tenant transaction: on the single embedded connection a nested one would wait forever.
  if (await emailTaken(deps, invited.email))
    throw errors.conflict('IDENTITY_EMAIL_TAKEN', 'An account with this email already exists', {
      path: 'email',
    });
  const passwordHash = await hashPassword(input.password);
  return withTenant(deps.database.db, organizationId, async (tx) => {
    const inv = await db(tx)
      .selectFrom('invitations')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('token_hash', '=', hash)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (inv.accepted_at || inv.revoked_at || inv.expires_at.getTime() < Date.now())
      throw errors.notFound('Invitation');
    const userId = await insertUser(tx, organizationId, {
      email: inv.email,
      name: input.name,
      passwordHash,
      roleId: inv.role_id,
      teamId: inv.team_id,
    });
    await db(tx)
      .updateTable('invitations')
      .set({ accepted_at: new Date() })
      .where('organization_id', '=', organizationId)
      .where('id', '=', inv.id)
      .execute();
    await appendAudit(tx, {
      organizationId,
      actorType: 'user',
      actorId: userId,
      action: 'invitation.accepted',
      targetType: 'user',
      targetId: userId,
      diff: { email: { from: null, to: inv.email } },
    });
    const pair = await startSession(deps, tx, organizationId, userId, client);
    const user = await db(tx)
      .selectFrom('users')
      .select(['id', 'email', 'name', 'mfa_enabled', 'created_at'])
      .where('organization_id', '=', organizationId)
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    const organization = await tx
      .selectFrom('organizations')
      .select(['id', 'name', 'slug'])
      .where('id', '=', organizationId)
      .executeTakeFirstOrThrow();
    return {
      ...pair,
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        mfaEnabled: user.mfa_enabled,
        createdAt: user.created_at.toISOString(),
      },
      organization,
    };
  });
}
