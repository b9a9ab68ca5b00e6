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

/** The organization's predictions (the built-in ones are created on first read). */
export const predictionsQuery = queryOptions({
  queryKey: keys.predictions.list,
  queryFn: () => unwrap(http.GET('/api/v1/predictions', { params: { query: { limit: 100 } } })),
});

/** One prediction's model card. */
export const modelCardQuery = (id: string) =>
  queryOptions({
    queryKey: keys.predictions.card(id),
    queryFn: () => unwrap(http.GET('/api/v1/predictions/{id}', { params: { path: { id } } })),
  });

/** One prediction's highest scores among the records whose outcome is still open. */
export const topScoresQuery = (id: string, limit: number) =>
  queryOptions({
    queryKey: keys.predictions.scores(id),
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/predictions/{id}/scores', {
          params: { path: { id }, query: { limit } },
        }),
      ),
  });
