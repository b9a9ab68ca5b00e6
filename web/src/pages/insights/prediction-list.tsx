import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { modelCardQuery, predictionsQuery } from '../../api/queries';
import { EmptyState, PageHeader, Skeleton, Table, Td, formatDate } from '../../components/ui';
import { metric } from './prediction-words';
import { StateBadge } from './state-badge';

/**
 * A prediction's held-out AUC. The list answer carries no metrics, so each row reads its model
 * card — the same cache entry the card page opens with.
 */
function AucCell({ id }: { id: string }) {
  const card = useQuery(modelCardQuery(id));
  return <Td className="tabular-nums">{card.data ? metric(card.data.metrics?.auc) : '…'}</Td>;
}

/** Insights → Predictions: each prediction with its state, when it last trained, and its AUC. */
export default function PredictionList() {
  const list = useQuery(predictionsQuery);
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <PageHeader
        title="Predictions"
        description="Scores that rank open leads and deals by how likely they are to convert or win."
      />
      {list.isPending ? (
        <Skeleton rows={3} />
      ) : list.isError ? (
        <EmptyState
          title="Predictions could not be loaded"
          body="Reload the page; if it keeps failing, ask an admin to look at the server log."
        />
      ) : list.data.data.length === 0 ? (
        <EmptyState
          title="No predictions yet"
          body="Lead conversion and deal win appear here once leads or deals exist."
        />
      ) : (
        <Table head={['Prediction', 'Object', 'State', 'AUC', 'Trained']}>
          {list.data.data.map((p) => (
            <tr key={p.id} data-testid="prediction-row">
              <Td>
                <Link
                  to={`/insights/predictions/${p.id}`}
                  className="font-medium text-accent hover:underline"
                >
                  {p.name}
                </Link>
              </Td>
              <Td className="capitalize">{p.objectType}</Td>
              <Td>
                <StateBadge state={p.state} />
              </Td>
              <AucCell id={p.id} />
              <Td>{p.trainedAt ? formatDate(p.trainedAt) : 'Never'}</Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
