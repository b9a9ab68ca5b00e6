import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { pipelinesQuery } from '../../api/queries';
import { updateRecord } from '../../api/records';
import { Badge, EmptyState, PageHeader, Skeleton } from '../../components/ui';
import { cn } from '../../lib/cn';
import { formatMoney } from '../../lib/money';
import { useObjects } from '../../api/use-objects';
import { RecordTimeline } from '../objects/record-timeline';
import { RecordSections, DeleteRecordButton } from '../objects/record-sections';
import { RecordName } from '../record-links';
import { DealLineItems } from './deal-line-items';
import { DealPeople } from './deal-people';
import { DealStageHistory } from './deal-stage-history';
import { MoveDialog, type MissingFields } from './move-dialog';
import { RunWorkflowMenu } from '../workflows/run-workflow-menu';

/** Shown by the stage bar, the People card and the line items card rather than as fields. */
const BAR_FIELDS = [
  'pipelineId',
  'stageId',
  'stage',
  'lineItems',
  'contacts',
  'status',
  'probabilityOverride',
];

/**
 * A deal: its stage as steps (click one to move there), its fields, the people on it with their
 * roles, its line items, where it has been (stage history) and its timeline with the composer.
 */
export default function DealPage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const deal = useQuery({
    queryKey: keys.records('deals').detail(id),
    queryFn: () => unwrap(http.GET('/api/v1/deals/{id}', { params: { path: { id } } })),
  });
  const pipelines = useQuery(pipelinesQuery);
  const objects = useObjects();
  const dealObject = objects.data?.find((o) => o.key === 'deal');
  const [missing, setMissing] = useState<(MissingFields & { stageId: string }) | null>(null);
  if (deal.isError)
    return (
      <EmptyState
        title="Deal not found"
        body="It may have been deleted, or you may not have access."
        action={
          <Link className="text-accent" to="/deals">
            Back to the board
          </Link>
        }
      />
    );
  if (!deal.data) return <Skeleton rows={6} />;
  const d = deal.data;
  const pipeline = pipelines.data?.data.find((p) => p.id === d.pipelineId);
  const moveTo = async (stageId: string, extra: Record<string, unknown> = {}) => {
    try {
      // The move dialog's extra fields are the stage's required ones, named by the API itself.
      await updateRecord('deals', d, { stageId, ...extra });
      toast.success('Deal moved');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SALES_STAGE_REQUIREMENTS') {
        setMissing({
          stageId,
          dealName: d.name,
          stageName: pipeline?.stages.find((s) => s.id === stageId)?.name ?? 'that stage',
          fields: e.details.map((x) => x.path),
        });
      } else toast.error(e instanceof Error ? e.message : 'The move failed');
    }
    await queryClient.invalidateQueries({ queryKey: keys.records('deals').detail(id) });
  };
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <PageHeader
        title={d.name}
        description={`${d.stage.name} · ${formatMoney(d.amount, d.currency)}`}
        actions={
          <>
            <RunWorkflowMenu object="deal" recordId={d.id} />
            <DeleteRecordButton resource="deals" record={d} title={d.name} singular="Deal" />
            <Link to="/deals" className="self-center text-sm text-accent">
              ← Board
            </Link>
          </>
        }
      />
      <p
        className="-mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm text-ink-soft"
        data-testid="deal-links"
      >
        <span>
          Company: {d.companyId ? <RecordName resource="companies" id={d.companyId} /> : 'none yet'}
        </span>
        <span>
          Primary contact:{' '}
          {d.contactId ? <RecordName resource="contacts" id={d.contactId} /> : 'none yet'}
        </span>
      </p>
      {d.rotting ? (
        <Badge tone="danger">Rotting: no movement for longer than this stage allows</Badge>
      ) : null}
      <nav aria-label="Stages" className="flex flex-wrap gap-1">
        {pipeline?.stages.map((s) => (
          <button
            key={s.id}
            type="button"
            onClick={() => s.id !== d.stageId && void moveTo(s.id)}
            aria-current={s.id === d.stageId ? 'step' : undefined}
            className={cn(
              'rounded-md border px-3 py-1.5 text-sm',
              s.id === d.stageId
                ? 'border-accent bg-accent text-on-accent'
                : 'border-line bg-panel text-ink hover:bg-muted',
            )}
          >
            {s.name}
          </button>
        ))}
      </nav>
      <div className="grid items-start gap-4 md:grid-cols-[24rem_minmax(0,1fr)]">
        <div className="space-y-4">
          {dealObject && objects.data ? (
            <RecordSections
              object={dealObject}
              objects={objects.data}
              record={d}
              // With line items the amount is their sum: it is shown, and changed, in their card.
              exclude={d.lineItems.length ? [...BAR_FIELDS, 'amount'] : BAR_FIELDS}
            />
          ) : (
            <Skeleton rows={6} />
          )}
          <DealPeople deal={d} />
          <DealStageHistory dealId={d.id} />
        </div>
        <div className="min-w-0 space-y-4">
          <DealLineItems deal={d} />
          {dealObject && objects.data ? (
            <RecordTimeline object={dealObject} objects={objects.data} record={d} />
          ) : null}
        </div>
      </div>
      <MoveDialog
        missing={missing}
        onCancel={() => setMissing(null)}
        onSubmit={(values) => {
          const m = missing;
          setMissing(null);
          if (m) void moveTo(m.stageId, values);
        }}
      />
    </div>
  );
}
