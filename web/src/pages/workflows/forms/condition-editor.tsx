import { Plus } from 'lucide-react';
import { Button } from '../../../components/ui';
import { cn } from '../../../lib/cn';
import {
  newRule,
  type ConditionForm,
  type GroupRow,
  type Match,
  type RuleRow,
} from './condition-model';
import { RuleEditor, type ErrorAt } from './condition-rule';
import type { FieldInfo } from './field-catalog';

/** "All" (AND) or "any" (OR) as two radio buttons: arrow keys switch, as in any radio group. */
function MatchToggle({
  name,
  value,
  onChange,
  label,
}: {
  name: string;
  value: Match;
  onChange: (m: Match) => void;
  label: string;
}) {
  return (
    <div
      role="radiogroup"
      aria-label={label}
      className="inline-flex rounded-md border border-line p-0.5 text-xs"
      data-testid="cond-match"
    >
      {(['all', 'any'] as const).map((m) => (
        <label
          key={m}
          className={cn(
            'cursor-pointer rounded px-2 py-1 font-medium has-[:focus-visible]:outline has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent',
            value === m ? 'bg-accent text-on-accent' : 'text-ink-soft hover:bg-muted',
          )}
        >
          <input
            type="radio"
            className="sr-only"
            name={name}
            value={m}
            checked={value === m}
            onChange={() => onChange(m)}
            data-testid={`cond-match-${m}`}
          />
          {m === 'all' ? 'All (AND)' : 'Any (OR)'}
        </label>
      ))}
    </div>
  );
}

/** The first field to offer for a new rule. */
const firstField = (fields: readonly FieldInfo[]) => fields[0]?.key ?? '';

/** An inner group: its own all/any, its rules, add rule, remove group. */
function GroupEditor({
  id,
  group,
  fields,
  onChange,
  onRemove,
  errorAt,
  path,
}: {
  id: string;
  group: GroupRow;
  fields: readonly FieldInfo[];
  onChange: (g: GroupRow) => void;
  onRemove: () => void;
  errorAt: ErrorAt;
  path: string;
}) {
  const setRule = (i: number, rule: RuleRow) =>
    onChange({ ...group, rules: group.rules.map((r, j) => (j === i ? rule : r)) });
  const groupError = errorAt(`${path}.rules`);
  return (
    <div
      className="space-y-2 rounded-md border border-dashed border-line p-2"
      role="group"
      aria-label="Group of rules"
      data-testid="cond-group"
    >
      <div className="flex items-center justify-between gap-2">
        <span className="flex items-center gap-2 text-xs text-ink-soft">
          <MatchToggle
            name={`${id}-match`}
            label="Group matches"
            value={group.match}
            onChange={(match) => onChange({ ...group, match })}
          />
          of these
        </span>
        <Button variant="ghost" size="sm" onClick={onRemove} data-testid="cond-remove-group">
          Remove group
        </Button>
      </div>
      {group.rules.map((r, i) => (
        <RuleEditor
          key={i}
          id={`${id}-r${i}`}
          row={r}
          fields={fields}
          path={`${path}.rules.${i}`}
          errorAt={errorAt}
          onChange={(rule) => setRule(i, rule)}
          onRemove={() => onChange({ ...group, rules: group.rules.filter((_, j) => j !== i) })}
        />
      ))}
      {groupError ? (
        <p role="alert" className="text-xs text-danger">
          {groupError}
        </p>
      ) : null}
      <Button
        variant="ghost"
        size="sm"
        onClick={() => onChange({ ...group, rules: [...group.rules, newRule(firstField(fields))] })}
        data-testid="cond-group-add-rule"
      >
        <Plus size={13} aria-hidden />
        Add rule to group
      </Button>
    </div>
  );
}

/**
 * The AND/OR tree editor of entry conditions and branches: a top group with all/any, rows of
 * field / operator / value, and inner groups one level deep (what the definition allows).
 */
export function ConditionEditor({
  id,
  value,
  onChange,
  fields,
  errorAt,
  emptyText,
  testId,
}: {
  id: string;
  value: ConditionForm;
  onChange: (value: ConditionForm) => void;
  fields: readonly FieldInfo[];
  errorAt: ErrorAt;
  /** What no rule means here (entry: every record runs; branch: not allowed). */
  emptyText: string;
  testId?: string;
}) {
  const set = (i: number, item: RuleRow | GroupRow) =>
    onChange({ ...value, rules: value.rules.map((r, j) => (j === i ? item : r)) });
  const remove = (i: number) =>
    onChange({ ...value, rules: value.rules.filter((_, j) => j !== i) });
  const rootError = errorAt('') ?? errorAt('rules');
  return (
    <div className="space-y-2" data-testid={testId}>
      {value.rules.length ? (
        <div className="flex items-center gap-2 text-xs text-ink-soft">
          Match{' '}
          <MatchToggle
            name={`${id}-match`}
            label="Conditions match"
            value={value.match}
            onChange={(match) => onChange({ ...value, match })}
          />{' '}
          of these
        </div>
      ) : rootError ? null : (
        <p className="rounded-md border border-dashed border-line px-3 py-2 text-xs text-ink-soft">
          {emptyText}
        </p>
      )}
      {value.rules.map((r, i) =>
        r.kind === 'group' ? (
          <GroupEditor
            key={i}
            id={`${id}-g${i}`}
            group={r}
            fields={fields}
            path={`rules.${i}`}
            errorAt={errorAt}
            onChange={(g) => set(i, g)}
            onRemove={() => remove(i)}
          />
        ) : (
          <RuleEditor
            key={i}
            id={`${id}-r${i}`}
            row={r}
            fields={fields}
            path={`rules.${i}`}
            errorAt={errorAt}
            onChange={(rule) => set(i, rule)}
            onRemove={() => remove(i)}
          />
        ),
      )}
      {rootError ? (
        <p role="alert" className="text-xs text-danger">
          {rootError}
        </p>
      ) : null}
      <div className="flex gap-1">
        <Button
          variant="secondary"
          size="sm"
          onClick={() =>
            onChange({ ...value, rules: [...value.rules, newRule(firstField(fields))] })
          }
          data-testid="cond-add-rule"
        >
          <Plus size={13} aria-hidden />
          Add rule
        </Button>
        <Button
          variant="ghost"
          size="sm"
          onClick={() =>
            onChange({
              ...value,
              rules: [
                ...value.rules,
                { kind: 'group', match: 'any', rules: [newRule(firstField(fields))] },
              ],
            })
          }
          data-testid="cond-add-group"
        >
          <Plus size={13} aria-hidden />
          Add group
        </Button>
      </div>
    </div>
  );
}
