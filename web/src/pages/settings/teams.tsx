import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { teamsQuery, usersQuery } from '../../api/queries';
import { can, useMe } from '../../api/session';
import {
  Badge,
  Button,
  Card,
  EmptyState,
  Input,
  PageHeader,
  Select,
  Skeleton,
} from '../../components/ui';
import { showApiError } from '../../lib/form-errors';

export default function Teams() {
  const me = useMe().data;
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const teams = useQuery(teamsQuery);
  const users = useQuery(usersQuery);
  // A user's row names their teams: a team change refreshes both lists.
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: keys.teams });
    void queryClient.invalidateQueries({ queryKey: keys.users });
  };
  const create = useMutation({
    mutationFn: () => unwrap(http.POST('/api/v1/teams', { body: { name } })),
    onSuccess: () => (setName(''), refresh()),
    onError: (e) => showApiError(e),
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      unwrap(http.DELETE('/api/v1/teams/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
    onError: (e) => showApiError(e),
  });
  const setMembers = useMutation({
    mutationFn: ({
      id,
      members,
    }: {
      id: string;
      members: Array<{ userId: string; isManager: boolean }>;
    }) =>
      unwrap(
        http.PUT('/api/v1/teams/{id}/members', { params: { path: { id } }, body: { members } }),
      ),
    onSuccess: refresh,
    onError: (e) => showApiError(e),
  });
  const mayEdit = can(me, 'teams:update');
  return (
    <div className="space-y-5">
      <PageHeader
        title="Teams"
        description="Team scope lets reps and managers work on their teammates' records."
      />
      {can(me, 'teams:create') ? (
        <form
          className="flex max-w-md gap-2"
          onSubmit={(e) => (e.preventDefault(), create.mutate())}
        >
          <Input
            aria-label="New team name"
            placeholder="New team name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <Button type="submit" disabled={!name.trim()}>
            Add team
          </Button>
        </form>
      ) : null}
      {teams.isPending ? (
        <Skeleton />
      ) : teams.data?.data.length === 0 ? (
        <EmptyState
          title="No teams yet"
          body="Create a team, then add members. Managers see and act on their team's records."
        />
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          {teams.data?.data.map((t) => {
            const others =
              users.data?.data.filter((u) => !t.members.some((m) => m.userId === u.id)) ?? [];
            const current = t.members.map((m) => ({ userId: m.userId, isManager: m.isManager }));
            return (
              <Card key={t.id}>
                <div className="flex items-center justify-between">
                  <h2 className="font-medium text-ink">{t.name}</h2>
                  {can(me, 'teams:delete') ? (
                    <Button size="sm" variant="ghost" onClick={() => remove.mutate(t.id)}>
                      Delete
                    </Button>
                  ) : null}
                </div>
                <ul className="mt-3 space-y-1.5">
                  {t.members.length === 0 ? (
                    <li className="text-sm text-ink-soft">No members yet.</li>
                  ) : null}
                  {t.members.map((m) => (
                    <li key={m.userId} className="flex items-center justify-between text-sm">
                      <span className="text-ink">
                        {m.name} {m.isManager ? <Badge tone="accent">Manager</Badge> : null}
                      </span>
                      {mayEdit ? (
                        <span className="flex gap-1">
                          <Button
                            size="sm"
                            variant="ghost"
                            onClick={() =>
                              setMembers.mutate({
                                id: t.id,
                                members: current.map((c) =>
                                  c.userId === m.userId ? { ...c, isManager: !c.isManager } : c,
                                ),
                              })
                            }
                          >
                            {m.isManager ? 'Make member' : 'Make manager'}
                          </Button>
                          <Button
                            size="sm"
                            variant="ghost"
                            onClick={() =>
                              setMembers.mutate({
                                id: t.id,
                                members: current.filter((c) => c.userId !== m.userId),
                              })
                            }
                          >
                            Remove
                          </Button>
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
                {mayEdit && others.length > 0 ? (
                  <Select
                    aria-label={`Add a member to ${t.name}`}
                    className="mt-3"
                    value=""
                    onChange={(e) =>
                      setMembers.mutate({
                        id: t.id,
                        members: [...current, { userId: e.target.value, isManager: false }],
                      })
                    }
                  >
                    <option value="">Add a member…</option>
                    {others.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name}
                      </option>
                    ))}
                  </Select>
                ) : null}
              </Card>
            );
          })}
        </div>
      )}
    </div>
  );
}
