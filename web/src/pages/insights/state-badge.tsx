import type { Prediction } from '../../api/types';
import { Badge } from '../../components/ui';
import { STATE_LABEL, STATE_TONE } from './prediction-words';

/** A prediction's state as a badge. */
export function StateBadge({ state }: { state: Prediction['state'] }) {
  return (
    <span data-testid="prediction-state" data-state={state}>
      <Badge tone={STATE_TONE[state]}>{STATE_LABEL[state]}</Badge>
    </span>
  );
}
