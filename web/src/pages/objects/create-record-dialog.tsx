import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { keys } from '../../api/keys';
import { createRecord, type ObjectRecord } from '../../api/records';
import type { ObjectDescription } from '../../api/types';
import { Button, Dialog } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { useUsers } from '../../lib/use-users';
import { FieldEditor } from '../field-editor';
import { fromDraft, isBlank, toDraft, type Draft, type FieldSpec } from '../field-values';
import { createFields, fieldSpec } from './field-specs';

/** Form values: one draft per field, named `f0`, `f1`… (field paths hold dots, which the form nests). */
type Values = Record<string, Draft>;

/** The starting draft of a field of a new record: a required choice starts on its first value. */
function initialDraft(spec: FieldSpec): Draft {
  if (spec.kind === 'select' && spec.required) return spec.choices?.[0] ?? '';
  return toDraft(spec);
}

/** Merges one field's PATCH-shaped body into the create body (custom fields share one object). */
function merge(body: Record<string, unknown>, part: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(part)) {
    const prev = body[k];
    body[k] =
      k === 'customFields' && prev && typeof prev === 'object' && v && typeof v === 'object'
        ? { ...prev, ...v }
        : v;
  }
}

/**
 * "New <object>": a form of the object's editable fields, each with the input of its kind (text,
 * number, money, dates, choices, tags, related records, owner). The server's refusals land on the
 * fields they name; the rest shows as a toast.
 */
export function CreateRecordDialog({
  object,
  objects,
  open,
  onOpenChange,
  onCreated,
}: {
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (record: ObjectRecord) => void;
}) {
  const queryClient = useQueryClient();
  const { users } = useUsers();
  const specs = useMemo(
    () => createFields(object, objects).map((f) => fieldSpec(f, null, objects)),
    [object, objects],
  );
  const defaults = useMemo(
    () => Object.fromEntries(specs.map((s, i) => [`f${i}`, initialDraft(s)])),
    [specs],
  );
  const form = useForm<Values>({ defaultValues: defaults });
  const nameOfPath = (path: string) => {
    const i = specs.findIndex((s) => path === s.path || path.startsWith(`${s.path}.`));
    return i < 0 ? null : `f${i}`;
  };

  const handleSubmit = form.handleSubmit(async (values) => {
    const body: Record<string, unknown> = {};
    let invalid = false;
    specs.forEach((spec, i) => {
      const parsed = fromDraft(spec, values[`f${i}`] ?? '');
      if ('error' in parsed) {
        invalid = true;
        form.setError(`f${i}`, { message: `${spec.label} ${parsed.error}` });
      } else if (!isBlank(parsed.value) || spec.kind === 'boolean') {
        merge(body, spec.toPatch(parsed.value));
      }
    });
    if (invalid) return;
    try {
      const created = await createRecord(object.resource, body);
      toast.success(`${object.labels.singular} created`);
      form.reset(defaults);
      onOpenChange(false);
      void queryClient.invalidateQueries({ queryKey: keys.records(object.resource).all });
      onCreated(created);
    } catch (e) {
      const named = e instanceof ApiError ? e.details.filter((d) => nameOfPath(d.path)) : [];
      for (const d of named) {
        const name = nameOfPath(d.path);
        if (name) form.setError(name, { message: d.message });
      }
      if (!named.length) showApiError(e);
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`New ${object.labels.singular.toLowerCase()}`}
      size="lg"
    >
      <form
        onSubmit={(e) => void handleSubmit(e)}
        className="grid gap-3 sm:grid-cols-2"
        noValidate
        data-testid="create-record-form"
      >
        {specs.map((spec, i) => {
          const id = `new-${object.key}-${spec.path.replace(/\W/g, '-')}`;
          const error = form.formState.errors[`f${i}`]?.message;
          const wide = ['long_text', 'json', 'keyed', 'relation', 'multi_select'].includes(
            spec.kind,
          );
          return (
            <div key={spec.path} className={wide ? 'space-y-1 sm:col-span-2' : 'space-y-1'}>
              <label htmlFor={id} className="block text-sm font-medium text-ink">
                {spec.label}
                {spec.required ? <span className="text-danger"> *</span> : null}
              </label>
              <Controller
                control={form.control}
                name={`f${i}`}
                render={({ field }) =>
                  spec.kind === 'boolean' ? (
                    <input
                      id={id}
                      type="checkbox"
                      className="size-4 accent-[var(--accent)]"
                      checked={field.value === true}
                      onChange={(e) => field.onChange(e.target.checked)}
                      data-testid={`new-${spec.path}`}
                    />
                  ) : (
                    <div data-testid={`new-${spec.path}`} aria-invalid={error ? true : undefined}>
                      <FieldEditor
                        spec={spec}
                        inputId={id}
                        draft={field.value}
                        onDraft={field.onChange}
                        onCommit={field.onChange}
                        users={users}
                        autoFocus={i === 0}
                      />
                    </div>
                  )
                }
              />
              {spec.kind === 'tags' ? (
                <p id={`${id}-hint`} className="text-xs text-ink-soft">
                  Separate tags with commas.
                </p>
              ) : null}
              {error ? (
                <p id={`${id}-error`} role="alert" className="text-xs text-danger">
                  {error}
                </p>
              ) : null}
            </div>
          );
        })}
        <div className="flex justify-end gap-2 pt-1 sm:col-span-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={form.formState.isSubmitting} data-testid="create-submit">
            Create
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
