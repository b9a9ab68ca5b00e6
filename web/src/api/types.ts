/**
 * Shapes of the API answers the web app reads. The record shapes come from the generated
 * `schema.d.ts` (the route schemas themselves), so a server change that breaks the app fails the
 * type check instead of a page.
 */
import type { components, paths } from './schema';

type Schemas = components['schemas'];
/** The JSON body of an operation's 200 answer, e.g. `Json<'/api/v1/auth/me', 'get'>`. */
export type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;
/** The query parameters an operation takes, e.g. `Query<'/api/v1/mailbox', 'get'>`. */
export type Query<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? Q
  : never;
/** The JSON body an operation takes, e.g. `Body<'/api/v1/users/{id}', 'patch'>`. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export type Me = Json<'/api/v1/auth/me', 'get'>;
export type Grant = Me['permissions'][number] & { scope: 'own' | 'team' | 'all' };
export type UserRow = Schemas['User'];
export type Invitation = Schemas['Invitation'];
export type Role = Schemas['Role'];
export type Team = Schemas['Team'];
export type Contact = Schemas['Contact'];
export type Company = Schemas['Company'];
export type ImportJob = Schemas['Import'];
export type ImportPreview = Schemas['ImportPreview'];
export type CustomField = Schemas['CustomField'];
export type Activity = Schemas['Activity'];
export type TimelineEntry = Schemas['TimelineEntry'];
export type ContactDuplicateGroup = Json<'/api/v1/contacts/duplicates', 'get'>['data'][number];
export type CompanyDuplicateGroup = Json<'/api/v1/companies/duplicates', 'get'>['data'][number];
export type MergeResult = Json<'/api/v1/contacts/{id}/merge', 'post'>;

export type Deal = Schemas['Deal'];
export type DealStageStay = Schemas['DealStageStay'];
export type Product = Schemas['Product'];
export type PriceList = Schemas['PriceList'];
export type Pipeline = Schemas['Pipeline'];
export type ConversionPreview = Schemas['LeadConversionPreview'];
export type PipelineStage = Schemas['PipelineStage'];
export type PipelineBoard = Schemas['PipelineBoard'];
export type Forecast = Schemas['Forecast'];
export type Lead = Schemas['Lead'];
export type Ticket = Schemas['Ticket'];
export type Job = Schemas['Job'];
export type Webhook = Schemas['Webhook'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookAttempt = WebhookDelivery['attempts'][number];
export type Workflow = Schemas['Workflow'];
export type Prediction = Schemas['Prediction'];
export type ModelCard = Schemas['PredictionModelCard'];
export type PredictionScore = Schemas['PredictionScore'];
export type ScoreReason = Schemas['ScoreReason'];
export type WorkflowTrigger = Schemas['WorkflowTrigger'];
export type WorkflowRun = Schemas['WorkflowRun'];
export type WorkflowRunDetail = Schemas['WorkflowRunDetail'];
/**
 * One field of an object as `GET /objects` describes it. `definitionId` (the custom field to edit)
 * and `multiple` (a many-to-many relation holding ids) come with admin-defined fields.
 */
export type ObjectField = Schemas['ObjectField'];
/** One object of the registry; `custom` marks an admin-defined object, `icon` its sidebar icon. */
export type ObjectDescription = Schemas['ObjectDescription'];
export type SavedView = Schemas['SavedView'];
