import { useQuery } from '@tanstack/react-query';
import { fetchImportPreview } from '../../api/imports';
import { keys } from '../../api/keys';

/** The columns, first rows, suggested mapping and fields of an import's stored file (it never changes). */
export function useImportPreview(id: string) {
  return useQuery({
    queryKey: keys.imports.preview(id),
    queryFn: () => fetchImportPreview(id),
    staleTime: Infinity,
  });
}
