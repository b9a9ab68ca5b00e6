/**
 * Queries several pages share: one key and one fetch each, so every page reads the same cache
 * entry (`useQuery({ ...teamsQuery, enabled })`).
 */
import { queryOptions } from '@tanstack/react-query';
import { http, unwrap } from './http';
import { keys } from './keys';

/** Teams with their members. */
export const teamsQuery = queryOptions({
  queryKey: keys.teams,
  queryFn: () => unwrap(http.GET('/api/v1/teams', { params: { query: { limit: 200 } } })),
});

/** The organization's users. */
export const usersQuery = queryOptions({
  queryKey: keys.users,
  queryFn: () => unwrap(http.GET('/api/v1/users', { params: { query: { limit: 200 } } })),
});

/** Roles with their grants. */
export const rolesQuery = queryOptions({
  queryKey: keys.roles,
  queryFn: () => unwrap(http.GET('/api/v1/roles', { params: { query: { limit: 200 } } })),
});

/** The organization's pipelines with their stages. */
export const pipelinesQuery = queryOptions({
  queryKey: keys.pipelines,
  queryFn: () => unwrap(http.GET('/api/v1/pipelines', { params: { query: { limit: 200 } } })),
});

/** The base currency and exchange rates. */
export const exchangeRatesQuery = queryOptions({
  queryKey: keys.exchangeRates,
  queryFn: () => unwrap(http.GET('/api/v1/exchange-rates')),
});
