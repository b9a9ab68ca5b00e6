import type { ErrorDetail } from '../../platform/errors/index.js';
import { scheduleProblems } from '../../platform/jobs/index.js';
import { rulesAt } from './conditions.js';
import { successorsOf, triggerObject, type Definition, type Step } from './definition.js';
import { isJsonTemplate, placeholdersOf } from './template.js';

/**
 * The names a template may start with besides `record` (the trigger record) and the
 * organization's object keys (the trigger record and its linked records are under their objects'
 * keys): the run's context.
 */
export const CONTEXT_ROOTS = [
  'changes',
  'webhook',
  'workflow',
  'run',
  'now',
  'steps',
  'event',
] as const;

/** Steps that change the trigger record; a schedule or inbound webhook has none to change. */
const NEEDS_RECORD: ReadonlySet<Step['type']> = new Set([
  'update_record',
  'assign_owner',
  'add_tag',
  'remove_tag',
]);

function templatesOf(step: Step): Array<[string, string]> {
  switch (step.type) {
    case 'create_record':
    case 'update_record':
      return Object.entries(step.values).flatMap(([k, v]) =>
        typeof v === 'string' ? [[`values.${k}`, v] as [string, string]] : [],
      );
    case 'create_task':
      return [
        ['subject', step.subject],
        ...(step.body ? [['body', step.body] as [string, string]] : []),
      ];
    case 'send_email':
      return [
        ['to', step.to],
        ['subject', step.subject],
        ['body', step.body],
      ];
    case 'notify':
      return [
        ['title', step.title],
        ...(step.body ? [['body', step.body] as [string, string]] : []),
      ];
    case 'call_webhook':
      return step.body ? [['body', step.body]] : [];
    case 'wait':
      return step.until ? [['until', step.until]] : [];
    default:
      return [];
  }
}

const JSON_BODY_PROBLEM =
  'is not valid JSON; a placeholder stands for a whole value, without quotes: {"email": {{contact.email}}}';

function checkStep(
  def: Definition,
  step: Step,
  at: string,
  ids: ReadonlySet<string>,
  roots: readonly string[],
  out: ErrorDetail[],
): void {
  for (const [key, to] of [
    ['next', 'next' in step ? step.next : null],
    ['then', step.type === 'branch' ? step.then : null],
    ['else', step.type === 'branch' ? step.else : null],
  ] as const) {
    if (to !== null && !ids.has(to))
      out.push({ path: `${at}.${key}`, message: `leads to "${to}", which is not a step` });
    if (to === step.id) out.push({ path: `${at}.${key}`, message: 'a step cannot lead to itself' });
  }
  if (NEEDS_RECORD.has(step.type) && triggerObject(def.trigger) === null) {
    out.push({
      path: `${at}.type`,
      message: `${step.type} needs a record, and a ${def.trigger.type} trigger has none`,
    });
  }
  if (step.type === 'assign_owner' && step.strategy === 'round_robin' && !step.teamId)
    out.push({ path: `${at}.teamId`, message: 'is required for round_robin' });
  if (step.type === 'assign_owner' && step.strategy === 'user' && !step.userId)
    out.push({ path: `${at}.userId`, message: 'is required for strategy user' });
  if (step.type === 'wait' && Boolean(step.duration) === Boolean(step.until))
    out.push({ path: `${at}.duration`, message: 'give either a duration or an until date' });
  if (step.type === 'branch' && step.condition.rules.length === 0)
    out.push({ path: `${at}.condition`, message: 'needs at least one rule' });
  // Checked here too, not only in the builder: a body that can never be JSON fails every run.
  if (step.type === 'call_webhook' && step.body && !isJsonTemplate(step.body))
    out.push({ path: `${at}.body`, message: JSON_BODY_PROBLEM });
  if (step.type === 'update_record' && Object.keys(step.values).length === 0)
    out.push({ path: `${at}.values`, message: 'needs at least one field' });
  for (const [key, template] of templatesOf(step)) {
    const { paths, malformed } = placeholdersOf(template);
    for (const bad of malformed)
      out.push({
        path: `${at}.${key}`,
        message: `"{{${bad}}}" is not a placeholder; use a field path such as {{contact.firstName}}`,
      });
    for (const p of paths) {
      const root = p.split('.')[0] ?? '';
      if (!roots.includes(root))
        out.push({
          path: `${at}.${key}`,
          message: `{{${p}}}: "${root}" is unknown; start with one of ${roots.join(', ')}`,
        });
    }
  }
}

