import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { paths } from '../../api/schema';
import type { CustomField, ObjectDescription } from '../../api/types';
import { Button, Dialog, Field, Input, Select, Textarea } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { choicesOf } from '../field-values';

type CreateBody = NonNullable<
  paths['/api/v1/custom-fields']['post']['requestBody']
>['content']['application/json'];
type FieldType = CreateBody['type'];

/** A custom field definition. */
export type Definition = CustomField;

/** Whether an object's fields are defined by admins at `/custom-fields` (custom objects' all are). */
export const hasCustomFields = (object: ObjectDescription): boolean =>
  object.capabilities.customFields || object.custom;

/** The field types an admin chooses from, in words. */
export const FIELD_TYPES: ReadonlyArray<readonly [FieldType, string]> = [
  ['text', 'Text'],
  ['long_text', 'Long text'],
  ['number', 'Number'],
  ['currency', 'Money'],
  ['date', 'Date'],
  ['datetime', 'Date and time'],
  ['boolean', 'Yes / no'],
  ['select', 'Choice'],
  ['multi_select', 'Several choices'],
  ['url', 'Link'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['relation', 'Related record'],
];
const isFieldType = (v: string): v is FieldType => FIELD_TYPES.some(([t]) => t === v);

interface Values {
  label: string;
  key: string;
  type: string;
  choices: string;
  currency: string;
  target: string;
  multiple: boolean;
  required: boolean;
  personal: boolean;
}

const FIELDS = [
  'label',
  'key',
  'type',
  'choices',
  'currency',
  'target',
  'multiple',
  'required',
  'personal',
] as const;
const PATHS: Record<string, (typeof FIELDS)[number]> = {
  'options.choices': 'choices',
  'options.currency': 'currency',
  'options.objectType': 'target',
  'options.multiple': 'multiple',
};

/** A label as a field key: `Renewal date` → `renewalDate`. */
export function keyOf(label: string): string {
  const words = label
    .normalize('NFKD')
    .replace(/[^\w\s]/g, '')
    .trim()
    .split(/[\s_]+/)
    .filter(Boolean);
  const key = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : `${w[0]?.toUpperCase() ?? ''}${w.slice(1)}`))
    .join('');
  return /^[a-z]/.test(key) ? key : `field${key}`;
}

function optionsOf(v: Values): CreateBody['options'] {
  if (v.type === 'select' || v.type === 'multi_select')
    return {
      choices: v.choices
        .split('\n')
        .map((c) => c.trim())
        .filter(Boolean),
    };
  if (v.type === 'currency') return { currency: v.currency.trim().toUpperCase() || 'USD' };
  if (v.type === 'relation')
    return { objectType: v.target, ...(v.multiple ? { multiple: true } : {}) };
  return undefined;
}

function defaultsOf(definition: Definition | null): Values {
  const options = (definition?.options ?? {}) as {
    currency?: unknown;
    objectType?: unknown;
    multiple?: unknown;
  };
  return {
    label: definition?.label ?? '',
    key: definition?.key ?? '',
    type: definition?.type ?? 'text',
    choices: definition ? choicesOf(definition).join('\n') : '',
    currency: typeof options.currency === 'string' ? options.currency : 'USD',
    target: typeof options.objectType === 'string' ? options.objectType : 'company',
    multiple: options.multiple === true,
    required: definition?.required ?? false,
    personal: definition?.personal ?? false,
  };
}

/**
 * Adds a custom field to an object, or edits one: its label, choices and whether it is required.
 * The key and type are fixed once a field exists (records hold values under the key).
 */
