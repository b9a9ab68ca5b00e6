import { useController } from 'react-hook-form';
import { Field, Input, Select } from '../../../components/ui';
import { ConditionEditor } from './condition-editor';
import { fieldsOf } from './field-catalog';
import { messageAt } from './form-messages';
import { TeamPicker, UserPicker } from './people-pickers';
import { TemplateField, TextField, type StepFieldsProps } from './step-field-kit';

/** assign_owner: a user, or round robin within a team. */
export function AssignOwnerFields({ kit }: { kit: StepFieldsProps }) {
  const strategy = kit.form.watch('strategy');
  const userId = useController({ control: kit.form.control, name: 'userId' }).field;
  const teamId = useController({ control: kit.form.control, name: 'teamId' }).field;
  const id = `${kit.idPrefix}-strategy`;
  return (
    <>
      <Field label="Give the record to" id={id}>
        <Select id={id} data-testid="step-strategy" {...kit.form.register('strategy')}>
          <option value="user">A chosen user</option>
          <option value="round_robin">The next member of a team (round robin)</option>
        </Select>
      </Field>
      {strategy === 'user' ? (
        <UserPicker
          id={`${kit.idPrefix}-userId`}
          label="New owner"
          withOwner={false}
          value={userId.value === 'owner' ? '' : userId.value}
          onChange={userId.onChange}
          error={kit.errorOf('userId')}
          testId="step-owner"
        />
      ) : (
        <TeamPicker
          id={`${kit.idPrefix}-teamId`}
          label="Team"
          value={teamId.value}
          onChange={teamId.onChange}
          error={kit.errorOf('teamId')}
          testId="step-team"
        />
      )}
    </>
  );
}

/** add_tag / remove_tag: the tag. */
export function TagFields({ kit, remove }: { kit: StepFieldsProps; remove: boolean }) {
  return (
    <TextField
      kit={kit}
      name="tag"
      label={remove ? 'Tag to remove' : 'Tag to add'}
      placeholder="vip"
      testId="step-tag"
      hint="Up to 60 characters; nothing changes when the record already has it (or lacks it)."
    />
  );
}

/** wait: a duration, or until a date (a placeholder such as the deal's close date). */
export function WaitFields({ kit }: { kit: StepFieldsProps }) {
  const mode = kit.form.watch('waitMode');
  const amountId = `${kit.idPrefix}-amount`;
  const amountError = kit.errorOf('amount');
  return (
    <>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-ink">Wait</legend>
        <div className="flex gap-3 text-sm text-ink">
          <label className="flex items-center gap-1.5">
            <input
              type="radio"
              value="duration"
              data-testid="step-wait-duration"
              {...kit.form.register('waitMode')}
            />
            For a time
          </label>
          <label className="flex items-center gap-1.5">
            <input
              type="radio"
              value="until"
              data-testid="step-wait-until"
              {...kit.form.register('waitMode')}
            />
            Until a date
          </label>
        </div>
      </fieldset>
      {mode === 'duration' ? (
        <Field label="How long" id={amountId} error={amountError}>
          <div className="flex gap-2">
            <Input
              id={amountId}
              className="w-24"
              inputMode="numeric"
              data-testid="step-amount"
              aria-invalid={amountError ? true : undefined}
              aria-describedby={amountError ? `${amountId}-error` : undefined}
              {...kit.form.register('amount')}
            />
            <Select
              aria-label="Unit"
              className="flex-1"
              data-testid="step-unit"
              {...kit.form.register('unit')}
            >
              <option value="minutes">minutes</option>
              <option value="hours">hours</option>
              <option value="days">days</option>
            </Select>
          </div>
        </Field>
      ) : (
        <TemplateField
          kit={kit}
          name="until"
          label="Until"
          testId="step-until"
          placeholder="{{deal.expectedCloseDate}} or 2025-12-31"
          hint="A date or date-time; a date in the past does not wait."
        />
      )}
    </>
  );
}

/** branch: the condition; "then" and "else" are drawn on the canvas. */
export function BranchFields({ kit }: { kit: StepFieldsProps }) {
  const { field } = useController({ control: kit.form.control, name: 'condition' });
  const object = kit.ctx.triggerObject;
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-ink">Take &ldquo;then&rdquo; when</legend>
      <ConditionEditor
        id={`${kit.idPrefix}-cond`}
        value={field.value}
        onChange={field.onChange}
        fields={fieldsOf(kit.ctx.catalogs, object)}
        testId="branch-conditions"
        errorAt={(path) =>
          path
            ? messageAt(kit.form.formState.errors, `condition.${path}`)
            : kit.errorOf('condition')
        }
        emptyText="A branch needs at least one rule."
      />
      <p className="text-xs text-ink-soft">
        Draw links from this step on the canvas: the first is &ldquo;then&rdquo;, the second
        &ldquo;else&rdquo;.
      </p>
    </fieldset>
  );
}
