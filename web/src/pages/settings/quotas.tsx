import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { exchangeRatesQuery, teamsQuery } from '../../api/queries';
import { can, useMe } from '../../api/session';
import { Button, Table, Td } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { formatMoney } from '../../lib/money';
import { useUsers } from '../../lib/use-users';
import { QuotaDialog, type QuotaRow } from './quota-dialog';
import { periodLabel } from './quota-form';
import { SettingsListPage } from './settings-list-page';

/**
 * Settings → Quotas: what each person or team should close per month or quarter. The sales
 * dashboard measures attainment against these, in the organization's base currency.
 */
export default function Quotas() {
  const me = useMe().data;
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<QuotaRow | 'new' | null>(null);
  const quotas = useQuery({
    queryKey: keys.quotas,
    queryFn: () => unwrap(http.GET('/api/v1/quotas', { params: { query: { limit: 200 } } })),
    retry: false,
  });
  const rates = useQuery(exchangeRatesQuery);
  const { users, nameOf } = useUsers();
  const teams = useQuery({ ...teamsQuery, enabled: can(me, 'teams:read') });
  const remove = useMutation({
    mutationFn: (q: QuotaRow) =>
      unwrap(http.DELETE('/api/v1/quotas/{id}', { params: { path: { id: q.id } } })),
    onSuccess: async () => {
      toast.success('Quota deleted');
      await queryClient.invalidateQueries({ queryKey: keys.quotas });
      void queryClient.invalidateQueries({ queryKey: keys.forecasts });
    },
    onError: (e) => showApiError(e),
  });

  const currency = rates.data?.base ?? 'USD';
  const teamList = teams.data?.data ?? [];
  const teamName = (id: string | null) => teamList.find((t) => t.id === id)?.name ?? 'A team';

  return (
    <SettingsListPage
      title="Quotas"
      description={`What each person or team should close per month or quarter, in ${currency}.`}
      list={quotas}
      // Amounts read in the base currency: the page waits for it rather than flash another.
      loading={rates.isPending}
      newAction={
        can(me, 'quotas:create')
          ? { label: 'New quota', testId: 'new-quota', onClick: () => setEditing('new') }
          : undefined
      }
      empty={{
        title: 'No quotas yet',
        body: "A quota is the amount a rep or a team should close in a month or quarter. The sales dashboard shows each one's attainment — closed-won deals against the quota — and the forecast puts it next to commit and best case.",
        actionLabel: 'Set your first quota',
      }}
      dialogs={
        <QuotaDialog
          open={editing !== null}
          onOpenChange={(open) => (open ? undefined : setEditing(null))}
          quota={editing === 'new' ? null : editing}
          currency={currency}
          users={users.length ? users : me ? [{ id: me.user.id, name: me.user.name }] : []}
          teams={teamList}
        />
      }
    >
      {(list) => (
        <Table head={['For', 'Period', 'Amount', 'Actions']}>
          {list.map((q) => (
            <tr key={q.id} data-testid="quota-row">
              <Td>{q.userId ? nameOf(q.userId) : `${teamName(q.teamId)} (team)`}</Td>
              <Td>{periodLabel(q.period, q.periodStart)}</Td>
              <Td className="tabular-nums">{formatMoney(q.amount, currency)}</Td>
              <Td>
                <span className="flex gap-1">
                  {can(me, 'quotas:update') ? (
                    <Button
                      size="sm"
                      variant="secondary"
                      onClick={() => setEditing(q)}
                      data-testid="quota-edit"
                    >
                      Edit
                    </Button>
                  ) : null}
                  {can(me, 'quotas:delete') ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      data-testid="quota-delete"
                      onClick={() =>
                        window.confirm(
                          `Delete the quota for ${periodLabel(q.period, q.periodStart)}?`,
                        ) && remove.mutate(q)
                      }
                    >
                      Delete
                    </Button>
                  ) : null}
                </span>
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </SettingsListPage>
  );
}
