import { useQuery } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, X } from 'lucide-react';
import { useFieldArray, type UseFormReturn } from 'react-hook-form';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { Button, Input, Select } from '../../components/ui';
import { htmlNameFor, LEAD_FIELDS, type FormEditorValues } from './form-model';

/** The lead fields on offer: the built-in ones, then the leads' active custom fields. */
function useLeadFieldOptions(): Array<{ key: string; label: string }> {
  const custom = useQuery({
    queryKey: keys.customFields('lead'),
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/custom-fields', {
          params: { query: { objectType: 'lead', limit: 200 } },
        }),
      ),
  });
  return [
    ...LEAD_FIELDS,
    ...(custom.data?.data ?? [])
      .filter((d) => !d.archived && d.type !== 'relation')
      .map((d) => ({ key: `custom.${d.key}`, label: d.label })),
  ];
}

const cellError = (message: string | undefined, id: string) =>
  message ? (
    <p id={id} role="alert" className="mt-0.5 text-xs text-danger">
      {message}
    </p>
  ) : null;

/**
 * The questions a form asks, in the order visitors see them: a label, the lead field the answer
 * fills, the posted (HTML) name and whether it is required. Arrows reorder.
 */
export function FormFieldsEditor({ form }: { form: UseFormReturn<FormEditorValues> }) {
  const options = useLeadFieldOptions();
  const { fields, append, remove, move } = useFieldArray({ control: form.control, name: 'fields' });
  const errors = form.formState.errors.fields;
  const labelOf = (key: string) => options.find((o) => o.key === key)?.label ?? key;
  const handleLeadFieldChange = (i: number, next: string) => {
    const row = form.getValues(`fields.${i}`);
    // A name or label still at its default follows the new lead field; one the admin typed stays.
    if (row.name === htmlNameFor(row.leadField))
      form.setValue(`fields.${i}.name`, htmlNameFor(next));
    if (row.label.trim() === '' || row.label === labelOf(row.leadField))
      form.setValue(`fields.${i}.label`, labelOf(next));
    form.setValue(`fields.${i}.leadField`, next, { shouldValidate: form.formState.isSubmitted });
  };
  const handleAdd = () => {
    const used = new Set(form.getValues('fields').map((f) => f.leadField));
    const next = options.find((o) => !used.has(o.key)) ?? options[0];
    if (next)
      append({
        label: next.label,
        leadField: next.key,
        name: htmlNameFor(next.key),
        required: false,
      });
  };
  const rowError = (i: number) => errors?.[i];
  return (
    <fieldset className="space-y-2" data-testid="form-fields">
      <legend className="mb-2 text-sm font-medium text-ink">Fields visitors fill in</legend>
      <div className="hidden grid-cols-[1fr_10rem_8rem_5rem_6.5rem] gap-2 text-xs font-medium uppercase tracking-wide text-ink-soft md:grid">
        <span>Label</span>
        <span>Fills lead field</span>
        <span>Posted name</span>
        <span>Required</span>
        <span className="sr-only">Order</span>
      </div>
      {fields.map((row, i) => {
        const e = rowError(i);
        const n = i + 1;
        return (
          <div
            key={row.id}
            data-testid="form-field-row"
            className="grid grid-cols-2 items-start gap-2 rounded-md border border-line p-2 md:grid-cols-[1fr_10rem_8rem_5rem_6.5rem] md:border-0 md:p-0"
          >
            <div className="col-span-2 md:col-span-1">
              <Input
                aria-label={`Label of field ${n}`}
                data-testid="form-field-label"
                aria-invalid={e?.label ? true : undefined}
                aria-describedby={e?.label ? `field-${i}-label-error` : undefined}
                {...form.register(`fields.${i}.label`)}
              />
              {cellError(e?.label?.message, `field-${i}-label-error`)}
            </div>
            <div>
              <Select
                aria-label={`Lead field of field ${n}`}
                data-testid="form-field-lead-field"
                aria-invalid={e?.leadField ? true : undefined}
                value={form.watch(`fields.${i}.leadField`)}
                onChange={(ev) => handleLeadFieldChange(i, ev.target.value)}
              >
                {options.map((o) => (
                  <option key={o.key} value={o.key}>
                    {o.label}
                  </option>
                ))}
              </Select>
              {cellError(e?.leadField?.message, `field-${i}-lead-error`)}
            </div>
            <div>
              <Input
                aria-label={`Posted name of field ${n}`}
                className="font-mono text-xs"
                aria-invalid={e?.name ? true : undefined}
                aria-describedby={e?.name ? `field-${i}-name-error` : undefined}
                {...form.register(`fields.${i}.name`)}
              />
              {cellError(e?.name?.message, `field-${i}-name-error`)}
            </div>
            <label className="flex h-9 items-center gap-2 text-sm text-ink">
              <input
                type="checkbox"
                className="size-4 accent-[var(--accent)]"
                data-testid="form-field-required"
                {...form.register(`fields.${i}.required`)}
              />
              <span className="md:sr-only">Required</span>
              <span className="sr-only">{`, field ${n}`}</span>
            </label>
            <div className="flex h-9 items-center justify-end gap-0.5">
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Move field ${n} up`}
                disabled={i === 0}
                onClick={() => move(i, i - 1)}
              >
                <ArrowUp aria-hidden className="size-4" />
              </Button>
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Move field ${n} down`}
                disabled={i === fields.length - 1}
                onClick={() => move(i, i + 1)}
              >
                <ArrowDown aria-hidden className="size-4" />
              </Button>
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove field ${n}`}
                onClick={() => remove(i)}
              >
                <X aria-hidden className="size-4" />
              </Button>
            </div>
          </div>
        );
      })}
      {errors?.message || errors?.root?.message ? (
        <p role="alert" className="text-xs text-danger" data-testid="form-fields-error">
          {errors.message ?? errors.root?.message}
        </p>
      ) : null}
      <Button
        size="sm"
        variant="secondary"
        data-testid="form-field-add"
        disabled={fields.length >= 50}
        onClick={handleAdd}
      >
        Add a field
      </Button>
    </fieldset>
  );
}
