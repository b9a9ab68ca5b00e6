import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { ApiError } from '../api/client';
import { http, unwrap } from '../api/http';
import { keys } from '../api/keys';
import type { Activity, ObjectDescription } from '../api/types';
import { Button, Field, Input, Select, Textarea } from '../components/ui';
import { showApiError } from '../lib/form-errors';

const TYPES: Array<[Activity['type'], string, string]> = [
  ['note', 'Note', 'Add note'],
  ['call', 'Call', 'Log call'],
  ['email', 'Email', 'Log email'],
  ['meeting', 'Meeting', 'Log meeting'],
  ['task', 'Task', 'Add task'],
];

/** Reminder choices as minutes before the due time; a free time would be one more input few use. */
const REMINDERS: Array<[string, string]> = [
  ['', 'No reminder'],
  ['0', 'At the due time'],
  ['15', '15 minutes before'],
  ['60', '1 hour before'],
  ['1440', '1 day before'],
];

/** The record an activity is logged on: its object's key and id (an activity's `links` entry). */
export interface ActivityTarget {
  objectType: string;
  recordId: string;
}

/** The query key of a record's activity list, which the composer refreshes after logging. */
export const activitiesKey = (target: ActivityTarget) =>
  keys.linkedActivities(target.objectType, target.recordId);

/**
 * Whether activities can be logged on records of `object`: it has a timeline, or the activity
 * object has a relation field pointing at it (deals, leads and tickets) — both read from
 * `GET /objects`, so an admin's new object needs no change here.
 */
export function takesActivities(
  object: ObjectDescription,
  objects: readonly ObjectDescription[],
): boolean {
  if (object.key === 'activity') return false;
  const activity = objects.find((o) => o.key === 'activity');
  return (
    object.capabilities.timeline ||
    Boolean(activity?.fields.some((f) => f.kind === 'relation' && f.relation === object.key))
  );
}

const FIELDS = ['subject', 'body', 'dueAt', 'remindAt'] as const;
type FieldName = (typeof FIELDS)[number];

/**
 * Logs a call, email, meeting or note on a record, or adds a task with a due time and a reminder.
 * Logged activities are done when written; a task stays open until it is ticked off.
 */
export function ActivityComposer({
  target,
  recordName,
  onLogged,
}: {
  /** The record the activity belongs to, of any object (`{ objectType: 'project', recordId }`). */
  target: ActivityTarget;
  recordName: string;
  onLogged: () => void;
}) {
  const queryClient = useQueryClient();
  const [type, setType] = useState<Activity['type']>('note');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [due, setDue] = useState('');
  const [reminder, setReminder] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const isTask = type === 'task';

  const create = useMutation({
    mutationFn: () => {
      const dueAt = isTask && due ? new Date(due).toISOString() : undefined;
      const remindAt =
        dueAt && reminder
          ? new Date(new Date(dueAt).getTime() - Number(reminder) * 60_000).toISOString()
          : undefined;
      return unwrap(
        http.POST('/api/v1/activities', {
          body: {
            type,
            subject: subject.trim(),
            links: [{ objectType: target.objectType, recordId: target.recordId }],
            ...(body.trim() ? { body: body.trim() } : {}),
            ...(isTask
              ? { status: 'open', ...(dueAt ? { dueAt } : {}), ...(remindAt ? { remindAt } : {}) }
              : { status: 'done' }),
          },
        }),
      );
    },
    onSuccess: (a) => {
      toast.success(
        isTask
          ? `Task “${a.subject}” added`
          : `${TYPES.find(([t]) => t === a.type)?.[1] ?? 'Activity'} logged`,
      );
      setSubject('');
      setBody('');
      setDue('');
      setReminder('');
      setErrors({});
      void queryClient.invalidateQueries({ queryKey: keys.records('activities').all });
      onLogged();
    },
    onError: (e) => {
      const named =
        e instanceof ApiError
          ? e.details.filter((d): d is { path: FieldName; message: string } =>
              (FIELDS as readonly string[]).includes(d.path),
            )
          : [];
      if (named.length) setErrors(Object.fromEntries(named.map((d) => [d.path, d.message])));
      else showApiError(e);
    },
  });

  const submit = () => {
    if (!subject.trim())
      return setErrors({ subject: 'Say in a few words what happened or what to do' });
    setErrors({});
    create.mutate();
  };

  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={(e) => (e.preventDefault(), submit())}
      aria-label={`Log an activity for ${recordName}`}
    >
      <div className="grid gap-3 sm:grid-cols-[9rem_1fr]">
        <Field label="Type" id="act-type">
          <Select
            id="act-type"
            value={type}
            onChange={(e) => setType(e.target.value as Activity['type'])}
          >
            {TYPES.map(([t, label]) => (
              <option key={t} value={t}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={isTask ? 'What to do' : 'Subject'} id="act-subject" error={errors.subject}>
          <Input
            id="act-subject"
            value={subject}
            onChange={(e) => setSubject(e.target.value)}
            aria-invalid={Boolean(errors.subject)}
            maxLength={300}
            placeholder={isTask ? 'Send the proposal' : 'Intro call, pricing questions'}
          />
        </Field>
      </div>
      <Field label="Details (optional)" id="act-body" error={errors.body}>
        <Textarea
          id="act-body"
          rows={2}
          className="min-h-0"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          placeholder="Notes, outcome, next steps"
        />
      </Field>
      {isTask ? (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Due" id="act-due" error={errors.dueAt}>
            <Input
              id="act-due"
              type="datetime-local"
              value={due}
              onChange={(e) => setDue(e.target.value)}
              aria-invalid={Boolean(errors.dueAt)}
            />
          </Field>
          <Field
            label="Reminder"
            id="act-remind"
            error={errors.remindAt}
            hint={due ? undefined : 'Set a due time to get a reminder.'}
          >
            <Select
              id="act-remind"
              value={reminder}
              disabled={!due}
              onChange={(e) => setReminder(e.target.value)}
            >
              {REMINDERS.map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </Select>
          </Field>
        </div>
      ) : null}
      <div className="flex justify-end">
        <Button type="submit" disabled={create.isPending} data-testid="log-activity">
          {TYPES.find(([t]) => t === type)?.[2] ?? 'Save'}
        </Button>
      </div>
    </form>
  );
}
