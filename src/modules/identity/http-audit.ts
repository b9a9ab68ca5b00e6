import { z } from 'zod';
import { idParams, listOf, pageQuery, route } from '../../platform/http/index.js';
import { listAuditLog, verifyAuditLog } from './audit-log.js';
import { getMail, listMailbox } from './mailbox.js';

const entry = z
  .object({
    id: z.uuid(),
    seq: z.number(),
    occurredAt: z.string(),
    actor: z.object({ type: z.string(), id: z.uuid().nullable(), name: z.string().nullable() }),
    action: z.string(),
    targetType: z.string(),
    targetId: z.uuid().nullable(),
    diff: z.unknown(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

export const auditRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/audit-log',
    permission: 'audit:read',
    summary: 'The audit log, newest first',
    tags: ['audit'],
    query: pageQuery.extend({
      'filter[action]': z.string().max(100).optional(),
      'filter[actorId]': z.uuid().optional(),
      'filter[targetId]': z.uuid().optional(),
    }),
    response: { status: 200, schema: listOf(entry) },
    handler: ({ ctx, query }) =>
      listAuditLog(ctx, {
        limit: query.limit,
        count: query.count,
        ...(query.cursor ? { cursor: query.cursor } : {}),
        ...(query['filter[action]'] ? { action: query['filter[action]'] } : {}),
        ...(query['filter[actorId]'] ? { actorId: query['filter[actorId]'] } : {}),
        ...(query['filter[targetId]'] ? { targetId: query['filter[targetId]'] } : {}),
      }),
  }),
  route({
    method: 'GET',
    path: '/api/v1/audit-log/verify',
    permission: 'audit:read',
    summary: 'Recompute the hash chain; finds edited or deleted entries',
    tags: ['audit'],
    response: {
      status: 200,
      schema: z.object({
        valid: z.boolean(),
        checked: z.number(),
        brokenAt: z.number().nullable(),
        reason: z.string().nullable(),
      }),
    },
    handler: ({ ctx }) => verifyAuditLog(ctx),
  }),
  route({
    method: 'GET',
    path: '/api/v1/mailbox',
    permission: 'mailbox:read',
    summary:
      'The dev mailbox (mail captured without SMTP), newest first; filter[to] by recipient, q= by subject',
    tags: ['mailbox'],
    query: pageQuery
      .extend({
        'filter[to]': z
          .string()
          .trim()
          .min(1)
          .max(320)
          .optional()
          .describe('Only mail to this address (case-insensitive)'),
        q: z
          .string()
          .trim()
          .min(1)
          .max(200)
          .optional()
          .describe('Only mail whose subject contains this text'),
      })
      .strict(),
    response: {
      status: 200,
      schema: listOf(
        z
          .object({ id: z.uuid(), to: z.string(), subject: z.string(), createdAt: z.string() })
          .meta({ id: 'MailSummary' }),
      ),
    },
    handler: ({ ctx, query }) =>
      listMailbox(ctx, {
        limit: query.limit,
        count: query.count,
        ...(query.cursor ? { cursor: query.cursor } : {}),
        ...(query['filter[to]'] ? { to: query['filter[to]'] } : {}),
        ...(query.q ? { q: query.q } : {}),
      }),
  }),
  route({
    method: 'GET',
    path: '/api/v1/mailbox/:id',
    permission: 'mailbox:read',
    summary: 'One captured message',
    tags: ['mailbox'],
    params: idParams,
    response: {
      status: 200,
      schema: z.object({
        id: z.uuid(),
        to: z.string(),
        from: z.string(),
        subject: z.string(),
        text: z.string(),
        html: z.string().nullable(),
        createdAt: z.string(),
      }),
    },
    handler: ({ ctx, params }) => getMail(ctx, params.id),
  }),
];
