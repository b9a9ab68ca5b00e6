import { useQuery } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useFieldArray, type UseFormReturn } from 'react-hook-form';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { Button, Input, Select } from '../../components/ui';
import { CONDITION_FIELDS, type RuleFormValues } from './rule-model';

/** Built-in condition fields, then the leads' active custom fields. */
function useConditionFields(): Array<{ key: string; label: string }> {
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
    ...CONDITION_FIELDS,
    ...(custom.data?.data ?? [])
      .filter((d) => !d.archived)
      .map((d) => ({ key: `custom.${d.key}`, label: d.label })),
  ];
}

/** The tests a new lead must pass for the rule to take it, all of them (AND). */
export function RuleConditions({ form }: { form: UseFormReturn<RuleFormValues> }) {
  const fieldsOnOffer = useConditionFields();
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'conditions' });
  const errors = form.formState.errors.conditions;
  return (
    <fieldset className="space-y-2" data-testid="rule-conditions">
      <legend className="text-sm font-medium text-ink">When a new lead matches all of</legend>
      {fields.length === 0 ? (
        <p className="text-xs text-ink-soft">No conditions: the rule takes every new lead.</p>
      ) : null}
      {fields.map((row, i) => {
        const e = errors?.[i];
        const n = i + 1;
        const isList = form.watch(`conditions.${i}.op`) === 'in';
        return (
          <div key={row.id} className="flex items-start gap-2" data-testid="rule-condition">
            <Select
              className="w-36 shrink-0"
              aria-label={`Field of condition ${n}`}
              data-testid="rule-condition-field"
              {...form.register(`conditions.${i}.field`)}
            >
              {fieldsOnOffer.map((f) => (
                <option key={f.key} value={f.key}>
                  {f.label}
                </option>
              ))}
            </Select>
            <Select
              className="w-28 shrink-0"
              aria-label={`Test of condition ${n}`}
              data-testid="rule-condition-op"
              {...form.register(`conditions.${i}.op`)}
            >
              <option value="equals">is</option>
              <option value="in">is one of</option>
            </Select>
            <div className="min-w-0 flex-1">
              <Input
                aria-label={`Value of condition ${n}`}
                data-testid="rule-condition-value"
                placeholder={isList ? 'DE, AT, CH' : 'web form'}
                aria-invalid={e?.value ? true : undefined}
                aria-describedby={e?.value ? `condition-${i}-error` : undefined}
                {...form.register(`conditions.${i}.value`)}
              />
              {e?.value?.message || e?.field?.message ? (
                <p id={`condition-${i}-error`} role="alert" className="text-xs text-danger">
                  {e.value?.message ?? e.field?.message}
                </p>
              ) : null}
            </div>
            <Button
              size="sm"
              variant="ghost"
              className="h-9"
              aria-label={`Remove condition ${n}`}
              onClick={() => remove(i)}
            >
              <X aria-hidden className="size-4" />
            </Button>
          </div>
        );
      })}
      {errors?.message ? (
        <p role="alert" className="text-xs text-danger">
          {errors.message}
        </p>
      ) : null}
      <Button
        size="sm"
        variant="secondary"
        data-testid="rule-condition-add"
        disabled={fields.length >= 20}
        onClick={() => append({ field: 'source', op: 'equals', value: '' })}
      >
        Add a condition
      </Button>
      <p className="text-xs text-ink-soft">
        Values match exactly, ignoring case. Separate the values of “is one of” with commas.
      </p>
    </fieldset>
  );
}
