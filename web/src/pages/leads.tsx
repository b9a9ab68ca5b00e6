import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { toast } from 'sonner';
import { api, type Page } from '../api/client';
import { can, useMe } from '../api/session';
import type { Lead } from '../api/types';
import {
  Badge,
  Button,
  EmptyState,
  Input,
  PageHeader,
  Select,
  Skeleton,
  Table,
  Td,
} from '../components/ui';
import { useUsers } from '../lib/use-users';
import { RunWorkflowMenu } from './workflows/run-workflow-menu';

const STATUSES = ['new', 'working', 'qualified', 'disqualified', 'converted'] as const;

/**
 * Leads as captured (forms, API), with their status and owner; a lead opened from a notification
 * is shown first. Converting one creates or matches its contact and company and opens a deal.
 */
export default function Leads() {
  const { id } = useParams();
  const me = useMe().data;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { nameOf } = useUsers();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const list = useInfiniteQuery({
    queryKey: ['leads', q, status],
    queryFn: ({ pageParam }) =>
      api<Page<Lead>>(
        'GET',
        `/leads?limit=50&count=true${q ? `&q=${encodeURIComponent(q)}` : ''}${status ? `&filter[status]=${status}` : ''}${pageParam ? `&cursor=${pageParam}` : ''}`,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
  });
  const rows = (list.data?.pages.flatMap((p) => p.data) ?? []).sort(
    (a, b) => Number(b.id === id) - Number(a.id === id),
  );
  const convert = async (lead: Lead) => {
    try {
      const r = await api<{ deal: { id: string } | null; contact: { id: string } }>(
        'POST',
        `/leads/${lead.id}/convert`,
        { createDeal: true },
      );
      toast.success(`${lead.name} converted`);
      await queryClient.invalidateQueries({ queryKey: ['leads'] });
      void navigate(r.deal ? `/deals/${r.deal.id}` : `/contacts/${r.contact.id}`);
    } catch (e) {
      toast.error(e instanceof Error ? e.message : 'Conversion failed');
    }
  };
  return (
    <div className="mx-auto max-w-6xl space-y-4">
      <PageHeader
        title="Leads"
        description={list.data ? `${list.data.pages[0]?.meta.total ?? 0} leads` : undefined}
        actions={
          can(me, 'leads:create') ? (
            <Link
              to="/leads/import"
              className="inline-flex h-9 items-center rounded-md border border-line bg-panel px-3.5 text-sm font-medium text-ink hover:bg-muted"
            >
              Import
            </Link>
          ) : null
        }
      />
      <div className="flex flex-wrap gap-2">
        <Input
          className="max-w-xs"
          aria-label="Search leads"
          placeholder="Search name, email or company"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <Select
          aria-label="Status"
          className="w-40"
          value={status}
          onChange={(e) => setStatus(e.target.value)}
        >
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      </div>
      {list.isPending ? (
        <Skeleton rows={8} />
      ) : rows.length === 0 ? (
        <EmptyState
          title={q || status ? 'No lead matches' : 'No leads yet'}
          body={
            q || status
              ? 'Try another search or status.'
              : 'Leads arrive from your web forms (embed one from the API: GET /api/v1/forms/{id}/embed), imports and the API.'
          }
        />
      ) : (
        <Table head={['Name', 'Company', 'Email', 'Status', 'Owner', 'Source', '']}>
          {rows.map((l) => (
            <tr
              key={l.id}
              className={l.id === id ? 'bg-accent-soft' : undefined}
              data-testid="lead-row"
            >
              <Td className="font-medium">{l.name}</Td>
              <Td>{l.companyName ?? '—'}</Td>
              <Td className="text-ink-soft">{l.email ?? '—'}</Td>
              <Td>
                <Badge
                  tone={
                    l.status === 'converted'
                      ? 'success'
                      : l.status === 'disqualified'
                        ? 'danger'
                        : 'accent'
                  }
                >
                  {l.status}
                </Badge>
              </Td>
              <Td>{nameOf(l.ownerId) ?? 'Unassigned'}</Td>
              <Td className="text-ink-soft">{l.source ?? '—'}</Td>
              <Td className="flex gap-2">
                <RunWorkflowMenu object="lead" recordId={l.id} />
                {l.status !== 'converted' &&
                l.status !== 'disqualified' &&
                can(me, 'leads:update') ? (
                  <Button size="sm" variant="secondary" onClick={() => void convert(l)}>
                    Convert
                  </Button>
                ) : null}
              </Td>
            </tr>
          ))}
        </Table>
      )}
      {list.hasNextPage ? (
        <Button variant="secondary" onClick={() => void list.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
    </div>
  );
}
