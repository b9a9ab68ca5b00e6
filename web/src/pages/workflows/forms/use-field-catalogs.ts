import { useMemo } from 'react';
import { useObjects } from '../../../api/use-objects';
import { catalogsOf, type FieldCatalogs } from './field-catalog';

/**
 * The record types workflows can use and their fields, custom ones included, from GET /objects
 * (one request for all of them: a trigger record's linked contact and company matter to its
 * placeholders too). Undefined until the descriptions arrive; empty when they cannot be read.
 */
export function useFieldCatalogs(): FieldCatalogs | undefined {
  const objects = useObjects();
  return useMemo(
    () => (objects.data ? catalogsOf(objects.data) : objects.isError ? new Map() : undefined),
    [objects.data, objects.isError],
  );
}
