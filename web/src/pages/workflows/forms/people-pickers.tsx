import { useQuery } from '@tanstack/react-query';
import { teamsQuery } from '../../../api/queries';
import { Field, Input, Select } from '../../../components/ui';
import { useUsers } from '../../../lib/use-users';

interface PickerProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  testId?: string;
  hint?: string;
}

const invalidProps = (id: string, error: string | undefined) => ({
  'aria-invalid': error ? true : undefined,
  'aria-describedby': error ? `${id}-error` : undefined,
});

/**
 * A user, or (with `owner`) "the record's owner". Roles that may not list users get an id field,
 * since the API would refuse them the list anyway.
 */
export function UserPicker({
  id,
  label,
  value,
  onChange,
  error,
  testId,
  hint,
  withOwner,
}: PickerProps & { withOwner: boolean }) {
  const { users, canPick } = useUsers();
  if (!canPick) {
    return (
      <Field
        label={label}
        id={id}
        error={error}
        hint={
          hint ??
          (withOwner
            ? 'Type owner, or a user id (your role cannot list users).'
            : 'A user id (your role cannot list users).')
        }
      >
        <Input
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
          {...invalidProps(id, error)}
        />
      </Field>
    );
  }
  const known = value === 'owner' || value === '' || users.some((u) => u.id === value);
  return (
    <Field label={label} id={id} error={error} {...(hint ? { hint } : {})}>
      <Select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
        {...invalidProps(id, error)}
      >
        {withOwner ? (
          <option value="owner">The record&apos;s owner</option>
        ) : (
          <option value="">Choose a user…</option>
        )}
        {known ? null : <option value={value}>Unknown user ({value.slice(0, 8)}…)</option>}
        {users.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name} · {u.email}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/** A team whose members take turns (round robin). */
export function TeamPicker({ id, label, value, onChange, error, testId }: PickerProps) {
  const teams = useQuery({ ...teamsQuery, retry: false });
  const list = teams.data?.data ?? [];
  const hint = teams.isError
    ? 'Teams could not be listed for your role.'
    : !teams.isPending && list.length === 0
      ? 'No teams yet: create one under Settings → Teams.'
      : 'Members take turns, in order.';
  return (
    <Field label={label} id={id} error={error} hint={hint}>
      <Select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
        {...invalidProps(id, error)}
      >
        <option value="">Choose a team…</option>
        {value && !list.some((t) => t.id === value) ? (
          <option value={value}>Unknown team ({value.slice(0, 8)}…)</option>
        ) : null}
        {list.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} ({t.members.length} {t.members.length === 1 ? 'member' : 'members'})
          </option>
        ))}
      </Select>
    </Field>
  );
}
