import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { keys } from '../../api/keys';
import { createTask, type Task } from '../../api/tasks';
import { useMe } from '../../api/session';
import { Button, Dialog, Field, Input, Select } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { useUsers } from '../../lib/use-users';
import { RecordPicker, type PickedRecord } from '../record-picker';
import { useLinkTargets } from './use-link-targets';

/** The form's rules, as the server's: a subject of 1–300 characters, a valid due time. */
const schema = z.object({
  subject: z.string().trim().min(1, 'Say in a few words what to do').max(300),
  due: z
    .string()
    .refine((v) => v === '' || !Number.isNaN(new Date(v).getTime()), 'Pick a date and time'),
  assigneeId: z.string(),
  linkField: z.string(),
});
type Values = z.infer<typeof schema>;

/** The form fields an API error can name (`dueAt` is the form's `due`). */
const FIELDS = ['subject', 'due', 'assigneeId'] as const;

/** Creates a task: what to do, when, for whom, and the record it is about. */
export function NewTaskDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated?: (task: Task) => void;
}) {
  const queryClient = useQueryClient();
  const me = useMe().data;
  const { users, canPick } = useUsers();
  const targets = useLinkTargets();
  const [record, setRecord] = useState<PickedRecord | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { subject: '', due: '', assigneeId: me?.user.id ?? '', linkField: '' },
  });
  const { errors } = form.formState;
  const linkField = form.watch('linkField');
  const target = targets.find((t) => t.field === linkField);

  // Each opening starts empty; a refetch while open must not wipe what is being typed.
  useEffect(() => {
    if (open) {
      form.reset({ subject: '', due: '', assigneeId: me?.user.id ?? '', linkField: '' });
      setRecord(null);
    }
  }, [open]);

  const create = useMutation({
    mutationFn: (v: Values) =>
      createTask({
        subject: v.subject.trim(),
        dueAt: v.due ? new Date(v.due).toISOString() : undefined,
        assigneeId: v.assigneeId || undefined,
        link: target && record ? { [target.field]: record.id } : undefined,
      }),
    onSuccess: (task) => {
      toast.success(`Task added: ${task.subject}`);
      void queryClient.invalidateQueries({ queryKey: keys.records('activities').all });
      onCreated?.(task);
      onOpenChange(false);
    },
    onError: (e) => showApiError(e, form.setError, FIELDS, { dueAt: 'due' }),
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New task">
      <form
        noValidate
        data-testid="task-form"
        className="space-y-3"
        onSubmit={(e) => void form.handleSubmit((v) => create.mutate(v))(e)}
      >
        <Field label="Task" id="task-subject" error={errors.subject?.message}>
          <Input
            id="task-subject"
            data-testid="task-subject"
            autoFocus
            placeholder="e.g. Send the proposal to Acme"
            aria-invalid={errors.subject ? true : undefined}
            {...form.register('subject')}
          />
        </Field>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            label="Due"
            id="task-due"
            error={errors.due?.message}
            hint="Leave empty for no date"
          >
            <Input
              id="task-due"
              data-testid="task-due-input"
              type="datetime-local"
              aria-invalid={errors.due ? true : undefined}
              {...form.register('due')}
            />
          </Field>
          <Field label="Assignee" id="task-assignee" error={errors.assigneeId?.message}>
            {canPick ? (
              <Select
                id="task-assignee"
                data-testid="task-assignee"
                {...form.register('assigneeId')}
              >
                {users
                  .filter((u) => u.status === 'active')
                  .map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.id === me?.user.id ? `${u.name} (you)` : u.name}
                    </option>
                  ))}
              </Select>
            ) : (
              <Input id="task-assignee" value="You" readOnly />
            )}
          </Field>
        </div>
        <Field label="About" id="task-link-type" hint="Optional: the record this task is for">
          <Select
            id="task-link-type"
            data-testid="task-link-type"
            {...form.register('linkField', { onChange: () => setRecord(null) })}
          >
            <option value="">No record</option>
            {targets.map((t) => (
              <option key={t.field} value={t.field}>
                {t.label}
              </option>
            ))}
          </Select>
        </Field>
        {target ? (
          record ? (
            <p className="flex items-center gap-2 rounded-md border border-line px-3 py-2 text-sm">
              <span className="min-w-0 flex-1 truncate text-ink" data-testid="task-link-record">
                {record.name}
              </span>
              <button
                type="button"
                className="rounded p-0.5 text-ink-soft hover:bg-muted"
                aria-label={`Remove ${record.name}`}
                onClick={() => setRecord(null)}
              >
                <X size={14} />
              </button>
            </p>
          ) : (
            <RecordPicker
              key={target.resource}
              resource={target.resource}
              titleField={target.titleField}
              label={`Find a ${target.label.toLowerCase()}`}
              compact
              onPick={setRecord}
            />
          )
        ) : null}
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" data-testid="task-submit" disabled={create.isPending}>
            {create.isPending ? 'Adding…' : 'Add task'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
