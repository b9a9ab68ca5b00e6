import { sql } from 'kysely';
import { z } from 'zod';
import { verifyAuditChain } from '../../platform/audit/index.js';
import { authorizeOrganizationWide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { errors } from '../../platform/errors/index.js';
import { decodeCursor, encodeCursor } from '../../platform/http/index.js';
import type { IdentityTables } from './schema.js';

export interface AuditEntryView {
  id: string;
  seq: number;
  occurredAt: string;
  actor: { type: string; id: string | null; name: string | null };
  action: string;
  targetType: string;
  targetId: string | null;
  diff: unknown;
  requestId: string | null;
}

/** The organization's audit log, newest first, filterable by action, actor and target. */
export async function listAuditLog(
  ctx: Ctx,
  q: {
    limit: number;
    count: boolean;
    cursor?: string;
    action?: string;
    actorId?: string;
    targetId?: string;
  },
) {
  authorizeOrganizationWide(ctx, 'audit:read');
  const before = decodeCursor(q.cursor, z.number().int());
  if (q.cursor && before === null)
    throw errors.validation([{ path: 'cursor', message: 'is malformed' }]);
  return ctx.tx(async (tx) => {
    let query = tx
      .withTables<IdentityTables>()
      .selectFrom('audit_log as a')
      .leftJoin('users as u', (j) =>
        j.onRef('u.organization_id', '=', 'a.organization_id').onRef('u.id', '=', 'a.actor_id'),
      )
      .select([
        'a.id',
        'a.seq',
        'a.occurred_at',
        'a.actor_type',
        'a.actor_id',
        'u.name as actor_name',
        'a.action',
        'a.target_type',
        'a.target_id',
        'a.diff',
        'a.request_id',
      ])
      .where('a.organization_id', '=', ctx.organizationId);
    if (q.action) query = query.where(sql<boolean>`a.action like ${q.action.replace(/\*/g, '%')}`);
    if (q.actorId) query = query.where('a.actor_id', '=', q.actorId);
    if (q.targetId) query = query.where('a.target_id', '=', q.targetId);
    const total = q.count
      ? Number(
          (
            await query
              .clearSelect()
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      : undefined;
    if (before !== null) query = query.where('a.seq', '<', before);
    const rows = await query
      .orderBy('a.seq', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const data: AuditEntryView[] = page.map((r) => ({
      id: r.id,
      seq: Number(r.seq),
      occurredAt: r.occurred_at.toISOString(),
      actor: {
        type: r.actor_type,
        id: r.actor_id,
        name: r.actor_name ?? (r.actor_type === 'system' ? 'System' : null),
      },
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      diff: r.diff,
      requestId: r.request_id,
    }));
    return {
      data,
      meta: {
        nextCursor: rows.length > q.limit && last ? encodeCursor(Number(last.seq)) : null,
        ...(total !== undefined ? { total } : {}),
      },
    };
  });
}

/** Recomputes the organization's hash chain. */
export async function verifyAuditLog(ctx: Ctx) {
  authorizeOrganizationWide(ctx, 'audit:read');
  const { organizationId: _o, ...result } = await ctx.tx((tx) =>
    verifyAuditChain(tx, ctx.organizationId),
  );
  return result;
}
