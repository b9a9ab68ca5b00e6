import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { Button, Input } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';

/** A Date as a `datetime-local` value in the browser's time zone (the input has no zone of its own). */
function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Replay since…": queues every matching event since a moment again, e.g. after the receiver was down. */
export function ReplaySince({ webhookId, disabled }: { webhookId: string; disabled: boolean }) {
  const queryClient = useQueryClient();
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 60 * 60 * 1000)));
  const replay = useMutation({
    mutationFn: (from: string) =>
      unwrap(
        http.POST('/api/v1/webhooks/{id}/replay', {
          params: { path: { id: webhookId } },
          body: { since: from },
        }),
      ),
    onSuccess: (r) => {
      const skipped = r.skipped
        ? `; ${plural(r.skipped, 'event', 'events')} already delivered left alone`
        : '';
      const resumeFrom = r.resumeFrom;
      toast.success(`Queued ${plural(r.enqueued, 'delivery', 'deliveries')}${skipped}`, {
        ...(r.more && resumeFrom
          ? {
              description: 'More events remain.',
              action: { label: 'Continue', onClick: () => replay.mutate(resumeFrom) },
            }
          : {}),
      });
      void queryClient.invalidateQueries({ queryKey: keys.webhookDeliveries.all(webhookId) });
    },
    onError: (e) => showApiError(e),
  });
  const submit = () => {
    const at = new Date(since);
    if (Number.isNaN(at.getTime())) {
      toast.error('Choose a date and time to replay from');
      return;
    }
    replay.mutate(at.toISOString());
  };
  return (
    <form
      className="flex items-end gap-2"
      onSubmit={(e) => (e.preventDefault(), submit())}
      aria-label="Replay events"
    >
      <div className="space-y-1">
        <label htmlFor="replay-since" className="block text-xs font-medium text-ink-soft">
          Replay events since
        </label>
        <Input
          id="replay-since"
          data-testid="replay-since"
          type="datetime-local"
          className="h-9 w-52"
          value={since}
          max={toLocalInput(new Date())}
          onChange={(e) => setSince(e.target.value)}
          disabled={disabled}
        />
      </div>
      <Button
        type="submit"
        variant="secondary"
        data-testid="replay-submit"
        disabled={disabled || replay.isPending || !since}
        title="Queues every matching event since then again; events already delivered are skipped"
      >
        {replay.isPending ? 'Replaying…' : 'Replay'}
      </Button>
    </form>
  );
}
