/**
 * The generic record client: every object of the registry (built-in or an admin's custom object)
 * follows one contract (shared/API.md) at `/api/v1/{resource}`, so one typed client serves them
 * all — what the generic table and record page use, for objects no generated path names.
 */
import createClient from 'openapi-fetch';
import type { Page } from './client';
import { BASE_URL, ifMatch, sessionFetch, unwrap } from './http';

/** A record of any object: its fields at the top level, custom fields under `customFields`. */
export type ObjectRecord = Record<string, unknown> & {
  id: string;
  version: number;
  createdAt: string;
  updatedAt?: string;
  deletedAt?: string | null;
  customFields?: Record<string, unknown>;
};

/**
 * List parameters as the API spells them: `limit`, `cursor`, `count`, `sort`, `q`, `trashed` and
 * `filter[field]` / `filter[field][op]` keys.
 */
export type ListParams = Record<string, string>;

type Json<T> = { content: { 'application/json': T } };
type ErrorAnswer = { default: Json<unknown> };
type ResourcePath = { path: { resource: string }; query?: never; header?: never; cookie?: never };
type RecordPath = {
  path: { resource: string; id: string };
  query?: never;
  header?: never;
  cookie?: never;
};

/** The record contract of API.md as an OpenAPI path map, for openapi-fetch. */
interface RecordPaths {
  '/api/v1/{resource}': {
    parameters: { path: { resource: string } };
    get: {
      parameters: Omit<ResourcePath, 'query'> & { query?: ListParams };
      requestBody?: never;
      responses: { 200: Json<Page<ObjectRecord>> } & ErrorAnswer;
    };
    post: {
      parameters: ResourcePath;
      requestBody: Json<Record<string, unknown>>;
      responses: { 201: Json<ObjectRecord> } & ErrorAnswer;
    };
  };
  '/api/v1/{resource}/{id}': {
    parameters: { path: { resource: string; id: string } };
    get: {
      parameters: RecordPath;
      requestBody?: never;
      responses: { 200: Json<ObjectRecord> } & ErrorAnswer;
    };
    patch: {
      parameters: Omit<RecordPath, 'header'> & { header: { 'If-Match': string } };
      requestBody: Json<Record<string, unknown>>;
      responses: { 200: Json<ObjectRecord> } & ErrorAnswer;
    };
    delete: {
      parameters: RecordPath;
      requestBody?: never;
      responses: { 204: { content?: never } } & ErrorAnswer;
    };
  };
  '/api/v1/{resource}/{id}/restore': {
    parameters: { path: { resource: string; id: string } };
    post: {
      parameters: RecordPath;
      requestBody?: never;
      responses: { 200: Json<ObjectRecord> } & ErrorAnswer;
    };
  };
}

const client = createClient<RecordPaths>({
  baseUrl: BASE_URL,
  fetch: sessionFetch,
  // Filter keys are already spelled `filter[field][op]`: they go out as they are.
  querySerializer: (query) => new URLSearchParams(query as ListParams).toString(),
});

/** One page of a resource's records. */
export const listRecords = (resource: string, query: ListParams): Promise<Page<ObjectRecord>> =>
  unwrap(client.GET('/api/v1/{resource}', { params: { path: { resource }, query } }));

/** One record; 404 when it is missing, trashed or in another organization. */
export const getRecord = (resource: string, id: string): Promise<ObjectRecord> =>
  unwrap(client.GET('/api/v1/{resource}/{id}', { params: { path: { resource, id } } }));

/** Creates a record; a 400 names the fields it refuses. */
export const createRecord = (
  resource: string,
  body: Record<string, unknown>,
): Promise<ObjectRecord> =>
  unwrap(client.POST('/api/v1/{resource}', { params: { path: { resource } }, body }));

/** Updates part of a record, refused with 412 when `version` is no longer the record's. */
export const updateRecord = (
  resource: string,
  record: { id: string; version: number },
  body: Record<string, unknown>,
): Promise<ObjectRecord> =>
  unwrap(
    client.PATCH('/api/v1/{resource}/{id}', {
      params: { path: { resource, id: record.id }, header: ifMatch(record.version) },
      body,
    }),
  );

/** Moves a record to the trash (restorable for 30 days). */
export const deleteRecord = (resource: string, id: string): Promise<void> =>
  unwrap(client.DELETE('/api/v1/{resource}/{id}', { params: { path: { resource, id } } }));

/** Takes a record back out of the trash. */
export const restoreRecord = (resource: string, id: string): Promise<ObjectRecord> =>
  unwrap(client.POST('/api/v1/{resource}/{id}/restore', { params: { path: { resource, id } } }));
