import type { WorkflowTrigger } from '../../api/types';

/** A trigger in words, as the list and the builder show it. */
export function describeTrigger(t: WorkflowTrigger): string {
  switch (t.type) {
    case 'record_created':
      return `When a ${t.object} is created`;
    case 'record_updated':
      return `When a ${t.object} is updated${t.fields?.length ? ` (${t.fields.join(', ')})` : ''}`;
    case 'record_deleted':
      return `When a ${t.object} is deleted`;
    case 'deal_stage_changed':
      return 'When a deal changes stage';
    case 'schedule':
      return `On schedule ${t.cron} (${t.timezone ?? 'UTC'})`;
    case 'date_relative':
      return `${Math.abs(t.offsetDays)} days ${t.offsetDays < 0 ? 'before' : 'after'} a ${t.object}'s ${t.field}`;
    case 'inbound_webhook':
      return 'When a webhook is received';
    case 'manual':
      return `Started by hand on a ${t.object}`;
    case 'form_submitted':
      return 'When a form is submitted';
  }
}

/** The tone of a run status badge. */
export const RUN_TONE = {
  running: 'accent',
  waiting: 'accent',
  succeeded: 'success',
  failed: 'danger',
  stopped: 'neutral',
} as const;

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
];

/** A step's duration for people: `420 ms`, `1.5 s`, `2 d 3 h` (a finished wait lasts days). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  // The largest unit and the one below it: "1 d 2 h", never "1 d 30 s".
  const first = UNITS.findIndex(([, size]) => ms >= size);
  const [unit, size] = UNITS[first] ?? ['s', 1000];
  const whole = Math.floor(ms / size);
  const below = UNITS[first + 1];
  const rest = below ? Math.floor((ms - whole * size) / below[1]) : 0;
  return below && rest > 0 ? `${whole} ${unit} ${rest} ${below[0]}` : `${whole} ${unit}`;
}
