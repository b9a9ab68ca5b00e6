import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { keys } from '../../api/keys';
import { setTaskDone, type Task } from '../../api/tasks';
import { showApiError } from '../../lib/form-errors';
import { patchTaskEverywhere } from './task-cache';

/**
 * Ticks a task off (or opens it again) at once on screen, then on the server; a refusal puts the
 * lists back. Completing offers Undo in the toast, which reopens the version the server answered.
 */
export function useCompleteTask(): (task: Task, done: boolean) => void {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: ({ task, done }: { task: Task; done: boolean }) => setTaskDone(task, done),
    onMutate: async ({ task, done }) => {
      await queryClient.cancelQueries({ queryKey: keys.records('activities').all });
      const status: Task['status'] = done ? 'done' : 'open';
      return patchTaskEverywhere(queryClient, task.id, {
        status,
        doneAt: done ? new Date().toISOString() : null,
      });
    },
    onError: (e, _vars, before) => {
      for (const [key, data] of before ?? []) queryClient.setQueryData(key, data);
      if (e instanceof ApiError && e.status === 412)
        toast.error('This task changed meanwhile; the latest version is now shown.');
      else showApiError(e);
    },
    onSuccess: (saved, { done }) => {
      if (done)
        toast.success(`Done: ${saved.subject}`, {
          action: { label: 'Undo', onClick: () => mutation.mutate({ task: saved, done: false }) },
        });
      else toast.success(`Reopened: ${saved.subject}`);
    },
    // Refetch so the task moves to where it now belongs (out of the open lists, into Done).
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.records('activities').all }),
  });
  return (task, done) => mutation.mutate({ task, done });
}
