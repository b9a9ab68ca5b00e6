import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useFieldArray, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { paths } from '../../api/schema';
import type { ObjectDescription } from '../../api/types';
import { OBJECT_ICONS } from '../../components/object-icons';
import { Button, Dialog, Field, Input, Select } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { FIELD_TYPES, keyOf } from './custom-field-dialog';

type CreateBody = NonNullable<
  paths['/api/v1/objects']['post']['requestBody']
>['content']['application/json'];
type FieldBody = NonNullable<CreateBody['fields']>[number];

interface FieldRow {
  label: string;
  type: string;
  target: string;
  /** Choices of a select, comma separated. */
  choices: string;
}

interface Values {
  singular: string;
  plural: string;
  key: string;
  icon: string;
  /** The records' name is personal data (a person's name). */
  personalName: boolean;
  fields: FieldRow[];
}

const isFieldType = (v: string): v is FieldBody['type'] => FIELD_TYPES.some(([t]) => t === v);

/** The rows of the form as the API's field definitions; empty rows are left out. */
function fieldsOf(rows: readonly FieldRow[]): FieldBody[] {
  return rows.flatMap((r) => {
    const label = r.label.trim();
    if (!label || !isFieldType(r.type)) return [];
    return [
      {
        key: keyOf(label),
        label,
        type: r.type,
        ...(r.type === 'relation' ? { options: { objectType: r.target } } : {}),
        ...(r.type === 'select' || r.type === 'multi_select'
          ? {
              options: {
                choices: r.choices
                  .split(',')
                  .map((c) => c.trim())
                  .filter(Boolean),
              },
            }
          : {}),
      },
    ];
  });
}

const BLANK_FIELD: FieldRow = { label: '', type: 'text', target: 'company', choices: '' };
const ROW_PROBLEM = /^fields\.(\d+)\./;

/**
 * Defines a custom object: its names, key, icon and first fields (more are added afterwards like
 * any custom field). It then has a list, record pages and a place in the sidebar.
 */
export function CustomObjectDialog({
  objects,
  open,
  onOpenChange,
  onCreated,
}: {
  objects: readonly ObjectDescription[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (object: ObjectDescription) => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    defaultValues: {
      singular: '',
      plural: '',
      key: '',
      icon: 'box',
      personalName: false,
      fields: [{ ...BLANK_FIELD }],
    },
  });
  const rows = useFieldArray({ control: form.control, name: 'fields' });
  const create = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        http.POST('/api/v1/objects', {
          body: {
            key: v.key.trim(),
            labels: { singular: v.singular.trim(), plural: v.plural.trim() },
            icon: v.icon || null,
            personalName: v.personalName,
            fields: fieldsOf(v.fields),
          },
        }),
      ),
    onSuccess: (object) => {
      toast.success(`${object.labels.plural} created`);
      form.reset();
      onOpenChange(false);
      void queryClient.invalidateQueries({ queryKey: keys.objects });
      onCreated(object);
    },
    onError: (e) => {
      // A problem with one of the first fields (`fields.2.options.choices`) shows under its row.
      const rowProblems =
        e instanceof ApiError ? e.details.filter((d) => ROW_PROBLEM.test(d.path)) : [];
      for (const d of rowProblems)
        form.setError(`fields.${Number(ROW_PROBLEM.exec(d.path)?.[1])}.label`, {
          message: d.message,
        });
      if (rowProblems.length === 0)
        showApiError(e, form.setError, ['singular', 'plural', 'key', 'icon'], {
          'labels.singular': 'singular',
          'labels.plural': 'plural',
        });
    },
  });
  const err = form.formState.errors;
  const singular = form.register('singular');
  const watched = form.watch('fields');
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New object" size="lg">
      <form
        noValidate
        className="space-y-3"
        data-testid="custom-object-form"
        onSubmit={(e) => void form.handleSubmit((v) => create.mutate(v))(e)}
      >
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Name (one)" id="co-singular" error={err.singular?.message}>
            <Input
              id="co-singular"
              autoFocus
              placeholder="Project"
              data-testid="co-singular"
              {...singular}
              onChange={(e) => {
                void singular.onChange(e);
                if (!form.getFieldState('key').isDirty) form.setValue('key', keyOf(e.target.value));
                if (!form.getFieldState('plural').isDirty)
                  form.setValue('plural', e.target.value ? `${e.target.value}s` : '');
              }}
            />
          </Field>
          <Field label="Name (several)" id="co-plural" error={err.plural?.message}>
            <Input
              id="co-plural"
              placeholder="Projects"
              data-testid="co-plural"
              {...form.register('plural')}
            />
          </Field>
          <Field
            label="Key"
            id="co-key"
            error={err.key?.message}
            hint="Used in the API; fixed once created"
          >
            <Input id="co-key" data-testid="co-key" {...form.register('key')} />
          </Field>
          <Field label="Icon" id="co-icon" error={err.icon?.message}>
            <Select id="co-icon" {...form.register('icon')}>
              {Object.keys(OBJECT_ICONS).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <label className="flex items-start gap-2 text-sm text-ink">
          <input
            type="checkbox"
            className="mt-0.5"
            data-testid="co-personal-name"
            {...form.register('personalName')}
          />
          <span>
            The name of each record is personal data (a person&apos;s name): exported on a GDPR
            request, and replaced by &ldquo;Erased record&rdquo; when the person asks to be erased
          </span>
        </label>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-ink">
            Fields (a name field comes with every object)
          </legend>
          {rows.fields.map((row, i) => (
            <div key={row.id} className="space-y-1" data-testid="co-field">
              <div className="flex flex-wrap gap-2">
                <Input
                  aria-label={`Label of field ${i + 1}`}
                  className="w-48 flex-1"
                  placeholder="Budget"
                  {...form.register(`fields.${i}.label`)}
                />
                <Select
                  aria-label={`Type of field ${i + 1}`}
                  className="w-40"
                  {...form.register(`fields.${i}.type`)}
                >
                  {FIELD_TYPES.map(([t, words]) => (
                    <option key={t} value={t}>
                      {words}
                    </option>
                  ))}
                </Select>
                {watched[i]?.type === 'relation' ? (
                  <Select
                    aria-label={`Field ${i + 1} points at`}
                    className="w-36"
                    {...form.register(`fields.${i}.target`)}
                  >
                    {objects
                      .filter((o) => o.key !== 'activity')
                      .map((o) => (
                        <option key={o.key} value={o.key}>
                          {o.labels.singular}
                        </option>
                      ))}
                  </Select>
                ) : null}
                {watched[i]?.type === 'select' || watched[i]?.type === 'multi_select' ? (
                  <Input
                    aria-label={`Choices of field ${i + 1}, comma separated`}
                    className="w-48"
                    placeholder="Choices: a, b, c"
                    {...form.register(`fields.${i}.choices`)}
                  />
                ) : null}
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove field ${i + 1}`}
                  onClick={() => rows.remove(i)}
                >
                  ✕
                </Button>
              </div>
              {err.fields?.[i]?.label?.message ? (
                <p role="alert" className="text-xs text-danger">
                  {err.fields[i].label.message}
                </p>
              ) : null}
            </div>
          ))}
          <Button
            variant="ghost"
            size="sm"
            onClick={() => rows.append({ ...BLANK_FIELD })}
            data-testid="co-add-field"
          >
            + Add a field
          </Button>
        </fieldset>
        <div className="flex justify-end gap-2 pt-1">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending} data-testid="co-save">
            Create object
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
