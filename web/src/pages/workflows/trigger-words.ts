import type { WorkflowTrigger } from '../../api/types';

/** A trigger in words, as the list and the builder show it. */
export function describeTrigger(t: WorkflowTrigger): string {
  switch (t.type) {
    case 'record_created': return `When a ${t.object} is created`;
    case 'record_updated': return `When a ${t.object} is updated${t.fields?.length ? ` (${t.fields.join(', ')})` : ''}`;
    case 'record_deleted': return `When a ${t.object} is deleted`;
    case 'deal_stage_changed': return 'When a deal changes stage';
    case 'schedule': return `On schedule ${t.cron} (${t.timezone ?? 'UTC'})`;
    case 'date_relative': return `${Math.abs(t.offsetDays)} days ${t.offsetDays < 0 ? 'before' : 'after'} a ${t.object}'s ${t.field}`;
    case 'inbound_webhook': return 'When a webhook is received';
    case 'manual': return `Started by hand on a ${t.object}`;
    case 'form_submitted': return 'When a form is submitted';
  }
}

/** The tone of a run status badge. */
export const RUN_TONE = { running: 'accent', waiting: 'accent', succeeded: 'success', failed: 'danger', stopped: 'neutral' } as const;
