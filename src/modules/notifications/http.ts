import { z } from 'zod';
import { idParams, pageQuery, route } from '../../platform/http/index.js';
import { listNotifications, markRead } from './notifications.js';

const notificationSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    title: z.string(),
    body: z.string().nullable(),
    link: z.string().nullable(),
    read: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Notification' });

export const notificationRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/notifications',
    permission: 'authenticated',
    summary: 'Your notifications, newest first, with the unread count',
    tags: ['notifications'],
    query: pageQuery
      .extend({
        unread: z.enum(['true', 'false']).optional(),
        cursor: z.uuid({ message: 'is malformed' }).optional(),
      })
      .strict(),
    response: {
      status: 200,
      schema: z.object({
        data: z.array(notificationSchema),
        meta: z.object({
          nextCursor: z.string().nullable(),
          unread: z.number().int(),
          total: z.number().int().optional(),
        }),
      }),
    },
    handler: ({ ctx, query }) =>
      listNotifications(ctx, {
        unread: query.unread === 'true',
        limit: query.limit,
        count: query.count,
        ...(query.cursor ? { before: query.cursor } : {}),
      }),
  }),
  route({
    method: 'POST',
    path: '/api/v1/notifications/:id/read',
    permission: 'authenticated',
    summary: 'Mark one notification read',
    tags: ['notifications'],
    params: idParams,
    response: { status: 200, schema: z.object({ updated: z.number().int() }) },
    handler: ({ ctx, params }) => markRead(ctx, params.id),
  }),
  route({
    method: 'POST',
    path: '/api/v1/notifications/read-all',
    permission: 'authenticated',
    summary: 'Mark all your notifications read',
    tags: ['notifications'],
    response: { status: 200, schema: z.object({ updated: z.number().int() }) },
    handler: ({ ctx }) => markRead(ctx),
  }),
];
