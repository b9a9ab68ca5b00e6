import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { modelCardQuery } from '../../api/queries';

const POLL_MS = 2_000;
const GIVE_UP_MS = 60_000;

/**
 * The model card, and training it: the `insights.train` job runs in the background, so after the
 * 202 the card is polled every 2 s until its `updatedAt` moves (the run stored its result) or a
 * minute passes. Reading the jobs endpoint instead would need `jobs:read`, which readers lack.
 */
export function useTrainPrediction(id: string) {
  const queryClient = useQueryClient();
  const [waiting, setWaiting] = useState<{ updatedAt: string; since: number } | null>(null);
  const card = useQuery({ ...modelCardQuery(id), refetchInterval: waiting ? POLL_MS : false });
  const train = useMutation({
    mutationFn: () =>
      unwrap(http.POST('/api/v1/predictions/{id}/train', { params: { path: { id } } })),
    onMutate: () => {
      if (card.data) setWaiting({ updatedAt: card.data.updatedAt, since: Date.now() });
    },
    onError: (e) => {
      setWaiting(null);
      toast.error(e instanceof Error ? e.message : 'Could not start training');
    },
  });
  const updatedAt = card.data?.updatedAt;
  useEffect(() => {
    if (!waiting || !updatedAt) return;
    if (updatedAt !== waiting.updatedAt) {
      setWaiting(null);
      // The run rescored the open records and may have changed the list's state and AUC.
      void queryClient.invalidateQueries({ queryKey: keys.predictions.all });
      toast.success('Training finished');
    } else if (Date.now() - waiting.since > GIVE_UP_MS) {
      setWaiting(null);
      toast.info('Training is taking longer than a minute; reload the page later to see it.');
    }
  }, [waiting, updatedAt, card.dataUpdatedAt, queryClient]);
  return { card, train: () => train.mutate(), isTraining: waiting !== null };
}
