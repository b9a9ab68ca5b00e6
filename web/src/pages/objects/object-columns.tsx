import type { ColumnDef } from '@tanstack/react-table';
import { Link } from 'react-router';
import type { ObjectRecord } from '../../api/records';
import type { ObjectDescription, ObjectField } from '../../api/types';
import { Badge } from '../../components/ui';
import { formatValue, isBlank } from '../field-values';
import { RecordName, titleOf } from '../record-links';
import { fieldSpec, filterKey, valueOf, visibleFields } from './field-specs';
import type { CellRenderer } from './list-extension';

/** One cell: the value as the field's kind reads best (related records by name, choices as badges). */
function CellValue({
  field,
  record,
  objects,
  nameOf,
}: {
  field: ObjectField;
  record: ObjectRecord;
  objects: readonly ObjectDescription[];
  nameOf: (id: string | null) => string | null;
}) {
  const spec = fieldSpec(field, record, objects);
  const v = spec.value;
  if (isBlank(v)) return <span className="text-ink-soft">—</span>;
  if (spec.kind === 'user' && typeof v === 'string')
    return <span className="block truncate">{nameOf(v)}</span>;
  if (spec.kind === 'relation' && spec.relation) {
    const target = spec.relation;
    const ids = typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : [];
    return (
      <span className="flex gap-2 truncate">
        {ids.map((id) => (
          <RecordName key={id} resource={target.resource} titleField={target.titleField} id={id} />
        ))}
      </span>
    );
  }
  if (spec.kind === 'select') return <Badge>{formatValue(spec, v)}</Badge>;
  if ((spec.kind === 'tags' || spec.kind === 'multi_select') && Array.isArray(v))
    return (
      <span className="flex gap-1 overflow-hidden">
        {v.map((t) => (
          <Badge key={String(t)}>{String(t)}</Badge>
        ))}
      </span>
    );
  const text = formatValue(spec, v);
  return (
    <span className="block truncate" title={text}>
      {text}
    </span>
  );
}

const WIDTH: Partial<Record<ObjectField['kind'], number>> = {
  boolean: 90,
  number: 110,
  money: 130,
  date: 130,
  datetime: 190,
  email: 230,
  enum: 140,
};

/**
 * The columns of an object's table, one per readable field: the title links to the record page,
 * sortable fields sort from their header, and a module's own `cells` replace the generic value.
 */
export function objectColumns(
  object: ObjectDescription,
  objects: readonly ObjectDescription[],
  nameOf: (id: string | null) => string | null,
  cells: Readonly<Partial<Record<string, CellRenderer>>> = {},
): Array<ColumnDef<ObjectRecord>> {
  return visibleFields(object).map((field) => {
    const own = cells[filterKey(field)];
    return {
      // The list's sort and filter key (`custom.tier`), so a header click sorts by its id.
      id: filterKey(field),
      // TanStack offers sorting only on columns with an accessor: without one no header sorted.
      accessorFn: (r: ObjectRecord) => valueOf(r, field),
      header: field.label,
      size: field.key === object.titleField ? 220 : (WIDTH[field.kind] ?? 170),
      enableHiding: field.key !== object.titleField,
      enableSorting: field.sortable,
      cell: ({ row }) =>
        own ? (
          own(row.original)
        ) : field.key === object.titleField ? (
          <Link
            className="block truncate font-medium text-ink hover:text-accent"
            to={`/${object.resource}/${row.original.id}`}
            data-testid="record-link"
          >
            {titleOf(row.original, object.titleField)}
          </Link>
        ) : (
          <CellValue field={field} record={row.original} objects={objects} nameOf={nameOf} />
        ),
    };
  });
}
