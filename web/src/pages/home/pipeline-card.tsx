import { Link } from 'react-router';
import { useMe } from '../../api/session';
import { Card, EmptyState, Skeleton } from '../../components/ui';
import { formatMoney } from '../../lib/money';
import { CardHeading } from './card-heading';
import { useMyPipeline, type MyStage } from './use-my-pipeline';

/** The deal list behind a number: my deals in these stages, biggest first (as on the dashboard). */
const dealsLink = (stageIds: readonly string[], ownerId: string, title: string) =>
  `/deals/list?${new URLSearchParams({ stages: stageIds.join(','), owners: ownerId, title, sort: '-amount' })}`;

/**
 * My pipeline on Home: my open deals per stage, with counts and values; every number opens the
 * deals it counts.
 */
export function PipelineCard() {
  const me = useMe().data;
  const pipeline = useMyPipeline();
  if (!pipeline.allowed) return null;
  const ownerId = me?.user.id ?? '';
  const stages = pipeline.data?.stages ?? [];
  const currency = pipeline.data?.currency ?? 'USD';
  const count = stages.reduce((n, s) => n + s.count, 0);
  const total = stages.reduce((n, s) => n + s.total, 0);
  const unconverted = stages.reduce((n, s) => n + s.unconverted, 0);
  const largest = Math.max(1, ...stages.map((s) => s.total));
  const open = stages.filter((s) => s.count > 0);
  const label = (s: MyStage) =>
    (pipeline.data?.pipelines ?? 0) > 1 ? `${s.pipeline} · ${s.name}` : s.name;
  return (
    <Card className="p-4">
      <CardHeading title="My pipeline" to="/deals" linkLabel="Board" />
      {pipeline.isPending ? (
        <Skeleton rows={4} />
      ) : count === 0 ? (
        <EmptyState
          title="No open deals of yours"
          body="Add a deal for an opportunity you are working on, and follow it here by stage."
          action={
            <Link to="/deals" className="text-sm font-medium text-accent hover:underline">
              Go to the deals board
            </Link>
          }
        />
      ) : (
        <div data-testid="home-pipeline">
          <Link
            to={dealsLink(
              stages.map((s) => s.id),
              ownerId,
              'My open deals',
            )}
            className="block rounded-md px-1 py-1 hover:bg-muted"
          >
            <span className="text-2xl font-semibold text-ink" data-testid="pipeline-open-count">
              {count}
            </span>{' '}
            <span className="text-sm text-ink-soft">open {count === 1 ? 'deal' : 'deals'} ·</span>{' '}
            <span className="text-sm font-medium text-ink" data-testid="pipeline-open-total">
              {formatMoney(total, currency)}
            </span>
          </Link>
          <ul className="mt-2 space-y-1.5" aria-label="Open deals by stage">
            {open.map((s) => {
              const to = dealsLink([s.id], ownerId, `My deals in ${s.name}`);
              return (
                <li key={s.id} className="px-1 text-sm" data-testid="pipeline-stage">
                  <div className="flex items-baseline justify-between gap-2">
                    <span className="truncate text-ink-soft">{label(s)}</span>
                    <span className="flex shrink-0 gap-3 tabular-nums">
                      <Link
                        to={to}
                        className="text-ink hover:text-accent"
                        data-testid="stage-count"
                      >
                        {s.count}
                      </Link>
                      <Link
                        to={to}
                        className="min-w-20 text-right font-medium text-ink hover:text-accent"
                      >
                        {formatMoney(s.total, currency)}
                      </Link>
                    </span>
                  </div>
                  {/* The value's share of the largest stage: the stages compared at a glance. */}
                  <div className="mt-1 h-1.5 rounded-full bg-muted" aria-hidden>
                    <div
                      className="h-1.5 rounded-full bg-accent/70"
                      style={{ width: `${Math.round((s.total / largest) * 100)}%` }}
                    />
                  </div>
                </li>
              );
            })}
          </ul>
          {unconverted > 0 ? (
            <p className="mt-2 px-1 text-xs text-ink-soft">
              {unconverted} {unconverted === 1 ? 'deal' : 'deals'} in a currency without an exchange
              rate {unconverted === 1 ? 'is' : 'are'} counted but not in the totals.
            </p>
          ) : null}
        </div>
      )}
    </Card>
  );
}
