import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { ErrorDetail } from '../../platform/errors/index.js';
import { errors } from '../../platform/errors/index.js';
import { evaluateConditions } from './conditions.js';
import { triggerObject, type Definition } from './definition.js';
import { readRecord, withLinkedRecords } from './objects.js';
import { planStep, type RunData } from './plan.js';
import { loadVersion, loadWorkflow } from './workflows.js';

/** One step of a test run: what it would do, with its placeholders filled in. */
export interface TestStep {
  stepId: string;
  type: string;
  name: string | null;
  summary: string;
  input: Record<string, unknown>;
  problems: ErrorDetail[];
}

/** What a run would do on a chosen record, without doing it. */
export interface TestRun {
  version: 'draft' | number;
  conditionsMet: boolean;
  steps: TestStep[];
  /** Why the walk stopped early (a wait is followed through; a loop cannot be). */
  note: string | null;
}

/** What a test run is asked for. */
export interface TestRunInput {
  /** The record the trigger would start on (required for record triggers). */
  recordId?: string;
  /** For inbound-webhook triggers: the body a caller would POST. */
  webhookBody?: unknown;
  /** Test the published version instead of the draft. */
  published?: boolean;
}

/**
 * Walks a workflow over a real record as the engine would — conditions, placeholders, branches,
 * waits — and reports what each step would do and what would make it fail, changing nothing.
 */
export async function testWorkflow(
  ctx: Ctx,
  workflowId: string,
  input: TestRunInput,
): Promise<TestRun> {
  authorize(ctx, 'workflows:read');
  const { w, def } = await ctx.tx(async (tx) => {
    const row = await loadWorkflow(ctx, tx, workflowId);
    const d: Definition =
      input.published && row.published_version !== null
        ? await loadVersion(tx, ctx.organizationId, row.id, row.published_version)
        : row.draft;
    return { w: row, def: d };
  });
  const object = triggerObject(def.trigger);
  let data: RunData = {
    workflow: { id: w.id, name: w.name },
    now: ctx.deps.clock.now().toISOString(),
    webhook: { body: input.webhookBody ?? null },
  };
  if (object) {
    if (!input.recordId)
      throw errors.validation([{ path: 'recordId', message: `choose a ${object} to test on` }]);
    const record = await readRecord(ctx, object, input.recordId);
    data = await withLinkedRecords(ctx, object, { ...data, record, [object]: record });
  }
  const subject = object ? data.record : (data.webhook as { body: unknown }).body;
  const conditionsMet = evaluateConditions(def.conditions, { record: subject ?? {} });
  const steps: TestStep[] = [];
  let note: string | null = null;
  let at = conditionsMet ? def.start : null;
  let now = ctx.deps.clock.now();
  const seen = new Set<string>();
  while (at) {
    const step = def.steps.find((s) => s.id === at);
    if (!step) {
      note = `"${at}" is not a step`;
      break;
    }
    if (seen.has(step.id)) {
      note = `"${step.id}" is reached twice: the workflow loops`;
      break;
    }
    seen.add(step.id);
    const plan = planStep(step, data, object, now, w.owner_id);
    steps.push({
      stepId: step.id,
      type: step.type,
      name: step.name ?? null,
      summary: plan.summary,
      input: plan.input,
      problems: plan.problems,
    });
    if (plan.waitUntil) now = plan.waitUntil;
    at = plan.next;
  }
  return {
    version: input.published && w.published_version !== null ? w.published_version : 'draft',
    conditionsMet,
    steps,
    note,
  };
}
