import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, type Page } from '../../../api/client';
import type { CustomField } from '../../../api/types';
import type { WorkflowObject } from '../definition-types';
import { fieldCatalog, WORKFLOW_OBJECTS, type FieldInfo } from './field-catalog';

/**
 * The fields of every record type, custom fields included (one request for all of them: a trigger
 * record's linked contact and company matter to its placeholders too). Standard fields show at
 * once; custom ones join when the list arrives.
 */
export function useFieldCatalogs(): Record<WorkflowObject, FieldInfo[]> {
  const custom = useQuery({
    queryKey: ['custom-fields', 'all'],
    queryFn: () => api<Page<CustomField>>('GET', '/custom-fields?limit=200'),
    staleTime: 60_000,
  });
  return useMemo(() => {
    const list = custom.data?.data ?? [];
    return Object.fromEntries(WORKFLOW_OBJECTS.map((o) => [o, fieldCatalog(o, list)])) as Record<
      WorkflowObject,
      FieldInfo[]
    >;
  }, [custom.data]);
}
