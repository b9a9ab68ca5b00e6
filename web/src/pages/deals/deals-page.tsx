import { Link } from 'react-router';
import { EmptyState, PageHeader, Skeleton } from '../../components/ui';
import { NewRecordButton } from '../objects/new-record-button';
import { DealsBoard } from './board';
import { DealFilterBar } from './deal-filter-bar';
import { DealList } from './deal-list';
import { useDealFilters } from './use-deal-filters';
import { usePipelines } from './use-pipelines';
import { ViewToggle, type DealsView } from './view-toggle';

/** The kanban of one pipeline, with the board's filters kept in the URL. */
function BoardPage() {
  const { filters, setFilter, search } = useDealFilters();
  const { pipelines, current, isPending } = usePipelines(filters.pipeline);
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
    // The board fills the window below the app header (h-14) and the page padding, so each
    // column scrolls on its own; on a short screen the page scrolls instead of squashing it.
    <div className="flex h-[calc(100dvh-5.5rem)] min-h-[30rem] flex-col gap-3 md:h-[calc(100dvh-6.5rem)]">
      <PageHeader
        title="Deals"
        actions={
          <>
            <ViewToggle view="board" search={search} />
            <NewRecordButton objectKey="deal" />
          </>
        }
      />
      <DealFilterBar
        filters={filters}
        onChange={setFilter}
        pipelines={pipelines}
        currentPipelineId={current.id}
      />
      <DealsBoard pipelineId={current.id} filters={filters} />
    </div>
  );
}

/**
 * The deals page: a kanban of one pipeline, or the generic list of deals (what a dashboard number
 * opens); the toggle between them carries the filters across.
 */
export default function DealsPage({ view }: { view: DealsView }) {
  return view === 'board' ? <BoardPage /> : <DealList />;
}
