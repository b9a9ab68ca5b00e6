import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { ColumnType } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { RealtimeBus } from '../../platform/realtime/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';

type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface NotificationTable {
  organization_id: string;
  id: string;
  user_id: string;
  type: string;
  title: string;
  body: string | null;
  link: string | null;
  event_id: string | null;
  read_at: Date | null;
  created_at: Stamp;
}
type Tables = { notifications: NotificationTable };
const db = (tx: Tx) => tx.withTables<Tables>();

export interface Notification {
  id: string;
  type: string;
  title: string;
  body: string | null;
  link: string | null;
  read: boolean;
  createdAt: string;
}

const present = (n: Selectable<NotificationTable>): Notification => ({
  id: n.id,
  type: n.type,
  title: n.title,
  body: n.body,
  link: n.link,
  read: n.read_at !== null,
  createdAt: n.created_at.toISOString(),
});

export interface NotificationInput {
  userId: string;
  type: string;
  title: string;
  body?: string | null;
  link?: string | null;
  eventId?: string | null;
}

/** Writes a notification in `tx` and tells the user's open tabs (the message carries it, so no refetch races the commit). */
export async function notify(
  realtime: RealtimeBus,
  tx: Tx,
  organizationId: string,
  input: NotificationInput,
): Promise<Notification> {
  const row = await db(tx)
    .insertInto('notifications')
    .values({
      organization_id: organizationId,
      id: uuidv7(),
      user_id: input.userId,
      type: input.type,
      title: input.title.slice(0, 300),
      body: input.body ?? null,
      link: input.link ?? null,
      event_id: input.eventId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const notification = present(row);
  await realtime.publish({
    organizationId,
    type: 'notification.created',
    channels: [`user:${input.userId}`],
    data: notification,
    audience: { userIds: [input.userId] },
  });
  return notification;
}

/** The actor's own notifications, newest first, keyset-paged by (created_at, id). */
export async function listNotifications(
  ctx: Ctx,
  q: { unread?: boolean; limit: number; count?: boolean; before?: string },
): Promise<{
  data: Notification[];
  meta: { nextCursor: string | null; unread: number; total?: number };
}> {
  const userId = ctx.actor.userId;
  if (!userId)
    throw errors.forbidden('Notifications belong to people; API keys act for their creator');
  return ctx.tx(async (tx) => {
    let query = db(tx)
      .selectFrom('notifications')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('user_id', '=', userId);
    if (q.unread) query = query.where('read_at', 'is', null);
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
    if (q.before) query = query.where('id', '<', q.before);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const unread = await db(tx)
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organization_id', '=', ctx.organizationId)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    const page = rows.slice(0, q.limit);
    const nextCursor = rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null;
    return {
      data: page.map(present),
      meta: { nextCursor, unread: Number(unread.n), ...(total !== undefined ? { total } : {}) },
    };
  });
}

/** Marks one (or, without an id, every) notification of the actor read. */
export async function markRead(ctx: Ctx, id?: string): Promise<{ updated: number }> {
  const userId = ctx.actor.userId;
  if (!userId)
    throw errors.forbidden('Notifications belong to people; API keys act for their creator');
  return ctx.tx(async (tx) => {
    let q = db(tx)
      .updateTable('notifications')
      .set({ read_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null);
    if (id) {
      const exists = await db(tx)
        .selectFrom('notifications')
        .select('id')
        .where('organization_id', '=', ctx.organizationId)
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!exists) throw errors.notFound('Notification');
      q = q.where('id', '=', id);
    }
    const r = await q.executeTakeFirst();
    return { updated: Number(r.numUpdatedRows) };
  });
}
