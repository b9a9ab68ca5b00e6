import { Switch } from 'radix-ui';
import { Controller, type UseFormReturn } from 'react-hook-form';
import { Card, Field, Input } from '../../components/ui';
import type { FormEditorValues } from './form-model';
import { OptionPicker } from './option-picker';
import { usePeopleOptions } from './use-people-options';

const invalid = (id: string, message: string | undefined) => ({
  'aria-invalid': message ? true : undefined,
  'aria-describedby': message ? `${id}-error` : undefined,
});

/** Where a form's leads go and what a visitor sees after sending, plus the spam trap and on/off. */
export function FormDestination({ form }: { form: UseFormReturn<FormEditorValues> }) {
  const people = usePeopleOptions();
  const { errors } = form.formState;
  return (
    <Card className="space-y-4">
      <h2 className="text-base font-semibold text-ink">Where leads go</h2>
      <div className="grid gap-4 md:grid-cols-2">
        <Field
          label="Owner"
          id="form-owner"
          error={errors.defaultOwnerId?.message}
          hint="Every lead of this form goes to this person; assignment rules are skipped."
        >
          <Controller
            control={form.control}
            name="defaultOwnerId"
            render={({ field }) => (
              <OptionPicker
                id="form-owner"
                testId="form-owner"
                value={field.value}
                onChange={field.onChange}
                options={people.users}
                placeholder="Assignment rules decide"
                noneLabel="No fixed owner: assignment rules decide"
                invalid={Boolean(errors.defaultOwnerId)}
              />
            )}
          />
        </Field>
        <Field
          label="Team"
          id="form-team"
          error={errors.defaultTeamId?.message}
          hint="The team whose queue leads join unless a rule places them elsewhere."
        >
          <Controller
            control={form.control}
            name="defaultTeamId"
            render={({ field }) => (
              <OptionPicker
                id="form-team"
                testId="form-team"
                value={field.value}
                onChange={field.onChange}
                options={people.teams}
                placeholder="No team"
                noneLabel="No team"
                invalid={Boolean(errors.defaultTeamId)}
              />
            )}
          />
        </Field>
        <Field
          label="Lead source"
          id="form-source"
          error={errors.defaultSource?.message}
          hint='Set on every lead of this form; empty means "web form". Rules can match on it.'
        >
          <Input
            id="form-source"
            placeholder="web form"
            {...invalid('form-source', errors.defaultSource?.message)}
            {...form.register('defaultSource')}
          />
        </Field>
        <Field
          label="After sending, go to"
          id="form-redirect"
          error={errors.redirectUrl?.message}
          hint="A thank-you page on your site; empty shows a short thank-you message."
        >
          <Input
            id="form-redirect"
            type="url"
            inputMode="url"
            placeholder="https://example.com/thanks"
            {...invalid('form-redirect', errors.redirectUrl?.message)}
            {...form.register('redirectUrl')}
          />
        </Field>
        <Field
          label="Spam trap field name"
          id="form-honeypot"
          error={errors.honeypotField?.message}
          hint="A field hidden from people: bots fill it, and their submissions are dropped."
        >
          <Input
            id="form-honeypot"
            className="font-mono"
            {...invalid('form-honeypot', errors.honeypotField?.message)}
            {...form.register('honeypotField')}
          />
        </Field>
        <Controller
          control={form.control}
          name="active"
          render={({ field }) => (
            <div className="flex items-center justify-between gap-3 self-start rounded-md border border-line px-3 py-2 md:mt-6">
              <label htmlFor="form-active" className="text-sm text-ink">
                <span className="font-medium">Accepting submissions</span>
                <span className="block text-xs text-ink-soft">
                  An inactive form answers visitors with an error.
                </span>
              </label>
              <Switch.Root
                id="form-active"
                data-testid="form-active"
                checked={field.value}
                onCheckedChange={field.onChange}
                className="relative h-5 w-9 shrink-0 rounded-full bg-line transition-colors data-[state=checked]:bg-accent"
              >
                <Switch.Thumb className="block size-4 translate-x-0.5 rounded-full bg-white shadow transition-transform data-[state=checked]:translate-x-[18px]" />
              </Switch.Root>
            </div>
          )}
        />
      </div>
    </Card>
  );
}
