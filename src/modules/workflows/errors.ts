import { DomainError, type ErrorDetail } from '../../platform/errors/index.js';

/** The draft cannot be published as it is; details name each problem's path in the definition. */
export const definitionInvalid = (details: ErrorDetail[]) =>
  new DomainError(
    'rule_violated',
    'WORKFLOW_DEFINITION_INVALID',
    `The workflow cannot be published: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    { details },
  );

/** Enabling needs a published version to run. */
export const notPublished = () =>
  new DomainError(
    'rule_violated',
    'WORKFLOW_NOT_PUBLISHED',
    'Publish the workflow before enabling it',
    { details: [{ path: 'enabled', message: 'the workflow has no published version' }] },
  );

/** A manual run of a workflow that is not enabled, not manual, or for another record type. */
export const notManual = (message: string) =>
  new DomainError('rule_violated', 'WORKFLOW_NOT_MANUAL', message, {
    details: [{ path: 'recordId', message }],
  });

/** The inbound URL's token does not match (answered as 404, like a workflow that does not exist). */
export const inboundRefused = () => new DomainError('not_found', 'NOT_FOUND', 'Workflow not found');
