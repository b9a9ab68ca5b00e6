import { useParams } from 'react-router';
import { can, useMe } from '../../api/session';
import type { ModelCard } from '../../api/types';
import { Button, Card, EmptyState, PageHeader, Skeleton } from '../../components/ui';
import { CalibrationChart, ImportanceChart } from './model-charts';
import { ModelFacts, PriorWeights } from './model-facts';
import { StateBadge } from './state-badge';
import { TopScores } from './top-scores';
import { useTrainPrediction } from './use-train-prediction';

/** What the state means, in one honest headline above the server's own statement. */
const HEADLINE: Record<ModelCard['state'], string> = {
  collecting: 'Scores come from a prior until there are enough outcomes of each kind.',
  trained: 'Scores come from a model trained on this organization’s outcomes.',
  stale: 'The model is out of date; train it again to reflect the latest outcomes.',
};

function StateSummary({ card }: { card: ModelCard }) {
  return (
    <Card className="space-y-2">
      <div className="flex items-center gap-2">
        <StateBadge state={card.state} />
        <p className="font-medium text-ink">{HEADLINE[card.state]}</p>
      </div>
      <p className="text-sm text-ink-soft" data-testid="prediction-statement">
        {card.statement}
      </p>
    </Card>
  );
}

function Charts({ card }: { card: ModelCard }) {
  if (!card.metrics)
    return (
      <EmptyState
        title="No model to chart yet"
        body="Feature importance and calibration appear once a training run finds enough outcomes of each kind."
      />
    );
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card>
        <h2 className="mb-2 font-medium text-ink">What matters most</h2>
        <ImportanceChart importance={card.importance} />
      </Card>
      <Card>
        <h2 className="mb-2 font-medium text-ink">Calibration: predicted vs observed</h2>
        <CalibrationChart bins={card.metrics.calibration} />
      </Card>
    </div>
  );
}

/** A prediction's model card: its state, quality, what drives it, and its top scores. */
export default function ModelCardPage() {
  const { id = '' } = useParams();
  const me = useMe().data;
  const { card, train, isTraining } = useTrainPrediction(id);
  if (card.isPending) return <Skeleton rows={6} />;
  if (card.isError)
    return (
      <EmptyState
        title="This prediction could not be loaded"
        body="It may not exist in this organization. Go back to Insights → Predictions."
      />
    );
  const c = card.data;
  return (
    <div className="mx-auto max-w-6xl space-y-4" data-testid="model-card">
      <PageHeader
        title={c.name}
        description={`Predicts ${c.target.field} of ${c.objectType}s: ${c.target.positiveValues.join(', ')} against ${c.target.negativeValues.join(', ')}.`}
        actions={
          can(me, 'predictions:update') ? (
            <Button onClick={train} disabled={isTraining} data-testid="train-now">
              {isTraining ? 'Training…' : 'Train now'}
            </Button>
          ) : null
        }
      />
      <StateSummary card={c} />
      <Card>
        <ModelFacts card={c} />
      </Card>
      {c.prior ? (
        <Card>
          <h2 className="mb-2 font-medium text-ink">The prior scores use</h2>
          <PriorWeights prior={c.prior} />
        </Card>
      ) : null}
      <Charts card={c} />
      <section className="space-y-2">
        <h2 className="font-medium text-ink">Top scores</h2>
        <TopScores predictionId={c.id} objectType={c.objectType} />
      </section>
    </div>
  );
}
