/**
 * Query keys, one factory per resource, so a page and the code that changes its data name the
 * same cache entries. Record keys start with the resource (`['companies', …]`): invalidating
 * `keys.records(r).all` refreshes every list, page and picker of that resource.
 */
import type { ListParams } from './records';

/** The keys of one resource's records. */
export const recordKeys = (resource: string) => ({
  all: [resource] as const,
  lists: () => [resource, 'list'] as const,
  list: (params: ListParams) => [resource, 'list', params] as const,
  trashed: () => [resource, 'trashed'] as const,
  detail: (id: string) => [resource, id] as const,
  timeline: (id: string) => [resource, id, 'timeline'] as const,
  related: (field: string, id: string) => [resource, 'related', field, id] as const,
  pick: (q: string) => [resource, 'pick', q] as const,
});

/** Every query key of the app's shared data. */
export const keys = {
  me: ['me'] as const,
  /** Whether sign-up is open (the sign-up page). */
  authConfig: ['auth-config'] as const,
  /** An invitation as the accept page shows it, by its token. */
  invitation: (token: string) => ['invitation', token] as const,
  objects: ['objects'] as const,
  /** The organization's users (owner pickers, Settings → Users, Teams, Roles). */
  users: ['users', 'all'] as const,
  /** Pending and accepted invitations (Settings → Users). */
  invitations: ['invitations'] as const,
  /** Roles with their grants; a user's role shows on Settings → Users, which reads them too. */
  roles: ['roles'] as const,
  /** The permission catalog (Settings → Roles). */
  permissions: ['permissions'] as const,
  /** Teams with their members (Settings → Teams, and every team picker and filter). */
  teams: ['teams'] as const,
  apiKeys: ['api-keys'] as const,
  /** My signed-in sessions (Settings → Profile). */
  sessions: ['sessions'] as const,
  audit: {
    all: ['audit'] as const,
    list: (action: string) => ['audit', 'list', action] as const,
  },
  jobs: {
    all: ['jobs'] as const,
    stats: ['jobs', 'stats'] as const,
    list: (status: string) => ['jobs', 'list', status] as const,
  },
  mailbox: {
    all: ['mailbox'] as const,
    list: (filters: { to: string; subject: string }) => ['mailbox', 'list', filters] as const,
    detail: (id: string) => ['mailbox', id] as const,
  },
  /** Webhooks: the list and each one's page; `all` refreshes both. */
  webhooks: {
    all: ['webhooks'] as const,
    list: ['webhooks', 'list'] as const,
    detail: (id: string) => ['webhooks', id] as const,
  },
  /** One webhook's deliveries: `all(id)` refreshes its list and the list page's latest one. */
  webhookDeliveries: {
    all: (webhookId: string) => ['webhook-deliveries', webhookId] as const,
    list: (webhookId: string, status: string) => ['webhook-deliveries', webhookId, status] as const,
    latest: (webhookId: string) => ['webhook-deliveries', webhookId, 'latest'] as const,
  },
  /**
   * Workflows: each one's definition, and the lists (all of them, and the manual ones of an
   * object); a change to one refreshes `lists`.
   */
  workflows: {
    all: ['workflows'] as const,
    lists: ['workflows', 'list'] as const,
    list: ['workflows', 'list', 'all'] as const,
    manual: (object: string) => ['workflows', 'list', 'manual', object] as const,
    detail: (id: string) => ['workflows', id] as const,
  },
  /** Workflow runs: `ofWorkflow(id)` refreshes a workflow's history and its last run. */
  workflowRuns: {
    all: ['workflow-runs'] as const,
    ofWorkflow: (workflowId: string) => ['workflow-runs', workflowId] as const,
    list: (workflowId: string, status: string) => ['workflow-runs', workflowId, status] as const,
    last: (workflowId: string) => ['workflow-runs', workflowId, 'last'] as const,
    detail: (runId: string) => ['workflow-runs', 'detail', runId] as const,
  },
  /** Web forms: the list (Settings → Forms, the form-submitted trigger's picker) and each form. */
  webForms: {
    list: ['web-forms'] as const,
    detail: (id: string) => ['web-forms', id] as const,
    /** The version is in the key: a saved change re-renders the snippet. */
    embed: (id: string, version: number) => ['web-forms', id, 'embed', version] as const,
  },
  /** Global search (the command palette). */
  search: (q: string) => ['search', q] as const,
  /** Base currency and rates (Settings → Currencies; amounts on Products, Price lists, Quotas). */
  exchangeRates: ['exchange-rates'] as const,
  quotas: ['quotas'] as const,
  records: recordKeys,
  /** The activities linked to one record (its Activities tab); under `activities`. */
  linkedActivities: (objectType: string, recordId: string) =>
    ['activities', objectType, recordId] as const,
  customFields: (objectType: string) => ['custom-fields', objectType] as const,
  views: (objectType: string) => ['views', objectType] as const,
  /**
   * Task lists (Home, the Tasks page) live under `activities`, so a record page that adds or ticks
   * off a task refreshes them too (it invalidates `['activities']`).
   */
  tasks: {
    all: ['activities', 'tasks'] as const,
    list: (params: ListParams) => ['activities', 'tasks', params] as const,
  },
  notifications: {
    all: ['notifications'] as const,
    latest: (limit: number) => ['notifications', 'latest', limit] as const,
  },
  /** My open deals per stage of one pipeline (its board, narrowed to me). */
  myPipeline: (pipelineId: string, ownerId: string) =>
    ['deals', 'my-pipeline', pipelineId, ownerId] as const,
  pipelines: ['pipelines'] as const,
  /** What converting a lead would do; under the lead's records key, so a lead change refreshes it. */
  conversionPreview: (leadId: string) => ['leads', leadId, 'conversion-preview'] as const,
  /** Under the deal's own key: a change to the deal (a move) refreshes its stage history. */
  dealStageHistory: (dealId: string) => ['deals', dealId, 'stage-history'] as const,
  products: ['products'] as const,
  /** Price lists with their entries (Settings → Price lists, and the deal page's product prices). */
  priceLists: ['price-lists'] as const,
  /** Every board answer of every pipeline (a pipeline's stages changed). */
  allBoards: ['board'] as const,
  /** Every board answer of a pipeline starts with this: a move invalidates them all. */
  boards: (pipelineId: string) => ['board', pipelineId] as const,
  board: (pipelineId: string, query: Record<string, string>) =>
    ['board', pipelineId, query] as const,
  /** Every forecast answer starts with this: a quota or rate change invalidates them all. */
  forecasts: ['forecast'] as const,
  forecast: (query: Record<string, string>) => ['forecast', query] as const,
  /**
   * Sales history (the dashboard's trends). Under `deals`, `leads` and `activities`, so a deal or activity
   * change refreshes them.
   */
  salesHistory: {
    closedDeals: (since: string, owners: string) => ['deals', 'closed', since, owners] as const,
    funnel: (owners: string) => ['leads', 'funnel', owners] as const,
    activitiesSince: (since: string, owners: string) =>
      ['activities', 'since', since, owners] as const,
  },
  imports: {
    detail: (id: string) => ['imports', id] as const,
    preview: (id: string) => ['imports', id, 'preview'] as const,
  },
  /** Likely duplicates of an object's records (the duplicates page, "Merge with…"); a merge refreshes them all. */
  duplicates: {
    all: ['duplicates'] as const,
    of: (objectKey: string) => ['duplicates', objectKey] as const,
  },
  /** Predictions: the list, each model card and its top scores; a training run refreshes `all`. */
  predictions: {
    all: ['predictions'] as const,
    list: ['predictions', 'list'] as const,
    card: (id: string) => ['predictions', id] as const,
    scores: (id: string) => ['predictions', id, 'scores'] as const,
  },
};
