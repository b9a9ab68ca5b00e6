import { DropdownMenu } from 'radix-ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Bell } from 'lucide-react';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { http, unwrap } from '../api/http';
import { keys } from '../api/keys';
import type { components } from '../api/schema';

type Notification = components['schemas']['Notification'];

/**
 * The bell: unread count and the latest notifications, kept live by the WebSocket's `user:me`
 * channel (a new notice refetches the inbox). Opening one marks it read and follows its link.
 */
export function NotificationBell() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const inbox = useQuery({
    queryKey: keys.notifications.latest(10),
    queryFn: () => unwrap(http.GET('/api/v1/notifications', { params: { query: { limit: 10 } } })),
    refetchInterval: 60_000,
  });
  useEffect(() => {
    let socket: WebSocket | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const connect = () => {
      socket = new WebSocket(
        `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
      );
      socket.onopen = () =>
        socket?.send(JSON.stringify({ type: 'subscribe', channels: ['user:me'] }));
      socket.onmessage = (e: MessageEvent<string>) => {
        const m = JSON.parse(e.data) as { type?: string };
        if (m.type === 'notification.created')
          void queryClient.invalidateQueries({ queryKey: keys.notifications.all });
      };
      // Reconnect after a drop (server restart, network): the inbox itself is never lost, only late.
      socket.onclose = () => {
        if (!closed) retry = setTimeout(connect, 5_000);
      };
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, [queryClient]);
  const unread = inbox.data?.meta.unread ?? 0;
  const open = async (n: Notification) => {
    if (!n.read)
      await unwrap(
        http.POST('/api/v1/notifications/{id}/read', { params: { path: { id: n.id } } }),
      );
    await queryClient.invalidateQueries({ queryKey: keys.notifications.all });
    if (n.link) void navigate(n.link);
  };
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        data-testid="notification-bell"
        aria-label={`Notifications, ${unread} unread`}
        className="relative rounded p-2 text-ink-soft hover:bg-muted"
      >
        <Bell size={16} />
        {unread > 0 ? (
          <span
            data-testid="unread-count"
            className="absolute -right-0.5 -top-0.5 grid min-w-4 place-items-center rounded-full bg-red-600 px-1 text-[10px] font-semibold text-white"
          >
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          className="z-50 w-80 rounded-md border border-line bg-panel p-1 text-sm shadow-lg"
        >
          <div className="flex items-center justify-between px-2 py-1.5">
            <span className="text-xs font-medium text-ink">Notifications</span>
            {unread > 0 ? (
              <button
                type="button"
                className="text-xs text-accent"
                onClick={() =>
                  void unwrap(http.POST('/api/v1/notifications/read-all')).then(() =>
                    queryClient.invalidateQueries({ queryKey: keys.notifications.all }),
                  )
                }
              >
                Mark all read
              </button>
            ) : null}
          </div>
          {inbox.data?.data.length ? (
            inbox.data.data.map((n) => (
              <DropdownMenu.Item
                key={n.id}
                onSelect={() => void open(n)}
                className="flex cursor-pointer flex-col rounded px-2 py-1.5 outline-none data-[highlighted]:bg-muted"
              >
                <span className={n.read ? 'text-ink-soft' : 'font-medium text-ink'}>{n.title}</span>
                <span className="text-xs text-ink-soft">
                  {new Date(n.createdAt).toLocaleString()}
                </span>
              </DropdownMenu.Item>
            ))
          ) : (
            <p className="px-2 py-3 text-xs text-ink-soft">
              Nothing yet. Assignments, due tasks and finished imports show up here.
            </p>
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
