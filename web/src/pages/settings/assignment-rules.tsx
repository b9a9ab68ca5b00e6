import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowDown, ArrowUp } from 'lucide-react';
import { useState } from 'react';
import { http, ifMatch, unwrap } from '../../api/http';
import { Badge, Button } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { ConfirmDeleteDialog } from './confirm-delete-dialog';
import { RuleDialog } from './rule-dialog';
import {
  describeCondition,
  RULES_KEY,
  RULES_WHO_MAY,
  STRATEGIES,
  swapSteps,
  type AssignmentRule,
} from './rule-model';
import { SettingsListPage } from './settings-list-page';
import { usePeopleOptions } from './use-people-options';

/** Runs a reorder's PATCHes one after the other, each with the version the previous one answered. */
async function runSwap(rules: readonly AssignmentRule[], index: number, direction: -1 | 1) {
  const versions = new Map(rules.map((r) => [r.id, r.version]));
  for (const step of swapSteps(rules, index, direction)) {
    const saved = await unwrap(
      http.PATCH('/api/v1/lead-assignment-rules/{id}', {
        params: { path: { id: step.id } },
        headers: ifMatch(versions.get(step.id) ?? 0),
        body: { position: step.position },
      }),
    );
    versions.set(saved.id, saved.version);
  }
}

/** Settings → Assignment rules: who gets each new lead, tried top to bottom. */
export default function AssignmentRules() {
  const queryClient = useQueryClient();
  const people = usePeopleOptions();
  const [editing, setEditing] = useState<AssignmentRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AssignmentRule | null>(null);
  const list = useQuery({
    queryKey: RULES_KEY,
    queryFn: () =>
      unwrap(http.GET('/api/v1/lead-assignment-rules', { params: { query: { limit: 200 } } })),
    retry: false,
  });
  const reorder = useMutation({
    mutationFn: ({ index, direction }: { index: number; direction: -1 | 1 }) =>
      runSwap(list.data?.data ?? [], index, direction),
    onError: (e) => showApiError(e),
    // Refetch either way: a failed swap may have made its first move.
    onSettled: () => queryClient.invalidateQueries({ queryKey: RULES_KEY }),
  });
  const target = (r: AssignmentRule) =>
    r.strategy === 'user'
      ? (people.userName(r.userId) ?? 'Nobody')
      : `${STRATEGIES.find((s) => s.key === r.strategy)?.label ?? r.strategy}: ${people.teamName(r.teamId) ?? '?'}`;

  const openNew = () => setEditing('new');

  return (
    <SettingsListPage
      title="Assignment rules"
      description="Who gets each new lead. Rules are tried from the top; the first active one that matches assigns the lead. A lead no rule matches waits unassigned."
      list={list}
      whoMay={RULES_WHO_MAY}
      newAction={{ label: 'New rule', testId: 'rule-new', onClick: openNew, shortcut: 'n' }}
      empty={{
        title: 'No assignment rules yet',
        body: 'Without rules, leads from forms and imports wait unassigned. Add a rule such as “Country is one of DE, AT → round robin in the Berlin team”.',
        actionLabel: 'Add your first rule',
      }}
      dialogs={
        <>
          <RuleDialog
            open={editing !== null}
            onOpenChange={(open) => (open ? undefined : setEditing(null))}
            rule={editing === 'new' ? null : editing}
          />
          <ConfirmDeleteDialog
            item={deleting}
            noun="rule"
            consequence="Leads it already assigned keep their owners; new leads go to the next rule that matches."
            remove={(id) =>
              unwrap(
                http.DELETE('/api/v1/lead-assignment-rules/{id}', { params: { path: { id } } }),
              )
            }
            listKey={RULES_KEY}
            testId="rule-delete-confirm"
            onClose={() => setDeleting(null)}
          />
        </>
      }
    >
      {(rules) => (
        <ol className="space-y-2" aria-label="Rules in the order they run">
          {rules.map((r, i) => (
            <li
              key={r.id}
              data-testid="rule-row"
              className="flex flex-wrap items-center gap-3 rounded-lg border border-line bg-panel px-4 py-3"
            >
              <span
                aria-hidden
                className="flex size-7 shrink-0 items-center justify-center rounded-full bg-muted text-xs font-semibold text-ink-soft"
              >
                {i + 1}
              </span>
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-center gap-2 font-medium text-ink">
                  {r.name}
                  {r.active ? null : <Badge>Inactive</Badge>}
                </p>
                <p className="text-sm text-ink-soft">
                  {r.conditions.length === 0
                    ? 'Every new lead'
                    : r.conditions.map(describeCondition).join(' and ')}{' '}
                  →{' '}
                  <span className="text-ink" data-testid="rule-target">
                    {target(r)}
                  </span>
                </p>
              </div>
              <div className="flex items-center gap-1">
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Move ${r.name} up`}
                  disabled={i === 0 || reorder.isPending}
                  onClick={() => reorder.mutate({ index: i, direction: -1 })}
                >
                  <ArrowUp aria-hidden className="size-4" />
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Move ${r.name} down`}
                  disabled={i === rules.length - 1 || reorder.isPending}
                  onClick={() => reorder.mutate({ index: i, direction: 1 })}
                >
                  <ArrowDown aria-hidden className="size-4" />
                </Button>
                <Button
                  size="sm"
                  variant="secondary"
                  data-testid="rule-edit"
                  aria-label={`Edit ${r.name}`}
                  onClick={() => setEditing(r)}
                >
                  Edit
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  data-testid="rule-delete"
                  aria-label={`Delete ${r.name}`}
                  onClick={() => setDeleting(r)}
                >
                  Delete
                </Button>
              </div>
            </li>
          ))}
        </ol>
      )}
    </SettingsListPage>
  );
}
