import { useQuery } from '@tanstack/react-query';
import { http, unwrap } from '../api/http';
import { keys } from '../api/keys';
import { can, useMe } from '../api/session';
import type { UserRow } from '../api/types';

/**
 * The organization's users, to show and pick record owners. Only roles with `users:read` may list
 * them; for the others the list is empty and owners show as "you" or "another user".
 */
export function useUsers(): {
  users: UserRow[];
  nameOf: (id: string | null) => string | null;
  canPick: boolean;
} {
  const me = useMe().data;
  const allowed = can(me, 'users:read');
  const list = useQuery({
    queryKey: keys.users,
    queryFn: () => unwrap(http.GET('/api/v1/users', { params: { query: { limit: 200 } } })),
    enabled: allowed,
    staleTime: 5 * 60_000,
  });
  const users = list.data?.data ?? [];
  const nameOf = (id: string | null): string | null => {
    if (!id) return null;
    if (id === me?.user.id) return `${me.user.name} (you)`;
    if (allowed && list.isPending) return '…';
    return users.find((u) => u.id === id)?.name ?? 'Another user';
  };
  return { users, nameOf, canPick: allowed && users.length > 0 };
}
