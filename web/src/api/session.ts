import { useQuery, type QueryClient } from '@tanstack/react-query';
import { http, unwrap } from './http';
import { keys } from './keys';
import type { Me } from './types';

const meQuery = {
  queryKey: keys.me,
  queryFn: async (): Promise<Me | null> => {
    try {
      return await unwrap(http.GET('/api/v1/auth/me'));
    } catch (e) {
      if (e instanceof Error && 'status' in e && (e as { status: number }).status === 401)
        return null;
      throw e;
    }
  },
};

/** The signed-in user; `null` data when signed out. */
export function useMe() {
  return useQuery({ ...meQuery, staleTime: 60_000 });
}

/** Loads the user right after signing in, before any page asks who is signed in. */
export async function loadSession(queryClient: QueryClient): Promise<void> {
  await queryClient.fetchQuery({ ...meQuery, staleTime: 0 });
}

/**
 * The permission for an action on an object's records, as GET /objects names it: built-in objects
 * are guarded by their resource (`companies:create`), objects kept as data by `custom-records`.
 */
export const recordPermission = (
  object: { permission: string },
  action: 'read' | 'create' | 'update' | 'delete' | 'export',
): string => `${object.permission}:${action}`;

/** Whether the user holds a permission at any scope. */
export const can = (me: Me | null | undefined, permission: string): boolean =>
  Boolean(me?.permissions.some((p) => p.permission === permission));
