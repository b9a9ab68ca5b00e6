/** Domain events of the workflows module (API.md: `resource.verb`). */
export const WORKFLOW_EVENTS = {
  published: 'workflow.published',
  runFailed: 'workflow.run_failed',
  runStopped: 'workflow.run_stopped',
  runSucceeded: 'workflow.run_succeeded',
} as const;

/** The payload of `workflow.run_failed`. */
export interface RunFailedPayload {
  workflowId: string;
  workflowName: string;
  runId: string;
  stepId: string | null;
  error: string;
  /** Who is told: the workflow's owner. */
  ownerId: string | null;
}
