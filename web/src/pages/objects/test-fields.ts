import type { ObjectField } from '../../api/types';

/** A field as `GET /api/v1/objects` describes it, editable and listable unless `extra` says not: for the table helpers' tests. */
export const field = (
  key: string,
  kind: ObjectField['kind'],
  extra: Partial<ObjectField> = {},
) => ({
  key,
  label: key,
  kind,
  required: false,
  editable: true,
  filterable: true,
  sortable: true,
  custom: false,
  ...extra,
});
