import { useQuery } from '@tanstack/react-query';
import { Command } from 'cmdk';
import { useState } from 'react';
import { api, type Page } from '../api/client';
import type { Company, Contact } from '../api/types';

/** A record as a picker shows it. */
export interface PickedRecord {
  id: string;
  name: string;
  detail: string | null;
}

const describe = (r: Contact | Company): PickedRecord =>
  'domain' in r
    ? { id: r.id, name: r.name, detail: r.domain ?? r.industry }
    : { id: r.id, name: r.name, detail: r.email ?? r.title };

/**
 * Search-as-you-type over contacts or companies (typo-tolerant `q=`), arrow keys to move and
 * Enter to pick. Without a query it offers the first records by name, so short lists need no typing.
 */
export function RecordPicker({
  resource,
  label,
  onPick,
  excludeIds = [],
  autoFocus = false,
}: {
  resource: 'contacts' | 'companies';
  /** The input's accessible name (cmdk wires it with aria-labelledby and sets the input's id itself). */
  label: string;
  onPick: (record: PickedRecord) => void;
  excludeIds?: readonly string[];
  autoFocus?: boolean;
}) {
  const [q, setQ] = useState('');
  const hits = useQuery({
    queryKey: [resource, 'pick', q],
    queryFn: () =>
      api<Page<Contact | Company>>(
        'GET',
        `/${resource}?limit=8${q.trim() ? `&q=${encodeURIComponent(q.trim())}` : `&sort=${resource === 'contacts' ? 'lastName,firstName' : 'name'}`}`,
      ),
    placeholderData: (previous) => previous,
  });
  const records = (hits.data?.data ?? []).filter((r) => !excludeIds.includes(r.id)).map(describe);
  return (
    <Command
      shouldFilter={false}
      label={label}
      className="overflow-hidden rounded-md border border-line bg-panel"
    >
      <Command.Input
        autoFocus={autoFocus}
        value={q}
        onValueChange={setQ}
        placeholder={resource === 'contacts' ? 'Search name or email' : 'Search name or domain'}
        className="h-9 w-full border-b border-line bg-transparent px-3 text-sm text-ink outline-none"
      />
      <Command.List className="max-h-56 overflow-y-auto p-1 text-sm">
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
            onSelect={() => onPick(r)}
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
