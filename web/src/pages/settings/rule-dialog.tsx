import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { http, ifMatch, unwrap } from '../../api/http';
import { FormRow } from '../../components/form-row';
import { Button, Dialog, Input, Select } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { OptionPicker } from './option-picker';
import { RuleConditions } from './rule-conditions';
import {
  ruleBodyOf,
  ruleFormSchema,
  rulePaths,
  RULES_KEY,
  ruleValuesOf,
  STRATEGIES,
  type AssignmentRule,
  type RuleFormValues,
} from './rule-model';
import { usePeopleOptions } from './use-people-options';

/** Creates a rule (it runs last) or edits `rule`. */
export function RuleDialog({
  open,
  onOpenChange,
  rule,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  rule: AssignmentRule | null;
}) {
  const queryClient = useQueryClient();
  const people = usePeopleOptions();
  const form = useForm<RuleFormValues>({
    resolver: zodResolver(ruleFormSchema),
    defaultValues: ruleValuesOf(rule),
  });
  const { errors, isSubmitting } = form.formState;
  useEffect(() => {
    if (open) form.reset(ruleValuesOf(rule));
  }, [open]);
  const strategy = form.watch('strategy');

  const onSubmit = form.handleSubmit(async (values) => {
    const body = ruleBodyOf(values);
    try {
      if (rule)
        await unwrap(
          http.PATCH('/api/v1/lead-assignment-rules/{id}', {
            params: { path: { id: rule.id } },
            headers: ifMatch(rule.version),
            body,
          }),
        );
      else await unwrap(http.POST('/api/v1/lead-assignment-rules', { body }));
      toast.success(rule ? 'Rule saved' : 'Rule added: it runs after the others');
      onOpenChange(false);
      await queryClient.invalidateQueries({ queryKey: RULES_KEY });
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        toast.error('Someone else changed this rule meanwhile. Reopen it to see their version.');
        onOpenChange(false);
        await queryClient.invalidateQueries({ queryKey: RULES_KEY });
        return;
      }
      showApiError(e, form.setError, rulePaths(values.conditions.length));
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      size="lg"
      title={rule ? `Edit ${rule.name}` : 'New assignment rule'}
      description="The first active rule whose conditions a new lead matches decides its owner."
    >
      <form
        className="space-y-4"
        noValidate
        data-testid="rule-form"
        onSubmit={(e) => void onSubmit(e)}
      >
        <FormRow label="Name" id="rule-name" error={errors.name?.message}>
          {(control) => (
            <Input
              {...control}
              data-testid="rule-name"
              autoFocus
              placeholder="e.g. DACH leads to Berlin team"
              {...form.register('name')}
            />
          )}
        </FormRow>
        <RuleConditions form={form} />
        <div className="grid gap-4 md:grid-cols-2">
          <FormRow
            label="Assign to"
            id="rule-strategy"
            error={errors.strategy?.message}
            hint={STRATEGIES.find((s) => s.key === strategy)?.hint}
          >
            {(control) => (
              <Select {...control} data-testid="rule-strategy" {...form.register('strategy')}>
                {STRATEGIES.map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.label}
                  </option>
                ))}
              </Select>
            )}
          </FormRow>
          {strategy === 'user' ? (
            <FormRow label="Person" id="rule-user" error={errors.userId?.message}>
              {(control) => (
                <Controller
                  control={form.control}
                  name="userId"
                  render={({ field }) => (
                    <OptionPicker
                      id={control.id}
                      testId="rule-user"
                      value={field.value}
                      onChange={field.onChange}
                      options={people.users}
                      placeholder="Choose a person…"
                      invalid={Boolean(control['aria-invalid'])}
                      describedBy={control['aria-describedby']}
                    />
                  )}
                />
              )}
            </FormRow>
          ) : null}
          <FormRow
            label={strategy === 'user' ? 'Team (optional)' : 'Team'}
            id="rule-team"
            error={errors.teamId?.message}
            hint={
              strategy === 'user'
                ? 'The team whose queue the lead joins.'
                : people.teams.length === 0
                  ? 'No teams yet: create one under Settings → Teams.'
                  : undefined
            }
          >
            {(control) => (
              <Controller
                control={form.control}
                name="teamId"
                render={({ field }) => (
                  <OptionPicker
                    id={control.id}
                    testId="rule-team"
                    value={field.value}
                    onChange={field.onChange}
                    options={people.teams}
                    placeholder="Choose a team…"
                    {...(strategy === 'user' ? { noneLabel: 'No team' } : {})}
                    invalid={Boolean(control['aria-invalid'])}
                    describedBy={control['aria-describedby']}
                  />
                )}
              />
            )}
          </FormRow>
          <FormRow
            label="Remind managers after (minutes)"
            id="rule-reminder"
            error={errors.reminderMinutes?.message}
            hint="When a matching lead is still unassigned; empty uses the organization's setting."
          >
            {(control) => (
              <Input
                {...control}
                inputMode="numeric"
                placeholder="30"
                {...form.register('reminderMinutes')}
              />
            )}
          </FormRow>
        </div>
        <label className="flex items-center gap-2 text-sm text-ink">
          <input
            type="checkbox"
            className="size-4 accent-[var(--accent)]"
            data-testid="rule-active"
            {...form.register('active')}
          />
          Active (an inactive rule is skipped)
        </label>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" data-testid="rule-submit" disabled={isSubmitting}>
            {rule ? 'Save rule' : 'Add rule'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
