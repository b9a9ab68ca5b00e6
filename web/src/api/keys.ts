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
  objects: ['objects'] as const,
  users: ['users', 'all'] as const,
  records: recordKeys,
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
  /** Every board answer of a pipeline starts with this: a move invalidates them all. */
  boards: (pipelineId: string) => ['board', pipelineId] as const,
  board: (pipelineId: string, query: Record<string, string>) =>
    ['board', pipelineId, query] as const,
  forecast: (query: Record<string, string>) => ['forecast', query] as const,
  imports: {
    detail: (id: string) => ['imports', id] as const,
    preview: (id: string) => ['imports', id, 'preview'] as const,
  },
  /** Likely duplicates of an object's records (the duplicates page, "Merge with…"); a merge refreshes them all. */
  duplicates: {
    all: ['duplicates'] as const,
    of: (objectKey: string) => ['duplicates', objectKey] as const,
  },
};
