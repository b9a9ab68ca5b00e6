/**
 * The ticket queue's quick filters (status, priority) as conditions of the generic list state, so
 * they live in the URL like any filter (`filter[status][in]=new,open,…`) and survive a reload.
 */
import type { ListState } from '../objects/list-query';

/** "Unsolved" is what a support queue usually means: everything still waiting on someone. */
export const UNSOLVED = 'new,open,pending,on_hold';

/**
 * The quick filter's value for a field: its one condition (`eq`, or `in` for a list) when it is
 * one the select offers, else '' — a condition from the filter builder shows there, not here.
 */
export function quickValue(state: ListState, field: string, offered: readonly string[]): string {
  const own = state.conditions.filter((c) => c.field === field);
  const only = own.length === 1 ? own[0] : undefined;
  if (!only || (only.op !== 'eq' && only.op !== 'in')) return '';
  return offered.includes(only.value) ? only.value : '';
}

/** The state with the field's quick filter set to `value` ('' clears it), replacing its others. */
export function withQuickValue(state: ListState, field: string, value: string): ListState {
  const others = state.conditions.filter((c) => c.field !== field);
  return {
    ...state,
    conditions: value
      ? [...others, { field, op: value.includes(',') ? 'in' : 'eq', value }]
      : others,
  };
}
