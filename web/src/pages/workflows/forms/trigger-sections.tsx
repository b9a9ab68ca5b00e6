import { useQuery } from '@tanstack/react-query';
import { useController, type UseFormReturn } from 'react-hook-form';
import { http, unwrap } from '../../../api/http';
import { keys } from '../../../api/keys';
import { pipelinesQuery } from '../../../api/queries';
import { Field, Input, Select } from '../../../components/ui';
import type { WorkflowObject } from '../definition-types';
import { fieldsOf, type FieldCatalogs } from './field-catalog';
import { FieldChecklist } from './field-checklist';
import type { TriggerFormValues } from './trigger-model';

/** What each trigger type's fields get from the trigger form. */
export interface TriggerFieldsProps {
  form: UseFormReturn<TriggerFormValues>;
  errorOf: (name: string) => string | undefined;
  catalogs: FieldCatalogs;
  idPrefix: string;
}

/** record_updated: which fields, and optionally the value the (single) field changed to. */
export function RecordUpdatedFields({ kit }: { kit: TriggerFieldsProps }) {
  const object = kit.form.watch('object');
  const fields = useController({ control: kit.form.control, name: 'fields' }).field;
  const toValueError = kit.errorOf('toValue');
  const id = `${kit.idPrefix}-toValue`;
  const only =
    fields.value.length === 1
      ? fieldsOf(kit.catalogs, object).find((f) => f.key === fields.value[0])
      : undefined;
  return (
    <>
      <FieldChecklist
        id={`${kit.idPrefix}-fields`}
        label="Only when one of these changed"
        value={fields.value}
        onChange={fields.onChange}
        fields={fieldsOf(kit.catalogs, object)}
        error={kit.errorOf('fields')}
        hint={
          fields.value.length
            ? 'Runs when any of the ticked fields changes.'
            : 'Nothing ticked: any change runs it.'
        }
        testId="trigger-fields"
      />
      <Field
        label={`Changed to (optional)${only ? `: ${only.label}` : ''}`}
        id={id}
        error={toValueError}
        hint={
          fields.value.length === 1
            ? 'Runs only when the field changed to exactly this value; empty: any change.'
            : 'Tick exactly one field to use this.'
        }
      >
        <Input
          id={id}
          data-testid="trigger-to-value"
          className="disabled:cursor-not-allowed disabled:bg-muted"
          disabled={fields.value.length !== 1 && !kit.form.getValues('toValue')}
          placeholder={only?.choices?.join(', ') ?? ''}
          aria-invalid={toValueError ? true : undefined}
          aria-describedby={toValueError ? `${id}-error` : undefined}
          {...kit.form.register('toValue')}
        />
      </Field>
    </>
  );
}

/** deal_stage_changed: any pipeline, or one; any stage of it, or one. */
export function DealStageFields({ kit }: { kit: TriggerFieldsProps }) {
  const pipelines = useQuery(pipelinesQuery);
  const pipelineId = kit.form.watch('pipelineId');
  const stages = pipelines.data?.data.find((p) => p.id === pipelineId)?.stages ?? [];
  const id = kit.idPrefix;
  return (
    <>
      <Field
        label="Pipeline"
        id={`${id}-pipeline`}
        error={kit.errorOf('pipelineId')}
        {...(pipelines.isError ? { hint: 'Pipelines could not be listed for your role.' } : {})}
      >
        <Select
          id={`${id}-pipeline`}
          data-testid="trigger-pipeline"
          {...kit.form.register('pipelineId', {
            onChange: () => kit.form.setValue('toStageId', ''),
          })}
        >
          <option value="">Any pipeline</option>
          {(pipelines.data?.data ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
              {p.isDefault ? ' (default)' : ''}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label="Moved to stage"
        id={`${id}-stage`}
        error={kit.errorOf('toStageId')}
        hint={
          pipelineId
            ? 'Any stage, or the one the deal moved into.'
            : 'Choose a pipeline to pick one of its stages.'
        }
      >
        <Select
          id={`${id}-stage`}
          data-testid="trigger-stage"
          disabled={!pipelineId}
          {...kit.form.register('toStageId')}
        >
          <option value="">Any stage</option>
          {stages.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.kind === 'open' ? '' : ` (${s.kind})`}
            </option>
          ))}
        </Select>
      </Field>
    </>
  );
}

/** date_relative: which date, how many days, before or after. */
export function DateRelativeFields({ kit }: { kit: TriggerFieldsProps }) {
  const id = kit.idPrefix;
  const error = kit.errorOf('offsetDays');
  return (
    <>
      <Field label="Date" id={`${id}-date`}>
        <Select id={`${id}-date`} data-testid="trigger-date" {...kit.form.register('dateTarget')}>
          <option value="deal.expectedCloseDate">A deal&apos;s expected close date</option>
          <option value="activity.dueAt">A task&apos;s due date</option>
        </Select>
      </Field>
      <Field
        label="When"
        id={`${id}-offset`}
        error={error}
        hint="0 days is the date itself; a close date counts from 00:00 UTC, a due date from its time."
      >
        <div className="flex items-center gap-2">
          <Input
            id={`${id}-offset`}
            className="w-20"
            inputMode="numeric"
            data-testid="trigger-offset"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-offset-error` : undefined}
            {...kit.form.register('offsetDays')}
          />
          <span className="text-sm text-ink-soft">days</span>
          <Select
            aria-label="Before or after"
            className="flex-1"
            data-testid="trigger-direction"
            {...kit.form.register('offsetDirection')}
          >
            <option value="before">before the date</option>
            <option value="after">after the date</option>
          </Select>
        </div>
      </Field>
    </>
  );
}

/** form_submitted: any web form, or one. */
export function FormPicker({ kit }: { kit: TriggerFieldsProps }) {
  const forms = useQuery({
    // The same entry as Settings → Forms: a form made there shows here.
    queryKey: keys.webForms.list,
    queryFn: () => unwrap(http.GET('/api/v1/forms', { params: { query: { limit: 200 } } })),
    retry: false,
  });
  const list = forms.data?.data ?? [];
  const id = `${kit.idPrefix}-form`;
  const hint = forms.isError
    ? 'Web forms could not be listed for your role.'
    : !forms.isPending && list.length === 0
      ? 'No web forms yet; any form submitted later counts.'
      : 'Runs on the lead the submission creates.';
  return (
    <Field label="Web form" id={id} error={kit.errorOf('formId')} hint={hint}>
      <Select id={id} data-testid="trigger-form-id" {...kit.form.register('formId')}>
        <option value="">Any web form</option>
        {list.map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
            {f.active ? '' : ' (inactive)'}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/** What inbound-webhook and manual triggers do, since they have nothing else to set. */
export function TriggerExplanation({
  type,
  object,
}: {
  type: 'inbound_webhook' | 'manual';
  /** The record type as a sentence names it: `project`. */
  object: WorkflowObject;
}) {
  return (
    <p className="rounded-md bg-muted p-3 text-sm text-ink-soft" data-testid="trigger-explanation">
      {type === 'inbound_webhook'
        ? "Save the draft to see the workflow's secret URL above the canvas. Once it is published and enabled, each POST to that URL starts a run; the posted JSON reads as {{webhook.body.yourField}}."
        : `Publish and enable it, then start it from the “Run workflow” menu on a ${object}'s page.`}
    </p>
  );
}
