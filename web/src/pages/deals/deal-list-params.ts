/**
 * The URL words of the deals list: the board's filters (pipeline, owners, search, close dates) and
 * those a dashboard number adds (stages, closed and expected periods), each one condition of the
 * generic list, so `/deals/list?stages=…&owners=…` opens the list narrowed to exactly those deals.
 */
import { aliasParams, parseConditions, type ParamAliases } from '../objects/list-query';

/** The board's own filters, the ones a toggle to the board carries across. */
const BOARD_PARAMS: ParamAliases = {
  pipeline: { field: 'pipelineId', op: 'eq' },
  owners: { field: 'ownerId', op: 'in' },
  closeFrom: { field: 'expectedCloseDate', op: 'gte' },
  closeTo: { field: 'expectedCloseDate', op: 'lte' },
};

/** Every alias the list reads; a number's periods end before their last day (`lt`). */
export const DEAL_LIST_PARAMS: ParamAliases = {
  ...BOARD_PARAMS,
  stages: { field: 'stageId', op: 'in' },
  closedFrom: { field: 'closedAt', op: 'gte' },
  closedTo: { field: 'closedAt', op: 'lt' },
  expectedFrom: { field: 'expectedCloseDate', op: 'gte' },
  expectedTo: { field: 'expectedCloseDate', op: 'lt' },
};

/** What a dashboard number adds to the list (its title included), beyond the board's filters. */
export const NUMBER_PARAMS = [
  'title',
  'stages',
  'closedFrom',
  'closedTo',
  'expectedFrom',
  'expectedTo',
];

/**
 * The board's query for the list's URL: the board's words as they are and the list's own filters
 * the board understands, but not a number's narrowing (the board shows a pipeline, not a number).
 */
export function boardSearch(params: URLSearchParams): string {
  const board = new URLSearchParams();
  for (const name of ['q', ...Object.keys(BOARD_PARAMS)]) {
    const value = params.get(name);
    if (value) board.set(name, value);
  }
  const filters = aliasParams(parseConditions(params.entries()), BOARD_PARAMS);
  for (const [name, value] of Object.entries(filters)) board.set(name, value);
  return board.toString();
}

/** The list's query without a number's narrowing: "Show all deals". */
export function withoutNumber(params: URLSearchParams): string {
  const rest = new URLSearchParams(params);
  for (const name of NUMBER_PARAMS) rest.delete(name);
  return rest.toString();
}
