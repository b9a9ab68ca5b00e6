import { evaluateConditions } from './conditions.js';
import type { Step, WorkflowObject } from './definition.js';
import { readPath } from './fields.js';
import { checkValues, ownerFieldOf } from './objects.js';
import { escapeHtml, renderTemplate, renderValue } from './template.js';
import type { ErrorDetail } from '../../platform/errors/index.js';

/** The run's data as steps see it. */
export type RunData = Record<string, unknown>;

/**
 * A step with its placeholders filled in: what it will do, computed without doing it. The engine
 * performs it; a test run only shows it. `problems` are what would make the step fail.
 */
export interface PlannedStep {
  input: Record<string, unknown>;
  /** One sentence for people: "Create a task “Call Ada” for the owner". */
  summary: string;
  problems: ErrorDetail[];
  /** The step that follows (branches decide here); null ends the run. */
  next: string | null;
  /** A wait step's resume time. */
  waitUntil?: Date;
}

const DURATION_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

function renderValues(values: Record<string, unknown>, data: RunData): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? renderValue(v, data) : v]),
  );
}

/** Moves `custom.x` keys under `customFields`, the API's shape (conditions and filters name them `custom.x`). */
function apiShape(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k.startsWith('custom.')) custom[k.slice(7)] = v;
    else out[k] = v;
  }
  if (Object.keys(custom).length) out.customFields = { ...(out.customFields ?? {}), ...custom };
  return out;
}

/** The email address of the run's contact: the contact itself, the lead's own, or the linked contact's (a deal's, a ticket's, a task's). */
export function contactAddress(data: RunData): string | null {
  const candidates = [readPath(data, 'contact.email'), readPath(data, 'lead.email')];
  return (
    (candidates.find((c) => typeof c === 'string' && c.includes('@')) as string | undefined) ?? null
  );
}

function recordOwner(data: RunData, object: WorkflowObject | null): string | null {
  const owner = object ? readPath(data, `record.${ownerFieldOf(object)}`) : null;
  return typeof owner === 'string' ? owner : null;
}

/** Fills in a step's placeholders and decides what follows. Pure: it reads nothing but `data`. */
export function planStep(
  step: Step,
  data: RunData,
  object: WorkflowObject | null,
  now: Date,
  workflowOwner: string | null,
): PlannedStep {
  switch (step.type) {
    case 'create_record': {
      const values = apiShape(renderValues(step.values, data));
      return {
        input: { object: step.object, values },
        summary: `Create a ${step.object}`,
        problems: checkValues(step.object, values, 'create'),
        next: step.next,
      };
    }
    case 'update_record': {
      const values = apiShape(renderValues(step.values, data));
      const problems = object
        ? checkValues(object, values, 'update')
        : [{ path: 'type', message: 'the trigger has no record' }];
      return {
        input: { object, id: readPath(data, 'record.id'), values },
        summary: `Update the ${object ?? 'record'}: ${Object.keys(values).join(', ')}`,
        problems,
        next: step.next,
      };
    }
    case 'create_task': {
      const assigneeId =
        step.assignTo === 'owner' ? (recordOwner(data, object) ?? workflowOwner) : step.assignTo;
      const subject = renderTemplate(step.subject, data).slice(0, 300);
      const dueAt =
        step.dueInDays === undefined
          ? null
          : new Date(now.getTime() + step.dueInDays * DURATION_MS.days).toISOString();
      const body = step.body ? renderTemplate(step.body, data) : null;
      return {
        input: { subject, body, dueAt, assigneeId },
        summary: `Create a task "${subject}"${assigneeId ? ' for its assignee' : ''}`,
        problems: subject ? [] : [{ path: 'subject', message: 'renders empty' }],
        next: step.next,
      };
    }
    case 'assign_owner':
      return {
        input:
          step.strategy === 'user'
            ? { strategy: 'user', ownerId: step.userId }
            : { strategy: 'round_robin', teamId: step.teamId },
        summary:
          step.strategy === 'user'
            ? 'Assign the record to a user'
            : 'Assign the record to the next member of the team in turn',
        problems: [],
        next: step.next,
      };
    case 'add_tag':
    case 'remove_tag':
      return {
        input: { tag: step.tag },
        summary: `${step.type === 'add_tag' ? 'Add' : 'Remove'} the tag "${step.tag}"`,
        problems: [],
        next: step.next,
      };
    case 'send_email': {
      const to =
        step.to === 'contact' ? contactAddress(data) : renderTemplate(step.to, data).trim();
      const subject = renderTemplate(step.subject, data).slice(0, 300);
      const text = renderTemplate(step.body, data);
      const html = `<div>${renderTemplate(escapeHtml(step.body), data, 'html').replaceAll('\n', '<br>')}</div>`;
      const consent = readPath(data, 'contact.emailConsent.status');
      const problems: ErrorDetail[] = [];
      if (!to || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to))
        problems.push({
          path: 'to',
          message: to
            ? `"${to}" is not an email address`
            : 'the record has no contact email address',
        });
      if (step.to === 'contact' && consent === 'opted_out')
        problems.push({ path: 'to', message: 'the contact opted out of email' });
      return {
        input: { to, subject, text, html },
        summary: `Send "${subject}" to ${to ?? 'nobody'}`,
        problems,
        next: step.next,
      };
    }
    case 'notify': {
      const userId =
        step.userId === 'owner' ? (recordOwner(data, object) ?? workflowOwner) : step.userId;
      const title = renderTemplate(step.title, data).slice(0, 300);
      return {
        input: { userId, title, body: step.body ? renderTemplate(step.body, data) : null },
        summary: `Notify a user: "${title}"`,
        problems: userId ? [] : [{ path: 'userId', message: 'the record has no owner to notify' }],
        next: step.next,
      };
    }
    case 'call_webhook': {
      const body = step.body
        ? renderTemplate(step.body, data, 'json')
        : JSON.stringify({
            record: data.record ?? null,
            webhook: data.webhook ?? null,
            changes: data.changes ?? null,
          });
      const problems: ErrorDetail[] = [];
      try {
        JSON.parse(body);
      } catch {
        problems.push({ path: 'body', message: 'does not render to valid JSON' });
      }
      return {
        input: { url: step.url, body },
        summary: `POST to ${step.url}`,
        problems,
        next: step.next,
      };
    }
    case 'wait': {
      let until: Date | null = null;
      if (step.duration)
        until = new Date(now.getTime() + step.duration.amount * DURATION_MS[step.duration.unit]);
      else if (step.until) {
        const rendered = renderTemplate(step.until, data).trim();
        const t = Date.parse(rendered);
        until = Number.isNaN(t) ? null : new Date(t);
      }
      if (!until)
        return {
          input: { until: null },
          summary: 'Wait (the date is empty)',
          problems: [{ path: 'until', message: 'does not render to a date' }],
          next: step.next,
        };
      return {
        input: { until: until.toISOString() },
        summary: `Wait until ${until.toISOString()}`,
        problems: [],
        next: step.next,
        ...(until > now ? { waitUntil: until } : {}),
      };
    }
    case 'branch': {
      const result = evaluateConditions(step.condition, { record: data.record ?? {} });
      return {
        input: { result },
        summary: `The condition is ${result ? 'true: go to "then"' : 'false: go to "else"'}`,
        problems: [],
        next: result ? step.then : step.else,
      };
    }
    case 'stop':
      return { input: {}, summary: 'Stop the run', problems: [], next: null };
  }
}
