import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { toast } from 'sonner';
import { http, ifMatch, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { can, useMe } from '../../api/session';
import type { Workflow } from '../../api/types';
import {
  Badge,
  Button,
  Dialog,
  EmptyState,
  Field,
  Input,
  PageHeader,
  Select,
  Skeleton,
  Table,
  Td,
} from '../../components/ui';
import type { WorkflowObject } from './definition-types';
import { objectOptions } from './forms/field-catalog';
import { useFieldCatalogs } from './forms/use-field-catalogs';
import { describeTrigger, RUN_TONE } from './trigger-words';

const NEW_TRIGGERS = [
  ['record_created', 'A record is created'],
  ['record_updated', 'A record is updated'],
  ['manual', 'Started by hand'],
  ['schedule', 'On a schedule'],
  ['inbound_webhook', 'A webhook is received'],
  ['deal_stage_changed', 'A deal changes stage'],
] as const;

function triggerFor(type: string, object: WorkflowObject) {
  if (type === 'schedule')
    return { type: 'schedule' as const, cron: '0 9 * * 1-5', timezone: 'UTC' };
  if (type === 'inbound_webhook') return { type: 'inbound_webhook' as const };
  if (type === 'deal_stage_changed') return { type: 'deal_stage_changed' as const };
  if (type === 'record_updated') return { type: 'record_updated' as const, object, fields: [] };
  return { type: type as 'record_created' | 'manual', object };
}

function LastRun({ workflowId }: { workflowId: string }) {
  const runs = useQuery({
    queryKey: keys.workflowRuns.last(workflowId),
    queryFn: () =>
      unwrap(http.GET('/api/v1/workflow-runs', { params: { query: { workflowId, limit: 1 } } })),
  });
  const run = runs.data?.data[0];
  return run ? (
    <Link to={`/workflows/${workflowId}/runs/${run.id}`}>
      <Badge tone={RUN_TONE[run.status]}>{run.status}</Badge>
    </Link>
  ) : (
    <span className="text-ink-soft">Never run</span>
  );
}

/** The workflows of the organization: what starts each, whether it runs, and how its last run went. */
export default function WorkflowList() {
  const me = useMe().data;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: keys.workflows.list,
    queryFn: () => unwrap(http.GET('/api/v1/workflows', { params: { query: { limit: 200 } } })),
  });
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [type, setType] = useState('record_created');
  const [object, setObject] = useState<WorkflowObject>('lead');
  const catalogs = useFieldCatalogs();
  // Until the descriptions arrive, the chosen key alone (not "not available").
  const objectChoices = catalogs
    ? objectOptions(catalogs, object)
    : [{ key: object, label: object }];
  const toggle = async (w: Workflow) => {
    try {
      await unwrap(
        http.PATCH('/api/v1/workflows/{id}', {
          params: { path: { id: w.id } },
          headers: ifMatch(w.version),
          body: { enabled: !w.enabled },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: keys.workflows.all });
    } catch (e) {
      toast.error(e instanceof Error ? e.message : 'Could not change the workflow');
    }
  };
  const create = async () => {
    try {
      const w = await unwrap(
        http.POST('/api/v1/workflows', {
          body: {
            name,
            draft: {
              trigger: triggerFor(type, object),
              conditions: null,
              start: null,
              steps: [],
              layout: {},
            },
          },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: keys.workflows.lists });
      void navigate(`/workflows/${w.id}`);
    } catch (e) {
      toast.error(e instanceof Error ? e.message : 'Could not create the workflow');
    }
  };
  const needsObject = type === 'record_created' || type === 'record_updated' || type === 'manual';
  return (
    <div className="mx-auto max-w-6xl space-y-4">
      <PageHeader
        title="Workflows"
        description="Automations that run when something happens in the CRM."
        actions={
          can(me, 'workflows:create') ? (
            <Button onClick={() => setCreating(true)} data-testid="new-workflow">
              New workflow
            </Button>
          ) : null
        }
      />
      {list.isPending ? (
        <Skeleton rows={6} />
      ) : (list.data?.data.length ?? 0) === 0 ? (
        <EmptyState
          title="No workflows yet"
          body="A workflow starts on a trigger (a lead is created, a deal changes stage, a schedule, a webhook or a button on a record) and runs steps: create a task, send an email, update a field, notify someone, wait or branch."
        />
      ) : (
        <Table head={['Name', 'Trigger', 'Enabled', 'Version', 'Last run']}>
          {list.data?.data.map((w) => (
            <tr key={w.id} data-testid="workflow-row">
              <Td className="font-medium">
                <Link className="hover:text-accent" to={`/workflows/${w.id}`}>
                  {w.name}
                </Link>
              </Td>
              <Td className="text-ink-soft">{describeTrigger(w.draft.trigger)}</Td>
              <Td>
                <label className="inline-flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={w.enabled}
                    disabled={!can(me, 'workflows:update') || w.publishedVersion === null}
                    onChange={() => void toggle(w)}
                    aria-label={`Enable ${w.name}`}
                  />
                  {w.enabled ? 'On' : 'Off'}
                </label>
              </Td>
              <Td>
                {w.publishedVersion === null ? (
                  <Badge>Unpublished</Badge>
                ) : (
                  <span>v{w.publishedVersion}</span>
                )}{' '}
                {w.hasUnpublishedChanges && w.publishedVersion !== null ? (
                  <Badge tone="accent">Unpublished changes</Badge>
                ) : null}
              </Td>
              <Td>
                <LastRun workflowId={w.id} />
              </Td>
            </tr>
          ))}
        </Table>
      )}
      <Dialog
        open={creating}
        onOpenChange={setCreating}
        title="New workflow"
        description="Name it and pick what starts it; you add the steps next."
      >
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <Field label="Name" id="wf-name">
            <Input
              id="wf-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              data-testid="wf-name"
            />
          </Field>
          <Field label="Starts when" id="wf-trigger">
            <Select
              id="wf-trigger"
              value={type}
              onChange={(e) => setType(e.target.value)}
              data-testid="wf-trigger"
            >
              {NEW_TRIGGERS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </Select>
          </Field>
          {needsObject ? (
            <Field label="Record type" id="wf-object">
              <Select
                id="wf-object"
                value={object}
                onChange={(e) => setObject(e.target.value)}
                data-testid="wf-object"
              >
                {objectChoices.map((o) => (
                  <option key={o.key} value={o.key}>
                    {o.label}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setCreating(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!name.trim()} data-testid="wf-create">
              Create
            </Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
