import { createCtx, systemActor, type Deps } from '../../platform/context/index.js';
import { createLead } from '../sales/index.js';
import type { Definition } from './definition.js';
import { createWorkflow, publishWorkflow, updateWorkflow } from './workflows.js';

const WELCOME: Definition = {
  trigger: { type: 'record_created', object: 'lead' },
  conditions: { match: 'all', rules: [{ field: 'email', op: 'isNotEmpty' }] },
  start: 'task',
  steps: [
    {
      id: 'task',
      type: 'create_task',
      name: 'Call the lead',
      subject: 'Call {{lead.firstName}} {{lead.lastName}} ({{lead.companyName}})',
      dueInDays: 1,
      assignTo: 'owner',
      next: 'mail',
    },
    {
      id: 'mail',
      type: 'send_email',
      name: 'Thank them',
      to: 'contact',
      subject: 'Thanks for your interest, {{lead.firstName}}',
      body: 'Hello {{lead.firstName}},\n\nthank you for getting in touch. Someone from our team will call you within a day.\n\nBest regards',
      next: null,
    },
  ],
  layout: { task: { x: 0, y: 160 }, mail: { x: 0, y: 320 } },
};

const BIG_DEAL: Definition = {
  trigger: { type: 'deal_stage_changed' },
  conditions: { match: 'all', rules: [{ field: 'amount', op: 'gte', value: 2_000_000 }] },
  start: 'tag',
  steps: [
    { id: 'tag', type: 'add_tag', name: 'Tag it', tag: 'big-deal', next: 'tell' },
    {
      id: 'tell',
      type: 'notify',
      name: 'Tell the owner',
      userId: 'owner',
      title: '{{deal.name}} moved on',
      body: 'A deal worth {{deal.amount}} {{deal.currency}} (minor units) changed stage.',
      next: null,
    },
  ],
  layout: { tag: { x: 0, y: 160 }, tell: { x: 0, y: 320 } },
};

/** Two sample workflows that run on the demo data: a welcome for new leads and an alert for big deals. */
export async function seedDemoWorkflows(
  deps: Deps,
  organizationId: string,
  adminId: string,
): Promise<void> {
  const ctx = createCtx(deps, systemActor(organizationId));
  for (const [name, description, draft] of [
    [
      'Welcome new leads',
      'A call task for the owner and a thank-you email for every new lead with an email address',
      WELCOME,
    ],
    [
      'Big deal alert',
      'Tags deals of 20,000 or more when they change stage and tells their owner',
      BIG_DEAL,
    ],
  ] as const) {
    const w = await createWorkflow(ctx, { name, description, draft, ownerId: adminId });
    await publishWorkflow(ctx, w.id);
    await updateWorkflow(ctx, w.id, { enabled: true });
  }
}

/** Two leads created the way a person would, so the welcome workflow has runs to show on first start. */
export async function seedDemoWorkflowRuns(
  deps: Deps,
  organizationId: string,
  adminId: string,
): Promise<void> {
  const ctx = createCtx(deps, systemActor(organizationId));
  await createLead(ctx, {
    firstName: 'Ada',
    lastName: 'Byron',
    email: 'ada.byron@analytical.example',
    companyName: 'Analytical Engines',
    ownerId: adminId,
    source: 'website form',
  });
  await createLead(ctx, {
    firstName: 'Alan',
    lastName: 'Turing',
    email: 'alan@bletchley.example',
    companyName: 'Bletchley Labs',
    ownerId: adminId,
    source: 'referral',
  });
}
