import { useQuery } from '@tanstack/react-query';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { DealStageStay } from '../../api/types';
import { Card, formatDate, Skeleton } from '../../components/ui';
import { formatDuration } from '../../lib/dates';
import { useUsers } from '../../lib/use-users';

function Stay({ stay, mover }: { stay: DealStageStay; mover: string | null }) {
  return (
    <li className="relative pb-3 pl-3 last:pb-0" data-testid="stage-stay">
      <span
        className={`absolute -left-1 top-1.5 size-2 rounded-full ${stay.leftAt ? 'bg-line' : 'bg-accent'}`}
        aria-hidden
      />
      <p className="text-sm text-ink">
        {stay.fromStage ? (
          <>
            {stay.fromStage.name} <span aria-label="to">→</span>{' '}
          </>
        ) : (
          'Created in '
        )}
        <span className="font-medium">{stay.stage.name}</span>
      </p>
      <p className="text-xs text-ink-soft">
        {[
          stay.leftAt
            ? formatDuration(stay.durationMs)
            : `${formatDuration(stay.durationMs)} so far`,
          mover ? `by ${mover}` : null,
          formatDate(stay.enteredAt),
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
    </li>
  );
}

/** Where a deal has been: each stay in a stage, newest first, how long it lasted and who moved it. */
export function DealStageHistory({ dealId }: { dealId: string }) {
  const { nameOf } = useUsers();
  const history = useQuery({
    queryKey: keys.dealStageHistory(dealId),
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/deals/{id}/stage-history', {
          params: { path: { id: dealId }, query: { limit: 200 } },
        }),
      ),
  });
  return (
    <Card className="p-4">
      <h2 className="mb-2 font-medium text-ink">Stage history</h2>
      {history.isPending ? (
        <Skeleton rows={2} />
      ) : history.isError ? (
        <p className="text-sm text-ink-soft">The stage history could not be loaded.</p>
      ) : history.data.data.length === 0 ? (
        <p className="text-sm text-ink-soft">No moves yet. Click a stage above to move the deal.</p>
      ) : (
        <ol className="border-l border-line" data-testid="stage-history">
          {history.data.data.map((s) => (
            <Stay key={s.id} stay={s} mover={nameOf(s.changedBy)} />
          ))}
        </ol>
      )}
    </Card>
  );
}
