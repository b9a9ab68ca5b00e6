import { useQuery } from '@tanstack/react-query';
import { Popover } from 'radix-ui';
import { useState } from 'react';
import { api, type Page } from '../api/client';
import { Button, Input, Select } from '../components/ui';

/** One condition of the filter builder: `filter[field][op]=value`. */
export interface Condition {
  field: string;
  op: string;
  value: string;
}

const BASE_FIELDS: Array<{
  key: string;
  label: string;
  type: 'text' | 'enum' | 'number' | 'date' | 'tags';
}> = [
  { key: 'firstName', label: 'First name', type: 'text' },
  { key: 'lastName', label: 'Last name', type: 'text' },
  { key: 'email', label: 'Email', type: 'text' },
  { key: 'title', label: 'Title', type: 'text' },
  { key: 'status', label: 'Status', type: 'enum' },
  { key: 'source', label: 'Source', type: 'text' },
  { key: 'tags', label: 'Tag', type: 'tags' },
  { key: 'leadScore', label: 'Lead score', type: 'number' },
  { key: 'lastContactedAt', label: 'Last contacted', type: 'date' },
  { key: 'createdAt', label: 'Created', type: 'date' },
];
const OPS: Record<string, Array<[string, string]>> = {
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
  ],
  tags: [
    ['eq', 'has'],
    ['isNull', 'has none'],
  ],
};

interface CustomField {
  key: string;
  label: string;
  type: string;
}

/** Turns conditions into list query parameters. */
export function conditionParams(conditions: readonly Condition[]): Record<string, string> {
  return Object.fromEntries(
    conditions
      .filter((c) => c.value !== '' || c.op === 'isNull')
      .map((c) => [
        `filter[${c.field}]${c.op === 'eq' ? '' : `[${c.op}]`}`,
        c.op === 'isNull' ? 'true' : c.value,
      ]),
  );
}

/** A popover to build AND-ed conditions on any field, custom fields included. */
export function FilterBuilder({
  conditions,
  onChange,
}: {
  conditions: Condition[];
  onChange: (c: Condition[]) => void;
}) {
  const custom = useQuery({
    queryKey: ['custom-fields', 'contact'],
    queryFn: () => api<Page<CustomField>>('GET', '/custom-fields?objectType=contact&limit=200'),
  });
  const fields = [
    ...BASE_FIELDS,
    ...(custom.data?.data ?? []).map((f) => ({
      key: `custom.${f.key}`,
      label: f.label,
      type:
        f.type === 'number' || f.type === 'currency'
          ? 'number'
          : f.type === 'date' || f.type === 'datetime'
            ? 'date'
            : 'text',
    })),
  ];
  const [draft, setDraft] = useState<Condition[]>(conditions);
  const typeOf = (key: string) => fields.find((f) => f.key === key)?.type ?? 'text';
  const set = (i: number, patch: Partial<Condition>) =>
    setDraft((d) => d.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <Popover.Root
      onOpenChange={(open) =>
        open &&
        setDraft(
          conditions.length ? conditions : [{ field: 'status', op: 'eq', value: 'CUSTOMER' }],
        )
      }
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
          className="z-50 w-[min(92vw,34rem)] rounded-lg border border-line bg-panel p-4 shadow-xl"
        >
          <p className="mb-3 text-sm font-medium text-ink">Show contacts where all of these hold</p>
          <div className="space-y-2">
            {draft.map((c, i) => (
              <div key={i} className="flex gap-2">
                <Select
                  aria-label="Field"
                  className="w-40"
                  value={c.field}
                  onChange={(e) =>
                    set(i, {
                      field: e.target.value,
                      op: OPS[typeOf(e.target.value)]?.[0]?.[0] ?? 'eq',
                    })
                  }
                >
                  {fields.map((f) => (
                    <option key={f.key} value={f.key}>
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
                  {(OPS[typeOf(c.field)] ?? []).map(([op, label]) => (
                    <option key={op} value={op}>
                      {label}
                    </option>
                  ))}
                </Select>
                {c.op === 'isNull' ? (
                  <span className="flex-1" />
                ) : typeOf(c.field) === 'enum' && c.op !== 'in' ? (
                  <Select
                    aria-label="Value"
                    className="flex-1"
                    value={c.value}
                    onChange={(e) => set(i, { value: e.target.value })}
                  >
                    {['LEAD', 'PROSPECT', 'CUSTOMER', 'INACTIVE'].map((s) => (
                      <option key={s}>{s}</option>
                    ))}
                  </Select>
                ) : (
                  <Input
                    aria-label="Value"
                    className="flex-1"
                    type={
                      typeOf(c.field) === 'date'
                        ? 'date'
                        : typeOf(c.field) === 'number'
                          ? 'number'
                          : 'text'
                    }
                    value={c.value}
                    onChange={(e) => set(i, { value: e.target.value })}
                  />
                )}
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
            <Button
              variant="ghost"
              size="sm"
              onClick={() =>
                setDraft((d) => [...d, { field: 'firstName', op: 'contains', value: '' }])
              }
            >
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
