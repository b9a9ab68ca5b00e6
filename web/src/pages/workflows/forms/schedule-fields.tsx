import { useMemo } from 'react';
import { Field, Input, Select } from '../../../components/ui';
import { CRON_PRESETS, formatFireTime, nextFireTimes, timeZoneOptions } from './cron-preview';
import type { TriggerFieldsProps } from './trigger-sections';

/** A schedule: cron (or a common preset), an IANA time zone, and the next five fire times in that zone. */
export function ScheduleFields({ kit }: { kit: TriggerFieldsProps }) {
  const cron = kit.form.watch('cron');
  const timezone = kit.form.watch('timezone');
  const zones = useMemo(() => timeZoneOptions(timezone), [timezone]);
  const cronError = kit.errorOf('cron');
  const zoneError = kit.errorOf('timezone');
  const times = cronError ? [] : nextFireTimes(cron, timezone, 5);
  const id = kit.idPrefix;
  const preset = CRON_PRESETS.find(([, c]) => c === cron.trim())?.[1] ?? '';
  return (
    <>
      <Field label="Common schedules" id={`${id}-preset`}>
        <Select
          id={`${id}-preset`}
          value={preset}
          data-testid="trigger-cron-preset"
          onChange={(e) => {
            if (e.target.value)
              kit.form.setValue('cron', e.target.value, {
                shouldDirty: true,
                shouldValidate: true,
              });
          }}
        >
          <option value="">Custom (cron below)</option>
          {CRON_PRESETS.map(([label, c]) => (
            <option key={c} value={c}>
              {label}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label="Cron"
        id={`${id}-cron`}
        error={cronError}
        hint="minute hour day-of-month month weekday, e.g. 0 9 * * 1-5 for weekdays at 09:00"
      >
        <Input
          id={`${id}-cron`}
          className="font-mono"
          spellCheck={false}
          data-testid="trigger-cron"
          aria-invalid={cronError ? true : undefined}
          aria-describedby={cronError ? `${id}-cron-error` : undefined}
          {...kit.form.register('cron')}
        />
      </Field>
      <Field
        label="Time zone"
        id={`${id}-timezone`}
        error={zoneError}
        hint="The cron is read in this zone; daylight saving time is followed."
      >
        <Select
          id={`${id}-timezone`}
          data-testid="trigger-timezone"
          aria-invalid={zoneError ? true : undefined}
          {...kit.form.register('timezone')}
        >
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, ' ')}
            </option>
          ))}
        </Select>
      </Field>
      <div className="rounded-md bg-muted p-2.5" aria-live="polite" data-testid="cron-preview">
        <p className="text-xs font-medium text-ink">Next runs ({timezone})</p>
        {times.length ? (
          <ol className="mt-1 space-y-0.5 text-xs text-ink-soft tabular-nums">
            {times.map((t) => (
              <li key={t.toISOString()}>{formatFireTime(t, timezone)}</li>
            ))}
          </ol>
        ) : (
          <p className="mt-1 text-xs text-ink-soft">Fix the pattern to see when it runs.</p>
        )}
      </div>
    </>
  );
}
