import { useQuery } from '@tanstack/react-query';
import { http, unwrap } from './http';
import { keys } from './keys';
import type { ObjectDescription } from './types';

/**
 * Every object the user may read, with its fields (`GET /objects`): what the generic table,
 * record page, trash and settings draw from. Cached for a minute; settings invalidate it.
 */
export function useObjects() {
  return useQuery({
    queryKey: keys.objects,
    queryFn: async (): Promise<ObjectDescription[]> =>
      (await unwrap(http.GET('/api/v1/objects'))).data,
    staleTime: 60_000,
  });
}
