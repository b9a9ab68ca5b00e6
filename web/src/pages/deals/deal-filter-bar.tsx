import { Search } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { Pipeline } from '../../api/types';
import { Field, Input, Select } from '../../components/ui';
import { useUsers } from '../../lib/use-users';
import type { DealFilters } from './use-deal-filters';

/** How long typing may pause before the search reaches the URL (and the server). */
const SEARCH_DELAY_MS = 300;

/**
 * The filters of the deals board, kept in the URL so the list view (the generic record table)
 * opens with the same ones. The board always shows one pipeline.
 */
export function DealFilterBar({
  filters,
  onChange,
  pipelines,
  currentPipelineId,
}: {
  filters: DealFilters;
  onChange: (name: keyof DealFilters, value: string) => void;
  pipelines: Pipeline[];
  /** The pipeline the board shows when the URL names none (the default one). */
  currentPipelineId: string;
}) {
  const { users } = useUsers();
  const [q, setQ] = useState(filters.q);
  // Follow the URL when it changes from outside (back button, a link).
  useEffect(() => setQ(filters.q), [filters.q]);
  useEffect(() => {
    if (q === filters.q) return;
    const timer = setTimeout(() => onChange('q', q.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q, filters.q, onChange]);
  const severalOwners = filters.owners.includes(',');
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="deal-filters">
      <Field label="Search" id="deals-q">
        <div className="relative">
          <Search
            aria-hidden
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-ink-soft"
          />
          <Input
            id="deals-q"
            type="search"
            className="w-56 pl-8"
            placeholder="Deal, company…"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </div>
      </Field>
      <Field label="Pipeline" id="deals-pipeline">
        <Select
          id="deals-pipeline"
          value={currentPipelineId}
          onChange={(e) => onChange('pipeline', e.target.value)}
        >
          {pipelines.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Owner" id="deals-owner">
        <Select
          id="deals-owner"
          value={filters.owners}
          onChange={(e) => onChange('owners', e.target.value)}
        >
          <option value="">Everyone</option>
          {severalOwners ? <option value={filters.owners}>Several owners</option> : null}
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Closing from" id="deals-from">
        <Input
          id="deals-from"
          type="date"
          value={filters.closeFrom}
          onChange={(e) => onChange('closeFrom', e.target.value)}
        />
      </Field>
      <Field label="to" id="deals-to">
        <Input
          id="deals-to"
          type="date"
          value={filters.closeTo}
          onChange={(e) => onChange('closeTo', e.target.value)}
        />
      </Field>
    </div>
  );
}
