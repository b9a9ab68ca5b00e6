import { useQuery } from '@tanstack/react-query';
import { Popover } from 'radix-ui';
import { useState } from 'react';
import { keys } from '../../api/keys';
import { listRecords } from '../../api/records';
import type { ObjectDescription, ObjectField } from '../../api/types';
import { Button, Input, Select } from '../../components/ui';
import { useUsers } from '../../lib/use-users';
import { titleOf } from '../record-links';
import { filterKey, targetOf } from './field-specs';
import type { Condition } from './list-query';

type FilterType = 'text' | 'enum' | 'number' | 'date' | 'tags' | 'boolean' | 'relation';

const OPS: Record<FilterType, Array<[string, string]>> = {
  text: [
    ['eq', 'is'],
    ['ne', 'is not'],
    ['contains', 'contains'],
    ['isNull', 'is empty'],
  ],
  enum: [
    ['eq', 'is'],
    ['ne', 'is not'],
    ['in', 'is one of'],
  ],
  number: [
    ['eq', '='],
    ['gte', '≥'],
    ['lte', '≤'],
  ],
  date: [
    ['gte', 'on or after'],
    ['lte', 'on or before'],
    // Links spell a period's end as exclusive (`closedTo` of a dashboard number).
    ['lt', 'before'],
  ],
  tags: [
    ['eq', 'has'],
    ['isNull', 'has none'],
  ],
  boolean: [['eq', 'is']],
  relation: [
    ['eq', 'is'],
    ['in', 'is one of'],
    ['isNull', 'is empty'],
  ],
};

function typeOf(field: ObjectField | undefined): FilterType {
  switch (field?.kind) {
    case 'enum':
      return 'enum';
    case 'number':
    case 'money':
      return 'number';
    case 'date':
    case 'datetime':
      return 'date';
    case 'tags':
      return 'tags';
    case 'boolean':
      return 'boolean';
    case 'relation':
      return 'relation';
    default:
      return 'text';
  }
}

/** The choice of a related record (or user) to filter on: the first records of the target by name. */
function RelationValue({
  field,
  objects,
  value,
  onChange,
}: {
  field: ObjectField;
  objects: readonly ObjectDescription[];
  value: string;
  onChange: (v: string) => void;
}) {
  const { users } = useUsers();
  const target = targetOf(field, objects);
  const records = useQuery({
    queryKey: keys.records(target?.resource ?? '-').pick(''),
    queryFn: () => listRecords(target?.resource ?? '', { limit: '100' }),
    enabled: target !== undefined,
  });
  const options =
    field.relation === 'user'
      ? users.map((u) => [u.id, u.name] as const)
      : (records.data?.data ?? []).map((r) => [r.id, titleOf(r, target?.titleField)] as const);
  return (
    <Select
      aria-label="Value"
      className="flex-1"
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">Choose…</option>
      {options.map(([id, name]) => (
        <option key={id} value={id}>
          {name}
        </option>
      ))}
    </Select>
  );
}

/** The value input of one condition, by the field's type. */
function ValueInput({
  field,
  condition,
  objects,
  onChange,
}: {
  field: ObjectField | undefined;
  condition: Condition;
  objects: readonly ObjectDescription[];
  onChange: (value: string) => void;
}) {
  const type = typeOf(field);
  if (condition.op === 'isNull') return <span className="flex-1" />;
  // "Is one of" takes ids, comma-separated, as the links that narrow a list to a team write them.
  if (field && type === 'relation' && condition.op !== 'in')
    return (
      <RelationValue field={field} objects={objects} value={condition.value} onChange={onChange} />
    );
  const choices = type === 'boolean' ? ['true', 'false'] : (field?.values ?? []);
  if ((type === 'enum' || type === 'boolean') && condition.op !== 'in' && choices.length)
    return (
      <Select
        aria-label="Value"
        className="flex-1"
        value={condition.value}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">Choose…</option>
        {choices.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </Select>
    );
  return (
    <Input
      aria-label="Value"
      className="flex-1"
      type={type === 'date' ? 'date' : type === 'number' ? 'number' : 'text'}
      value={condition.value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** A popover to build AND-ed conditions on any filterable field of an object, custom ones included. */
export function FilterBuilder({
  object,
  objects,
  conditions,
  onChange,
}: {
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
  conditions: Condition[];
  onChange: (c: Condition[]) => void;
}) {
  const fields = object.fields.filter((f) => f.filterable);
  const byKey = new Map(fields.map((f) => [filterKey(f), f]));
  const first = fields[0];
  const blank = (): Condition => ({
    field: first ? filterKey(first) : '',
    op: OPS[typeOf(first)][0]?.[0] ?? 'eq',
    value: '',
  });
  const [draft, setDraft] = useState<Condition[]>(conditions);
  const set = (i: number, patch: Partial<Condition>) =>
    setDraft((d) => d.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <Popover.Root
      onOpenChange={(open) => open && setDraft(conditions.length ? conditions : [blank()])}
    >
      <Popover.Trigger asChild>
        <Button variant="secondary" data-testid="filter-builder">
          Filters{conditions.length ? ` (${conditions.length})` : ''}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={6}
          className="z-50 w-[min(92vw,36rem)] rounded-lg border border-line bg-panel p-4 shadow-xl"
        >
          <p className="mb-3 text-sm font-medium text-ink">
            Show {object.labels.plural.toLowerCase()} where all of these hold
          </p>
          <div className="space-y-2">
            {draft.map((c, i) => (
              <div key={i} className="flex gap-2" data-testid="filter-condition">
                <Select
                  aria-label="Field"
                  className="w-40"
                  value={c.field}
                  onChange={(e) =>
                    set(i, {
                      field: e.target.value,
                      op: OPS[typeOf(byKey.get(e.target.value))][0]?.[0] ?? 'eq',
                      value: '',
                    })
                  }
                >
                  {fields.map((f) => (
                    <option key={filterKey(f)} value={filterKey(f)}>
                      {f.label}
                    </option>
                  ))}
                </Select>
                <Select
                  aria-label="Condition"
                  className="w-32"
                  value={c.op}
                  onChange={(e) => set(i, { op: e.target.value })}
                >
                  {OPS[typeOf(byKey.get(c.field))].map(([op, label]) => (
                    <option key={op} value={op}>
                      {label}
                    </option>
                  ))}
                </Select>
                <ValueInput
                  field={byKey.get(c.field)}
                  condition={c}
                  objects={objects}
                  onChange={(value) => set(i, { value })}
                />
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label="Remove condition"
                  onClick={() => setDraft((d) => d.filter((_, j) => j !== i))}
                >
                  ✕
                </Button>
              </div>
            ))}
          </div>
          <div className="mt-3 flex justify-between">
            <Button variant="ghost" size="sm" onClick={() => setDraft((d) => [...d, blank()])}>
              + Add condition
            </Button>
            <span className="flex gap-2">
              <Popover.Close asChild>
                <Button variant="secondary" size="sm" onClick={() => onChange([])}>
                  Clear
                </Button>
              </Popover.Close>
              <Popover.Close asChild>
                <Button size="sm" data-testid="apply-filters" onClick={() => onChange(draft)}>
                  Apply
                </Button>
              </Popover.Close>
            </span>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
