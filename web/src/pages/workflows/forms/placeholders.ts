import { templateRoots, type TriggerType, type WorkflowObject } from '../definition-types';
import {
  fieldsOf,
  objectLabelOf,
  objectNounOf,
  type FieldCatalogs,
  type FieldInfo,
} from './field-catalog';

/** One entry of the "insert field" menu. */
export interface PlaceholderItem {
  label: string;
  token: string;
}
/** A heading of the menu with its entries. */
export interface PlaceholderGroup {
  label: string;
  items: PlaceholderItem[];
}

const WORKFLOW_GROUP: PlaceholderGroup = {
  label: 'Workflow',
  items: [{ label: 'Workflow name', token: '{{workflow.name}}' }],
};

const groupOf = (
  object: WorkflowObject,
  label: string,
  fields: readonly FieldInfo[],
): PlaceholderGroup => ({
  label,
  items: fields.map((f) => ({ label: f.label, token: `{{${object}.${f.key}}}` })),
});

/**
 * What the menu offers for a trigger: the trigger record's fields (custom ones included), then the
 * records it links to (a deal's contact and company, …), which a run loads for its templates.
 */
export function placeholderGroups(
  triggerType: TriggerType,
  object: WorkflowObject | null,
  catalogs: FieldCatalogs,
): PlaceholderGroup[] {
  if (object) {
    const linked = (catalogs.get(object)?.linked ?? [])
      .filter((o) => catalogs.has(o))
      .map((o) => groupOf(o, `Linked ${objectNounOf(catalogs, o)}`, fieldsOf(catalogs, o)));
    return [
      groupOf(object, objectLabelOf(catalogs, object), fieldsOf(catalogs, object)),
      ...linked,
      WORKFLOW_GROUP,
    ];
  }
  if (triggerType === 'schedule')
    return [
      { label: 'Schedule', items: [{ label: 'Fire time', token: '{{now}}' }] },
      WORKFLOW_GROUP,
    ];
  if (triggerType === 'inbound_webhook') {
    return [
      {
        label: 'Webhook',
        items: [
          { label: 'Whole posted body', token: '{{webhook.body}}' },
          { label: 'Received at', token: '{{webhook.receivedAt}}' },
        ],
      },
      WORKFLOW_GROUP,
    ];
  }
  return [WORKFLOW_GROUP];
}

/** The text with `token` put in place of the selection, and where the caret goes after it. */
export function insertAt(
  text: string,
  start: number | null,
  end: number | null,
  token: string,
): { text: string; caret: number } {
  const from = Math.min(Math.max(start ?? text.length, 0), text.length);
  const to = Math.min(Math.max(end ?? from, from), text.length);
  return { text: text.slice(0, from) + token + text.slice(to), caret: from + token.length };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;
const ANY_BRACES = /\{\{([^}]*)\}\}/g;
const PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;

/**
 * What is wrong with a template's placeholders, as the server's publish check says it
 * (workflows/validate.ts): a placeholder starts with `record`, an object key (`objectKeys`, from
 * `GET /objects`, and the trigger's), or the run's context. `objectKeys` null: not loaded yet.
 */
export function templateProblems(
  template: string,
  triggerObject: WorkflowObject | null,
  objectKeys: readonly string[] | null,
): string[] {
  // Before the objects are known, the roots are left to the server's publish check.
  const roots = objectKeys ? templateRoots(objectKeys, triggerObject) : null;
  const out: string[] = [];
  for (const m of template.matchAll(ANY_BRACES)) {
    const inner = (m[1] ?? '').trim();
    if (!PATH.test(inner))
      out.push(
        `"{{${inner}}}" is not a placeholder; use a field path such as {{contact.firstName}}`,
      );
  }
  for (const m of template.matchAll(PLACEHOLDER)) {
    const root = (m[1] ?? '').split('.')[0] ?? '';
    if (roots && !roots.includes(root))
      out.push(`{{${m[1] ?? ''}}}: "${root}" is unknown; start with one of ${roots.join(', ')}`);
  }
  return out;
}

/** Values a body must stay JSON with, as the server's publish check tries them (workflows/template.ts). */
const JSON_STAND_INS = ['""', 'null'] as const;

/**
 * Whether a JSON template (a webhook body) is JSON once rendered. The run inserts each value
 * JSON-encoded (`"Ada"`), so a placeholder stands for a whole value and must not sit in quotes.
 */
export function jsonTemplateProblem(template: string): string | null {
  // A blank body is left out of the step (step-model): the run then posts its trigger data.
  if (!template.trim()) return null;
  const parses = (standIn: string) => {
    try {
      JSON.parse(template.replace(PLACEHOLDER, standIn));
      return true;
    } catch {
      return false;
    }
  };
  return JSON_STAND_INS.every(parses)
    ? null
    : 'is not valid JSON; a placeholder stands for a whole value, without quotes: {"email": {{contact.email}}}';
}