/**
 * A step in a cycle (by depth-first search from the start); waits in a loop would run forever.
 * A step leading to itself is left out: checkStep names that link already.
 */
function findCycle(steps: ReadonlyMap<string, Step>, start: string): string | null {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): string | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'open') return id;
    state.set(id, 'open');
    const step = steps.get(id);
    for (const s of step ? successorsOf(step).filter((n) => n !== id) : []) {
      const found = visit(s);
      if (found) return found;
    }
    state.set(id, 'done');
    return null;
  };
  return visit(start);
}

/** Loops and steps the start cannot reach. */
function graphProblems(
  def: Definition,
  byId: ReadonlyMap<string, Step>,
  start: string,
  out: ErrorDetail[],
): void {
  const cycle = findCycle(byId, start);
  if (cycle)
    out.push({
      path: `steps.${def.steps.findIndex((s) => s.id === cycle)}`,
      message: `"${cycle}" is part of a loop; workflows run forward only`,
    });
  const reached = new Set<string>();
  const walk = (id: string) => {
    if (reached.has(id)) return;
    reached.add(id);
    const step = byId.get(id);
    for (const n of step ? successorsOf(step) : []) walk(n);
  };
  walk(start);
  def.steps.forEach((s, i) => {
    if (!reached.has(s.id))
      out.push({
        path: `steps.${i}`,
        message: `"${s.name ?? s.id}" cannot be reached from the first step`,
      });
  });
}

/** What a placeholder may start with: `record`, the organization's object keys, the run's context. */
export const templateRoots = (objectKeys: readonly string[]): string[] => [
  ...new Set(['record', ...objectKeys, ...CONTEXT_ROOTS]),
];

/**
 * Checks a definition before it is published: every link leads to a step, every step is reachable
 * from the start and none loops back, each step has what its type needs, and every placeholder
 * names data the run will have — the context or a record of one of `objectKeys` (the
 * organization's objects). Answers the problems with the field paths the builder highlights.
 */
export function validateForPublish(def: Definition, objectKeys: readonly string[]): ErrorDetail[] {
  const trigger = triggerObject(def.trigger);
  // The trigger record is under its object's own name ({{project.name}}) even when the key is new.
  const roots = templateRoots([...objectKeys, ...(trigger ? [trigger] : [])]);
  const out: ErrorDetail[] = [];
  const byId = new Map<string, Step>();
  def.steps.forEach((s, i) => {
    if (byId.has(s.id))
      out.push({ path: `steps.${i}.id`, message: `"${s.id}" is used by two steps` });
    byId.set(s.id, s);
  });
  if (def.steps.length === 0) out.push({ path: 'steps', message: 'add at least one step' });
  if (def.start === null && def.steps.length > 0)
    out.push({ path: 'start', message: 'choose the first step' });
  if (def.start !== null && !byId.has(def.start))
    out.push({ path: 'start', message: `"${def.start}" is not a step` });
  const ids = new Set(byId.keys());
  def.steps.forEach((s, i) => checkStep(def, s, `steps.${i}`, ids, roots, out));
  const trees = [
    ...(def.conditions ? [{ tree: def.conditions, path: 'conditions' }] : []),
    ...def.steps.flatMap((s, i) =>
      s.type === 'branch' ? [{ tree: s.condition, path: `steps.${i}.condition` }] : [],
    ),
  ];
  for (const { tree, path } of trees) {
    for (const { rule, path: at } of rulesAt(tree, path)) {
      if (rule.op === 'in' && !Array.isArray(rule.value))
        out.push({ path: `${at}.value`, message: 'must be a list for "in"' });
    }
  }
  // The graph is walked whatever else is wrong (a link to a missing step just ends the walk), so
  // one publish names every problem, unreachable steps included.
  if (def.start !== null && byId.has(def.start)) graphProblems(def, byId, def.start, out);
  if (def.trigger.type === 'schedule') {
    for (const p of scheduleProblems(def.trigger.cron, def.trigger.timezone, new Date()))
      out.push({ path: `trigger.${p.path}`, message: p.message });
  }
  if (
    def.trigger.type === 'record_updated' &&
    def.trigger.toValue !== undefined &&
    def.trigger.fields.length !== 1
  ) {
    out.push({
      path: 'trigger.fields',
      message: 'name exactly one field when a value to change to is given',
    });
  }
  return out;
}
