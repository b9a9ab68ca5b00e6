import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { topScoresQuery } from '../../api/queries';
import type { PredictionScore } from '../../api/types';
import { Badge, EmptyState, Skeleton, Table, Td } from '../../components/ui';
import { reasonChip, recordPath } from './prediction-words';

const BAND_TONE: Record<PredictionScore['band'], 'danger' | 'accent' | 'neutral'> = {
  hot: 'danger',
  warm: 'accent',
  cold: 'neutral',
};

/** The three strongest reasons of a score as chips. */
function ReasonChips({ reasons }: { reasons: PredictionScore['reasons'] }) {
  return (
    <div className="flex flex-wrap gap-1">
      {reasons.slice(0, 3).map((r) => (
        <span
          key={r.field + r.label}
          className={
            r.points >= 0
              ? 'rounded bg-emerald-500/10 px-1.5 py-0.5 text-xs text-emerald-700 dark:text-emerald-400'
              : 'rounded bg-danger/10 px-1.5 py-0.5 text-xs text-danger'
          }
        >
          {reasonChip(r)}
        </span>
      ))}
    </div>
  );
}

/** The highest-scored open records of a prediction, each linking to its record. */
export function TopScores({
  predictionId,
  objectType,
}: {
  predictionId: string;
  objectType: string;
}) {
  const scores = useQuery(topScoresQuery(predictionId, 20));
  if (scores.isPending) return <Skeleton rows={5} />;
  if (scores.isError || scores.data.data.length === 0)
    return (
      <EmptyState
        title="No scores yet"
        body="Scores appear after a training run. An admin can press Train now to score the open records."
      />
    );
  return (
    <Table head={['Record', 'Score', 'Band', 'Top reasons']}>
      {scores.data.data.map((s) => (
        <tr key={s.recordId} data-testid="score-row">
          <Td>
            <Link to={recordPath(objectType, s.recordId)} className="text-accent hover:underline">
              Open {objectType}
            </Link>
          </Td>
          <Td className="tabular-nums font-medium">{s.score}</Td>
          <Td>
            <Badge tone={BAND_TONE[s.band]}>{s.band}</Badge>
          </Td>
          <Td>
            <ReasonChips reasons={s.reasons} />
          </Td>
        </tr>
      ))}
    </Table>
  );
}
