import { useQuery } from '@tanstack/react-query';
import { fetchImport } from '../../api/imports';
import { keys } from '../../api/keys';
import { isSettled } from './kinds';

/** An import, polled every second until it settles (done, failed or rolled back). */
export function useImportJob(id: string) {
  return useQuery({
    queryKey: keys.imports.detail(id),
    queryFn: () => fetchImport(id),
    refetchInterval: (q) => (q.state.data && isSettled(q.state.data.status) ? false : 1000),
  });
}
