import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Workflow as WorkflowIcon } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { can, useMe } from '../../api/session';
import type { Workflow } from '../../api/types';
import { Button } from '../../components/ui';
import type { WorkflowObject } from './definition-types';

/** The record page's "Run workflow" menu: the enabled manual workflows of this object; hidden without workflows:read. */
export function RunWorkflowMenu({
  object,
  recordId,
}: {
  object: WorkflowObject;
  recordId: string;
}) {
  const me = useMe().data;
  const allowed = can(me, 'workflows:read');
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: keys.workflows.manual(object),
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/workflows', {
          params: { query: { triggerKey: `manual:${object}`, enabled: 'true', limit: 200 } },
        }),
      ),
    enabled: allowed,
  });
  const workflows = list.data?.data ?? [];
  if (!allowed || workflows.length === 0) return null;
  const handleRun = async (w: Workflow) => {
    setOpen(false);
    try {
      const r = await unwrap(
        http.POST('/api/v1/workflows/{id}/run', {
          params: { path: { id: w.id } },
          body: { recordId },
        }),
      );
      // The workflow's run history and its last run on the list.
      void queryClient.invalidateQueries({ queryKey: keys.workflowRuns.ofWorkflow(w.id) });
      if (r.runId) toast.success(`${w.name} started (${r.status})`);
      else toast.info(`${w.name} did not start${r.reason ? `: ${r.reason}` : ''}`);
    } catch (e) {
      toast.error(e instanceof Error ? e.message : 'The workflow could not start');
    }
  };
  return (
    <div className="relative">
      <Button
        variant="secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="run-workflow"
      >
        <WorkflowIcon size={15} aria-hidden />
        Run workflow
      </Button>
      {open ? (
        <ul
          role="menu"
          className="absolute right-0 z-20 mt-1 min-w-48 rounded-md border border-line bg-panel p-1 shadow-lg"
        >
          {workflows.map((w) => (
            <li key={w.id} role="none">
              <button
                type="button"
                role="menuitem"
                className="w-full rounded px-2.5 py-1.5 text-left text-sm text-ink hover:bg-muted"
                onClick={() => void handleRun(w)}
              >
                {w.name}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
