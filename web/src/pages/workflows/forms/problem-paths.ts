import type { ZodError } from 'zod';
import type { FieldProblem } from '../../../api/client';
import type { Draft } from '../definition-types';
import type { ValueRow } from './step-model';
import { stepFormSchemaFor } from './step-schema';
import { stepToForm } from './step-model';
import { triggerFormSchema, triggerObjectOf, triggerToForm } from './trigger-model';

/**
 * Problem paths between the definition (what the server names: `draft.steps.2.retry.maxAttempts`)
 * and the forms (`maxAttempts`), both ways: a form's own check is listed like a server problem,
 * and a server problem is shown next to the field it is about.
 */

/** The path inside the definition, without the `draft.` the PATCH body adds. */
export const definitionPath = (path: string): string => path.replace(/^draft\./, '');

/** The step a problem path names by index (`steps.2.next` → 2), or null. */
export function stepIndexOf(path: string): number | null {
  const m = /^steps\.(\d+)/.exec(definitionPath(path));
  return m ? Number(m[1]) : null;
}

/** Whether a problem is about the trigger or the entry conditions. */
export const isTriggerProblem = (path: string): boolean =>
  /^(trigger|conditions|start)\b/.test(definitionPath(path));

/** The step form field a server path inside a step names (`retry.maxAttempts` → `maxAttempts`), or null. */
export function stepFieldOf(relative: string, rows: readonly ValueRow[]): string | null {
  const [head, ...rest] = relative.split('.');
  switch (head) {
    case undefined:
    case '':
    case 'type':
    case 'id':
    case 'next':
    case 'then':
    case 'else':
      return null;
    case 'retry':
      return 'maxAttempts';
    case 'duration':
      return 'amount';
    case 'condition':
      return 'condition';
    case 'values': {
      if (rest[0] && /^\d+$/.test(rest[0])) return ['values', ...rest].join('.');
      // The server names the record's field (`values.email`, `values.customFields.size`).
      const field = rest[0] === 'customFields' && rest[1] ? `custom.${rest[1]}` : rest[0];
      const i = field ? rows.findIndex((r) => r.field.trim() === field) : -1;
      return i >= 0 ? `values.${i}.value` : 'values';
    }
    default:
      return head;
  }
}

/** The trigger form field a server path names (`trigger.cron` → `cron`, `conditions.rules.0` → `conditions`), or null. */
export function triggerFieldOf(path: string): string | null {
  const p = definitionPath(path);
  if (p.startsWith('conditions')) return 'conditions';
  const m = /^trigger\.([A-Za-z]+)/.exec(p);
  if (!m?.[1]) return null;
  return m[1] === 'field' ? 'dateTarget' : m[1];
}

/** A step form's path in the definition's terms (`maxAttempts` → `steps.1.retry.maxAttempts`), for the problems list. */
export function stepProblemPath(index: number, formPath: string): string {
  const inner =
    formPath === 'maxAttempts'
      ? 'retry.maxAttempts'
      : formPath === 'amount'
        ? 'duration.amount'
        : formPath;
  return `steps.${index}.${inner}`;
}

/** The trigger form's path in the definition's terms (`cron` → `trigger.cron`; conditions stay). */
export const triggerProblemPath = (formPath: string): string =>
  formPath.startsWith('conditions')
    ? formPath
    : `trigger.${formPath === 'dateTarget' ? 'field' : formPath}`;

/** A path inside a node in words: `condition.rules.2.rules.0.value` → "condition › rule 3 › rule 1 › value". */
export function pathInWords(path: string): string {
  return path
    .replace(
      /\b(rules|values)\.(\d+)/g,
      (_m, list: string, n: string) => `${list === 'rules' ? 'rule' : 'field'} ${Number(n) + 1}`,
    )
    .split('.')
    .map((part) => part.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())
    .join(' › ');
}

const issuesOf = (error: ZodError | undefined) => error?.issues ?? [];

/**
 * The forms' checks run over the whole draft, every node, with the paths the server would use:
 * what Publish refuses before asking the server (which then checks links and reachability too).
 */
export function checkDraft(draft: Draft, objectKeys: readonly string[] | null): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of issuesOf(
    triggerFormSchema.safeParse(triggerToForm(draft.trigger, draft.conditions)).error,
  )) {
    out.push({
      path: triggerProblemPath(issue.path.map(String).join('.')),
      message: issue.message,
    });
  }
  const stepSchema = stepFormSchemaFor(triggerObjectOf(draft.trigger), objectKeys);
  draft.steps.forEach((step, i) => {
    for (const issue of issuesOf(stepSchema.safeParse(stepToForm(step)).error)) {
      out.push({
        path: stepProblemPath(i, issue.path.map(String).join('.')),
        message: issue.message,
      });
    }
  });
  return out;
}
