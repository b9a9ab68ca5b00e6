import type { ObjectRecord } from '../../api/records';
import type { ObjectDescription, ObjectField } from '../../api/types';
import { Badge } from '../../components/ui';
import { formatValue } from '../field-values';
import { RecordName } from '../record-links';
import { fieldSpec, targetOf } from './field-specs';
import { EMPTY_GROUP, sumOf } from './grouping';

/** The value a group stands for, read as its field shows values (names for owners and records). */
function GroupValue({
  field,
  value,
  objects,
  nameOf,
}: {
  field: ObjectField;
  value: string;
  objects: readonly ObjectDescription[];
  nameOf: (id: string | null) => string | null;
}) {
  if (value === EMPTY_GROUP)
    return <span className="text-ink-soft">No {field.label.toLowerCase()}</span>;
  if (field.kind === 'boolean') return <span>{value === 'true' ? 'Yes' : 'No'}</span>;
  if (field.kind === 'relation' && field.relation === 'user') return <span>{nameOf(value)}</span>;
  const target = targetOf(field, objects);
  if (target)
    return <RecordName resource={target.resource} titleField={target.titleField} id={value} />;
  return <span>{value}</span>;
}

/**
 * A group header's words: the value, the server's count of records in the group, and the sum of
 * the object's amount over the loaded rows — marked as such while more of the group is unloaded.
 */
export function GroupHeading({
  field,
  value,
  count,
  counted,
  records,
  sum,
  objects,
  nameOf,
}: {
  field: ObjectField;
  value: string;
  count: number | undefined;
  /** Whether the server counts this group; past the cap only its loaded rows are known. */
  counted: boolean;
  records: readonly ObjectRecord[];
  sum: ObjectField | undefined;
  objects: readonly ObjectDescription[];
  nameOf: (id: string | null) => string | null;
}) {
  const complete = count !== undefined && records.length >= count;
  const total = sum ? sumOf(sum, records) : 0;
  return (
    <span className="flex min-w-0 items-center gap-2" data-testid="group-heading">
      <GroupValue field={field} value={value} objects={objects} nameOf={nameOf} />
      <Badge>
        <span data-testid="group-count">
          {count ?? (counted ? '…' : `${records.length} loaded`)}
        </span>
      </Badge>
      {sum && records.length ? (
        <span className="text-xs font-normal text-ink-soft" data-testid="group-sum">
          {sum.label}: {formatValue(fieldSpec(sum, records[0] ?? null, objects), total)}
          {complete ? '' : ' (loaded rows)'}
        </span>
      ) : null}
    </span>
  );
}
