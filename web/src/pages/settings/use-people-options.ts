import { useQuery } from '@tanstack/react-query';
import { teamsQuery } from '../../api/queries';
import { useUsers } from '../../lib/use-users';
import type { PickerOption } from './option-picker';

/**
 * The organization's users and teams as picker choices, and a name for any id (forms and rules
 * show whom they assign to). Teams share the Teams page's cache entry.
 */
export function usePeopleOptions(): {
  users: PickerOption[];
  teams: PickerOption[];
  userName: (id: string | null) => string | null;
  teamName: (id: string | null) => string | null;
} {
  const { users, nameOf } = useUsers();
  const teams = useQuery({ ...teamsQuery, retry: false });
  const teamList = teams.data?.data ?? [];
  return {
    users: users.map((u) => ({ id: u.id, label: u.name, detail: u.email })),
    teams: teamList.map((t) => ({
      id: t.id,
      label: t.name,
      detail: `${t.members.length} ${t.members.length === 1 ? 'member' : 'members'}`,
    })),
    userName: nameOf,
    teamName: (id) => (id ? (teamList.find((t) => t.id === id)?.name ?? 'Another team') : null),
  };
}
