import { Link, useSearchParams } from 'react-router';
import type { ObjectRecord } from '../../api/records';
import { Badge, Select } from '../../components/ui';
import type { ListExtension } from '../objects/list-extension';
import type { ListState } from '../objects/list-query';
import { ObjectListRoute } from '../objects/object-list-route';
import { boardSearch, DEAL_LIST_PARAMS, withoutNumber } from './deal-list-params';
import { dealListSummary } from './deal-list-summary';
import { usePipelines } from './use-pipelines';
import { ViewToggle } from './view-toggle';

const STAGE_TONE = { open: 'accent', won: 'success', lost: 'danger' } as const;

const isStageKind = (v: unknown): v is keyof typeof STAGE_TONE =>
  typeof v === 'string' && v in STAGE_TONE;

/** The stage by name, coloured open, won or lost (the API answers the stage on the deal). */
function StageCell({ deal }: { deal: ObjectRecord }) {
  const stage = deal.stage;
  if (!stage || typeof stage !== 'object' || !('name' in stage) || typeof stage.name !== 'string')
    return null;
  const kind = 'kind' in stage && isStageKind(stage.kind) ? stage.kind : 'open';
  return <Badge tone={STAGE_TONE[kind]}>{stage.name}</Badge>;
}

/** A pipeline by name: pipelines are settings, not records, so the generic cell knows only ids. */
function PipelineCell({ id }: { id: unknown }) {
  const { pipelines } = usePipelines();
  const name = pipelines.find((p) => p.id === id)?.name;
  return name ? <span className="block truncate">{name}</span> : null;
}

/** The pipeline as a quick filter (the generic filter builder cannot list pipelines). */
function PipelineFilter({ state, onState }: { state: ListState; onState: (s: ListState) => void }) {
  const { pipelines } = usePipelines();
  const own = (c: { field: string; op: string }) => c.field === 'pipelineId' && c.op === 'eq';
  const others = state.conditions.filter((c) => !own(c));
  if (pipelines.length < 2) return null;
  return (
    <Select
      aria-label="Pipeline"
      className="w-44"
      value={state.conditions.find(own)?.value ?? ''}
      onChange={(e) =>
        onState({
          ...state,
          conditions: e.target.value
            ? [...others, { field: 'pipelineId', op: 'eq', value: e.target.value }]
            : others,
        })
      }
      data-testid="deal-pipeline-filter"
    >
      <option value="">All pipelines</option>
      {pipelines.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </Select>
  );
}

/** Which dashboard number the list shows, with the ways out of it; nothing for a plain list. */
function NumberNote() {
  const [params] = useSearchParams();
  const title = params.get('title');
  if (!title) return null;
  return (
    <p className="text-sm text-ink-soft" data-testid="deal-list-number">
      <span className="font-medium text-ink">{title}</span>, from the sales dashboard ·{' '}
      <Link className="text-accent" to={{ pathname: '/deals/list', search: withoutNumber(params) }}>
        Show all deals
      </Link>{' '}
      ·{' '}
      <Link className="text-accent" to="/sales">
        Back to the dashboard
      </Link>
    </p>
  );
}

/** The board/list toggle of the list, carrying the filters the board understands. */
function ListViewToggle() {
  const [params] = useSearchParams();
  return <ViewToggle view="list" search={boardSearch(params)} />;
}

/**
 * What deals add to the generic record table: the board/list toggle, the stage as a coloured
 * chip, pipelines by name, the count with the amounts' sum, the pipeline quick filter, the URL
 * words the board and the dashboard link with, and the columns a sales rep scans first.
 * Defined once, so the table's columns stay memoized.
 */
const DEAL_LIST: ListExtension = {
  actions: <ListViewToggle />,
  toolbar: (state, onState) => (
    <>
      <PipelineFilter state={state} onState={onState} />
      <NumberNote />
    </>
  ),
  cells: {
    stageId: (d) => <StageCell deal={d} />,
    pipelineId: (d) => <PipelineCell id={d.pipelineId} />,
  },
  defaultColumns: [
    'name',
    'companyId',
    'amount',
    'stageId',
    'probability',
    'expectedCloseDate',
    'ownerId',
  ],
  columnSizes: {
    name: 220,
    companyId: 170,
    amount: 130,
    stageId: 150,
    probability: 110,
    expectedCloseDate: 190,
    ownerId: 150,
  },
  params: DEAL_LIST_PARAMS,
  summary: ({ records, total }) => (
    <span data-testid="deal-list-summary">{dealListSummary(records, total)}</span>
  ),
  rowTestId: 'deal-row',
};

/** The deals as a list (`/deals/list`): the generic record table with what deals add. */
export function DealList() {
  return <ObjectListRoute objectKey="deal" extension={DEAL_LIST} />;
}
