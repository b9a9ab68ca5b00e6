import { useQuery } from '@tanstack/react-query';
import { Globe, Lock, Users } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import { teamsQuery } from '../../api/queries';
import { can, useMe } from '../../api/session';
import type { Me, SavedView } from '../../api/types';
import { Button, Dialog, Field, Input, Select } from '../../components/ui';

export type ViewVisibility = SavedView['visibility'];

/** What the dialog asks for: the view's name and whom it is shared with. */
export interface ViewSharing {
  name: string;
  visibility: ViewVisibility;
  teamId: string | null;
}

const CHOICES: ReadonlyArray<{
  value: ViewVisibility;
  label: string;
  hint: string;
  Icon: typeof Lock;
}> = [
  { value: 'private', label: 'Only me', hint: 'Nobody else sees it.', Icon: Lock },
  { value: 'team', label: 'My team', hint: 'Members of one of your teams.', Icon: Users },
  { value: 'everyone', label: 'Everyone', hint: 'Everyone in the organization.', Icon: Globe },
];

/** The icon that says whom a view is shared with; none for a private view. */
export function VisibilityIcon({ visibility }: { visibility: ViewVisibility }) {
  if (visibility === 'private') return null;
  const Icon = visibility === 'team' ? Users : Globe;
  return (
    <Icon
      className="size-3.5 shrink-0 text-ink-soft"
      aria-label={visibility === 'team' ? 'Shared with a team' : 'Shared with everyone'}
      role="img"
    />
  );
}

/**
 * The teams a view can be shared with: an admin's choice is any team of the organization, anyone
 * else's the teams they belong to (the server checks the same rule).
 */
function useShareableTeams(me: Me | null | undefined, isAdmin: boolean) {
  // The query the settings and pickers list teams with, so they share one cache entry.
  const all = useQuery({ ...teamsQuery, enabled: isAdmin });
  if (isAdmin) return all.data?.data.map((t) => ({ id: t.id, name: t.name })) ?? [];
  return me?.teams ?? [];
}

/**
 * "Save view" and "Edit view": a name and whom the view is shared with — only the user, one of
 * their teams (for those who may update the object's records), or everyone (admins).
 */
export function SaveViewDialog({
  open,
  onOpenChange,
  view,
  permission,
  pending,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The view to edit; a new view when absent. */
  view?: SavedView | undefined;
  /** The permission resource of the view's object (`leads`, `custom-records`). */
  permission: string;
  pending: boolean;
  onSubmit: (sharing: ViewSharing) => void;
}) {
  const me = useMe().data;
  const isAdmin = can(me, 'settings:update');
  const teams = useShareableTeams(me, isAdmin);
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<ViewVisibility>('private');
  const [teamId, setTeamId] = useState('');
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (!open) return;
    setName(view?.name ?? '');
    setVisibility(view?.visibility ?? 'private');
    setTeamId(view?.teamId ?? '');
    setError(undefined);
  }, [open, view]);
  const allowed = (v: ViewVisibility) =>
    v === 'private' ||
    (v === 'everyone' && isAdmin) ||
    (v === 'team' && teams.length > 0 && (isAdmin || can(me, `${permission}:update`)));
  const chosenTeam = teamId || (teams.length === 1 ? (teams[0]?.id ?? '') : '');

  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('Give the view a name');
    onSubmit({
      name: name.trim(),
      visibility,
      teamId: visibility === 'team' ? chosenTeam || null : null,
    });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={view ? 'Edit view' : 'Save view'}
      description={
        view
          ? 'Rename the view or change whom it is shared with.'
          : 'Keeps the current filters, sort and columns under a name.'
      }
    >
      <form className="space-y-4" onSubmit={handleSubmit} data-testid="save-view-dialog">
        <Field label="Name" id="view-name" error={error}>
          <Input
            id="view-name"
            value={name}
            maxLength={100}
            autoFocus
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'view-name-error' : undefined}
            onChange={(e) => setName(e.target.value)}
            data-testid="view-name"
          />
        </Field>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-ink">Who sees it</legend>
          {CHOICES.map(({ value, label, hint, Icon }) => (
            <label
              key={value}
              className={`flex items-start gap-2 rounded-md border border-line p-2 text-sm ${
                allowed(value) ? 'cursor-pointer' : 'opacity-60'
              } ${visibility === value ? 'bg-accent-soft' : ''}`}
            >
              <input
                type="radio"
                name="view-visibility"
                value={value}
                className="mt-1 accent-[var(--accent)]"
                checked={visibility === value}
                disabled={!allowed(value)}
                onChange={() => setVisibility(value)}
                data-testid={`view-visibility-${value}`}
              />
              <Icon className="mt-0.5 size-4 shrink-0 text-ink-soft" aria-hidden />
              <span>
                <span className="block font-medium text-ink">{label}</span>
                <span className="block text-xs text-ink-soft">
                  {allowed(value)
                    ? hint
                    : value === 'everyone'
                      ? 'Only admins share views with everyone.'
                      : 'You need to be in a team and able to edit these records.'}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        {visibility === 'team' ? (
          <Field label="Team" id="view-team">
            <Select
              id="view-team"
              value={chosenTeam}
              required
              onChange={(e) => setTeamId(e.target.value)}
              data-testid="view-team"
            >
              <option value="" disabled>
                Choose a team
              </option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="ghost" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending} data-testid="save-view-submit">
            {view ? 'Save changes' : 'Save view'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
