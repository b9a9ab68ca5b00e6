import { Columns3, List } from 'lucide-react';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, PageHeader, Skeleton } from '../../components/ui';
import { cn } from '../../lib/cn';
import { NewRecordButton } from '../objects/new-record-button';
import { DealsBoard } from './board';
import { DealFilterBar } from './deal-filter-bar';
import { DealList } from './deal-list';
import { useDealFilters } from './use-deal-filters';
import { usePipelines } from './use-pipelines';

type View = 'board' | 'list';

/** Parameters a dashboard number adds to the list (beyond the page's own filters). */
const NUMBER_PARAMS = ['title', 'stages', 'closedFrom', 'closedTo', 'expectedFrom', 'expectedTo'];

/** Board and list, one link each, carrying the filters across. */
function ViewToggle({ view, search }: { view: View; search: string }) {
  const items = [
    { view: 'board', to: '/deals', label: 'Board', Icon: Columns3 },
    { view: 'list', to: '/deals/list', label: 'List', Icon: List },
  ] as const;
  return (
    <nav aria-label="Deals view" className="flex rounded-md border border-line bg-panel p-0.5">
      {items.map(({ view: v, to, label, Icon }) => (
        <Link
          key={v}
          to={{ pathname: to, search }}
          aria-current={view === v ? 'page' : undefined}
          data-testid={`view-${v}`}
          className={cn(
            'flex items-center gap-1.5 rounded px-2.5 py-1 text-sm',
            view === v ? 'bg-accent-soft font-medium text-accent' : 'text-ink-soft hover:text-ink',
          )}
        >
          <Icon aria-hidden className="size-4" />
          {label}
        </Link>
      ))}
    </nav>
  );
}

/**
 * The deals page: the same filters (in the URL) over a kanban of one pipeline or a list of
 * deals. A dashboard number opens the list with its own extra filters, named in the header.
 */
export default function DealsPage({ view }: { view: View }) {
  const { filters, setFilter, search } = useDealFilters();
  const [params] = useSearchParams();
  const { pipelines, current, isPending } = usePipelines(filters.pipeline);
  const fromNumber = view === 'list' && NUMBER_PARAMS.some((p) => params.has(p));
  const withoutNumber = new URLSearchParams(search);
  for (const p of NUMBER_PARAMS) withoutNumber.delete(p);
  if (isPending) return <Skeleton rows={8} />;
  if (!current)
    return (
      <EmptyState
        title="No pipeline yet"
        body="Deals move through the stages of a pipeline: create one to start tracking deals."
        action={
          <Link className="text-accent underline" to="/settings/pipelines">
            Set up a pipeline
          </Link>
        }
      />
    );
  return (
    <div
      className={cn(
        'flex flex-col gap-3',
        // The board fills the window below the app header (h-14) and the page padding, so each
        // column scrolls on its own; on a short screen the page scrolls instead of squashing it.
        view === 'board' && 'h-[calc(100dvh-5.5rem)] min-h-[30rem] md:h-[calc(100dvh-6.5rem)]',
      )}
    >
      <PageHeader
        title={fromNumber ? (params.get('title') ?? 'Deals') : 'Deals'}
        actions={
          <>
            <ViewToggle view={view} search={fromNumber ? withoutNumber.toString() : search} />
            <NewRecordButton objectKey="deal" />
          </>
        }
      />
      {fromNumber ? (
        <p className="-mt-4 text-sm text-ink-soft">
          The deals behind a sales dashboard number.{' '}
          <Link
            className="text-accent"
            to={{ pathname: '/deals/list', search: withoutNumber.toString() }}
          >
            Show all deals
          </Link>{' '}
          ·{' '}
          <Link className="text-accent" to="/sales">
            Back to the dashboard
          </Link>
        </p>
      ) : null}
      <DealFilterBar
        filters={filters}
        onChange={setFilter}
        pipelines={pipelines}
        currentPipelineId={current.id}
        allPipelines={view === 'list'}
      />
      {view === 'board' ? <DealsBoard pipelineId={current.id} filters={filters} /> : <DealList />}
    </div>
  );
}
