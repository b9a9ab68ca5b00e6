import { useQuery } from '@tanstack/react-query';
import { Command } from 'cmdk';
import { useState } from 'react';
import { keys } from '../api/keys';
import { listRecords, type ObjectRecord } from '../api/records';
import { titleOf } from './record-links';

/** A record as a picker shows it. */
export interface PickedRecord {
  id: string;
  name: string;
  detail: string | null;
}

const DETAIL_FIELDS = ['email', 'domain', 'title', 'industry', 'companyName'] as const;

/** The record's title and the first of its usual second lines (email, domain…) that it has. */
function describe(r: ObjectRecord, titleField: string): PickedRecord {
  const detail = DETAIL_FIELDS.map((k) => r[k]).find((v) => typeof v === 'string' && v !== '');
  return {
    id: r.id,
    name: titleOf(r, titleField),
    detail: typeof detail === 'string' ? detail : null,
  };
}

/** The order of an unsearched picker: by name where the list can sort by it. */
const DEFAULT_SORT: Record<string, string> = { contacts: 'lastName,firstName', companies: 'name' };

/**
 * Search-as-you-type over the records of any object (typo-tolerant `q=`), arrow keys to move and
 * Enter to pick. Without a query it offers the first records by name, so short lists need no typing.
 */
export function RecordPicker({
  resource,
  label,
  onPick,
  excludeIds = [],
  autoFocus = false,
  compact = false,
  titleField = 'name',
  sort = DEFAULT_SORT[resource],
}: {
  resource: string;
  /** The field that names a record (`name`, `subject`). */
  titleField?: string;
  /** The order without a query, e.g. `name`; none keeps the API's default order. */
  sort?: string | undefined;
  /** The input's accessible name (cmdk wires it with aria-labelledby and sets the input's id itself). */
  label: string;
  onPick: (record: PickedRecord) => void;
  excludeIds?: readonly string[];
  autoFocus?: boolean;
  /** In a form: the choices show only while the picker has the focus, so it takes one line. */
  compact?: boolean;
}) {
  const [q, setQ] = useState('');
  const [focused, setFocused] = useState(autoFocus);
  const showList = !compact || focused;
  const hits = useQuery({
    queryKey: keys.records(resource).pick(q),
    queryFn: () =>
      listRecords(resource, {
        limit: '8',
        ...(q.trim() ? { q: q.trim() } : sort ? { sort } : {}),
      }),
    placeholderData: (previous) => previous,
  });
  const records = (hits.data?.data ?? [])
    .filter((r) => !excludeIds.includes(r.id))
    .map((r) => describe(r, titleField));
  return (
    <Command
      shouldFilter={false}
      label={label}
      className="overflow-hidden rounded-md border border-line bg-panel"
      onFocus={() => setFocused(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setFocused(false);
      }}
    >
      <Command.Input
        autoFocus={autoFocus}
        value={q}
        onValueChange={setQ}
        placeholder={
          resource === 'contacts'
            ? 'Search name or email'
            : resource === 'companies'
              ? 'Search name or domain'
              : 'Search'
        }
        className="h-9 w-full border-b border-line bg-transparent px-3 text-sm text-ink outline-none"
      />
      <Command.List
        className={showList ? 'max-h-56 overflow-y-auto p-1 text-sm' : 'hidden'}
        // A click on a choice must not blur the input first, or the list would close under it.
        onMouseDown={(e) => e.preventDefault()}
      >
        <Command.Empty className="px-3 py-4 text-center text-xs text-ink-soft">
          {hits.isFetching
            ? 'Searching…'
            : q
              ? 'Nothing matches. Try part of the name.'
              : `No ${resource} yet.`}
        </Command.Empty>
        {records.map((r) => (
          <Command.Item
            key={r.id}
            value={r.id}
            onSelect={() => {
              // In a form the list folds away at once, so what follows it does not jump under the pointer.
              if (compact) {
                setQ('');
                setFocused(false);
              }
              onPick(r);
            }}
            className="cursor-pointer rounded px-2.5 py-1.5 text-ink aria-selected:bg-accent-soft"
          >
            {/* Stacked: the picker often sits in a narrow fields column, where side by side both would be cut. */}
            <span className="block truncate">{r.name}</span>
            {r.detail ? (
              <span className="block truncate text-xs text-ink-soft">{r.detail}</span>
            ) : null}
          </Command.Item>
        ))}
      </Command.List>
    </Command>
  );
}