export function CustomFieldDialog({
  object,
  objects,
  definition,
  position,
  open,
  onOpenChange,
}: {
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
  /** The field to edit; null adds one. */
  definition: Definition | null;
  /** Where a new field goes: after the others. */
  position: number;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ defaultValues: defaultsOf(definition) });
  useEffect(() => {
    if (open) form.reset(defaultsOf(definition));
  }, [open, definition, form]);
  const type = form.watch('type');
  // Only an admin's object erases by its field flags; built-in objects declare theirs in code.
  const marksPersonal = object.custom;
  const save = useMutation({
    mutationFn: (v: Values) => {
      const options = optionsOf(v);
      const personal = marksPersonal ? { personal: v.personal } : {};
      if (definition)
        return unwrap(
          http.PATCH('/api/v1/custom-fields/{id}', {
            params: { path: { id: definition.id } },
            body: {
              label: v.label.trim(),
              required: v.required,
              ...personal,
              ...(options ? { options } : {}),
            },
          }),
        );
      if (!isFieldType(v.type)) throw new Error('Choose a type');
      return unwrap(
        http.POST('/api/v1/custom-fields', {
          body: {
            objectType: object.key,
            key: v.key.trim(),
            label: v.label.trim(),
            type: v.type,
            required: v.required,
            ...personal,
            position,
            ...(options ? { options } : {}),
          },
        }),
      );
    },
    onSuccess: () => {
      toast.success(definition ? 'Field saved' : 'Field added');
      onOpenChange(false);
      void queryClient.invalidateQueries({ queryKey: keys.customFields(object.key) });
      void queryClient.invalidateQueries({ queryKey: keys.objects });
    },
    onError: (e) => showApiError(e, form.setError, FIELDS, PATHS),
  });
  const err = form.formState.errors;
  const label = form.register('label');
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={
        definition
          ? `Edit ${definition.label}`
          : `New field on ${object.labels.plural.toLowerCase()}`
      }
    >
      <form
        noValidate
        className="space-y-3"
        data-testid="custom-field-form"
        onSubmit={(e) => void form.handleSubmit((v) => save.mutate(v))(e)}
      >
        <Field label="Label" id="cf-label" error={err.label?.message}>
          <Input
            id="cf-label"
            autoFocus
            data-testid="cf-label"
            {...label}
            onChange={(e) => {
              void label.onChange(e);
              if (!definition && !form.getFieldState('key').isDirty)
                form.setValue('key', keyOf(e.target.value));
            }}
          />
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field
            label="Key"
            id="cf-key"
            error={err.key?.message}
            hint="Used in the API and imports"
          >
            <Input
              id="cf-key"
              data-testid="cf-key"
              disabled={definition !== null}
              {...form.register('key')}
            />
          </Field>
          <Field label="Type" id="cf-type" error={err.type?.message}>
            <Select
              id="cf-type"
              data-testid="cf-type"
              disabled={definition !== null}
              {...form.register('type')}
            >
              {FIELD_TYPES.map(([t, words]) => (
                <option key={t} value={t}>
                  {words}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        {type === 'select' || type === 'multi_select' ? (
          <Field label="Choices, one per line" id="cf-choices" error={err.choices?.message}>
            <Textarea
              id="cf-choices"
              rows={4}
              data-testid="cf-choices"
              {...form.register('choices')}
            />
          </Field>
        ) : null}
        {type === 'currency' ? (
          <Field
            label="Currency"
            id="cf-currency"
            error={err.currency?.message}
            hint="ISO code, e.g. EUR"
          >
            <Input id="cf-currency" className="w-28" maxLength={3} {...form.register('currency')} />
          </Field>
        ) : null}
        {type === 'relation' ? (
          <>
            <Field label="Points at" id="cf-target" error={err.target?.message}>
              <Select
                id="cf-target"
                data-testid="cf-target"
                disabled={definition !== null}
                {...form.register('target')}
              >
                {objects
                  .filter((o) => o.key !== 'activity')
                  .map((o) => (
                    <option key={o.key} value={o.key}>
                      {o.labels.singular}
                    </option>
                  ))}
              </Select>
            </Field>
            <label className="flex items-center gap-2 text-sm text-ink">
              <input
                type="checkbox"
                disabled={definition !== null}
                {...form.register('multiple')}
              />
              Several records (many-to-many)
            </label>
          </>
        ) : null}
        <label className="flex items-center gap-2 text-sm text-ink">
          <input type="checkbox" data-testid="cf-required" {...form.register('required')} />
          Required: a record cannot be saved without it
        </label>
        {marksPersonal ? (
          <label className="flex items-center gap-2 text-sm text-ink">
            <input type="checkbox" data-testid="cf-personal" {...form.register('personal')} />
            Personal data: exported and erased on a person&apos;s GDPR request
          </label>
        ) : null}
        <div className="flex justify-end gap-2 pt-1">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={save.isPending} data-testid="cf-save">
            {definition ? 'Save' : 'Add field'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
