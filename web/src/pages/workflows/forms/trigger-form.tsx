import { useMemo, useState } from 'react';
import { useController } from 'react-hook-form';
import type { FieldProblem } from '../../../api/client';
import { Field, Select } from '../../../components/ui';
import {
  TRIGGER_LABELS,
  TRIGGER_TYPES,
  type ConditionTree,
  type Trigger,
  type WorkflowObject,
} from '../definition-types';
import { ConditionEditor } from './condition-editor';
import { fieldsOf, objectNounOf, objectOptions, type FieldCatalogs } from './field-catalog';
import { triggerFieldOf } from './problem-paths';
import { ScheduleFields } from './schedule-fields';
import {
  DateRelativeFields,
  DealStageFields,
  FormPicker,
  RecordUpdatedFields,
  TriggerExplanation,
  type TriggerFieldsProps,
} from './trigger-sections';
import {
  definitionOfTriggerForm,
  triggerFormSchema,
  triggerObjectOf,
  triggerToForm,
  TYPES_WITH_OBJECT,
  type TriggerFormValues,
} from './trigger-model';
import { isDirtyAt, messageAt } from './form-messages';
import { useLiveForm } from './use-live-form';

/** The settings of the chosen trigger type. */
function TypeFields({ kit, values }: { kit: TriggerFieldsProps; values: TriggerFormValues }) {
  switch (values.type) {
    case 'record_updated':
      return <RecordUpdatedFields kit={kit} />;
    case 'deal_stage_changed':
      return <DealStageFields kit={kit} />;
    case 'schedule':
      return <ScheduleFields kit={kit} />;
    case 'date_relative':
      return <DateRelativeFields kit={kit} />;
    case 'form_submitted':
      return <FormPicker kit={kit} />;
    case 'inbound_webhook':
    case 'manual':
      return (
        <TriggerExplanation type={values.type} object={objectNounOf(kit.catalogs, values.object)} />
      );
    default:
      return null;
  }
}

/** The entry conditions on the trigger record, or why a trigger without one has none. */
function EntryConditions({
  kit,
  object,
}: {
  kit: TriggerFieldsProps;
  object: WorkflowObject | null;
}) {
  const { field } = useController({ control: kit.form.control, name: 'conditions' });
  if (!object && field.value.rules.length === 0) {
    return (
      <p className="text-xs text-ink-soft">
        Schedules and webhooks start without a record, so there is nothing for entry conditions to
        check.
      </p>
    );
  }
  return (
    <ConditionEditor
      id={`${kit.idPrefix}-cond`}
      value={field.value}
      onChange={field.onChange}
      fields={fieldsOf(kit.catalogs, object)}
      testId="entry-conditions"
      errorAt={(path) =>
        path
          ? messageAt(kit.form.formState.errors, `conditions.${path}`)
          : kit.errorOf('conditions')
      }
      emptyText="No conditions: every record that fires the trigger runs the workflow."
    />
  );
}

/**
 * The trigger's form: its type, the record type where it has one, the type's own settings, and the
 * entry conditions. Each change goes to the draft at once; problems show next to their field.
 */
export function TriggerForm({
  trigger,
  conditions,
  catalogs,
  problems,
  onChange,
  onFormErrors,
}: {
  trigger: Trigger;
  conditions: ConditionTree | null;
  catalogs: FieldCatalogs;
  problems: readonly FieldProblem[];
  onChange: (next: { trigger: Trigger; conditions: ConditionTree | null }) => void;
  /** The form's own current problems, paths as the form names them (`cron`). */
  onFormErrors: (errors: Array<{ path: string; message: string }>) => void;
}) {
  const [initial] = useState(() => triggerToForm(trigger, conditions));
  const form = useLiveForm(
    triggerFormSchema,
    initial,
    {
      onValues: (values) => onChange(definitionOfTriggerForm(values, catalogs)),
      onErrors: onFormErrors,
    },
    problems.length > 0,
  );
  const { errors, dirtyFields } = form.formState;
  const serverErrors = useMemo(() => {
    const out = new Map<string, string>();
    for (const p of problems) {
      const name = triggerFieldOf(p.path);
      if (name && !out.has(name)) out.set(name, p.message);
    }
    return out;
  }, [problems]);
  const errorOf = (name: string): string | undefined =>
    messageAt(errors, name) ?? (isDirtyAt(dirtyFields, name) ? undefined : serverErrors.get(name));
  const kit: TriggerFieldsProps = { form, errorOf, catalogs, idPrefix: 'trigger' };
  const values = form.watch();
  const object = triggerObjectOf(definitionOfTriggerForm(values, catalogs).trigger);
  // A field list or value of another record type means nothing for this one.
  const resetFields = () => {
    form.setValue('fields', []);
    form.setValue('toValue', '');
  };
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={(e) => e.preventDefault()}
      data-testid="trigger-form"
    >
      <Field label="Starts when" id="trigger-type">
        <Select id="trigger-type" data-testid="trigger-type" {...form.register('type')}>
          {TRIGGER_TYPES.map((t) => (
            <option key={t} value={t}>
              {TRIGGER_LABELS[t]}
            </option>
          ))}
        </Select>
      </Field>
      {TYPES_WITH_OBJECT.has(values.type) ? (
        <Field label="Record type" id="trigger-object">
          <Select
            id="trigger-object"
            data-testid="trigger-object"
            {...form.register('object', { onChange: resetFields })}
          >
            {objectOptions(catalogs, values.object).map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      <TypeFields kit={kit} values={values} />
      <div
        role="group"
        aria-labelledby="trigger-conditions-title"
        className="space-y-2 border-t border-line pt-3"
      >
        <h3 id="trigger-conditions-title" className="text-sm font-medium text-ink">
          Entry conditions
        </h3>
        <EntryConditions kit={kit} object={object} />
      </div>
    </form>
  );
}
