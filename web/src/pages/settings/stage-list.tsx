import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core';
import { ArrowDown, ArrowUp, GripVertical, Trash2 } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Input, Select } from '../../components/ui';
import { cn } from '../../lib/cn';
import { moved } from './custom-field-list';
import { RequiredFieldsPicker } from './required-fields-picker';
import type { StageDraft, StageKind, StageProblems } from './stage-draft';

/** Columns shared by the header and every row, so they line up. */
const GRID =
  'grid grid-cols-[1.75rem_minmax(7.5rem,1fr)_4.5rem_6rem_5.5rem_9rem_5.25rem] items-start gap-2';
/** Small icon buttons: the shared Button's padding would push the row past a laptop's width. */
const ICON_BUTTON =
  'rounded p-1.5 text-ink-soft hover:bg-muted hover:text-ink disabled:cursor-not-allowed disabled:opacity-40';
const KINDS: ReadonlyArray<[StageKind, string]> = [
  ['open', 'Open'],
  ['won', 'Won'],
  ['lost', 'Lost'],
];

function Problem({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={id} role="alert" className="mt-0.5 text-xs text-danger" data-testid="stage-problem">
      {text}
    </p>
  ) : null;
}

function StageRow({
  draft,
  index,
  count,
  canEdit,
  problems,
  options,
  focusMove,
  onChange,
  onMove,
  onRemove,
}: {
  draft: StageDraft;
  index: number;
  count: number;
  canEdit: boolean;
  problems: StageProblems;
  options: ReadonlyArray<{ value: string; label: string }>;
  /** The button that moved this stage last, to take the focus back after the row moved. */
  focusMove: 'up' | 'down' | null;
  onChange: (patch: Partial<StageDraft>) => void;
  onMove: (from: number, to: number) => void;
  onRemove: () => void;
}) {
  const drag = useDraggable({ id: draft.key, disabled: !canEdit });
  const drop = useDroppable({ id: draft.key });
  const up = useRef<HTMLButtonElement>(null);
  const down = useRef<HTMLButtonElement>(null);
  // React moved the row's nodes, which drops the focus: keyboard users keep moving the same stage.
  useEffect(() => {
    if (!focusMove) return;
    const wanted = focusMove === 'up' ? up.current : down.current;
    (wanted && !wanted.disabled ? wanted : focusMove === 'up' ? down.current : up.current)?.focus();
  }, [focusMove, index]);
  const label = draft.name.trim() || `stage ${index + 1}`;
  const field = (name: string) => `stage-${draft.key}-${name}`;
  const invalid = (name: string) => (problems[name] ? true : undefined);
  const describedBy = (name: string) => (problems[name] ? `${field(name)}-error` : undefined);
  return (
    <li
      ref={drop.setNodeRef}
      data-testid="stage-row"
      data-stage={draft.name}
      className={cn(
        GRID,
        'border-b border-line bg-panel px-2 py-2 last:border-0',
        drop.isOver && !drag.isDragging && 'bg-accent-soft',
        drag.isDragging && 'opacity-50',
      )}
    >
      <button
        type="button"
        ref={drag.setNodeRef}
        {...drag.listeners}
        {...drag.attributes}
        disabled={!canEdit}
        aria-label={`Drag ${label} to reorder`}
        className="mt-1.5 cursor-grab rounded p-1 text-ink-soft hover:bg-muted disabled:cursor-default"
      >
        <GripVertical size={15} aria-hidden />
      </button>
      <div>
        <Input
          aria-label={`Name of stage ${index + 1}`}
          data-testid="stage-name"
          value={draft.name}
          maxLength={80}
          disabled={!canEdit}
          aria-invalid={invalid('name')}
          aria-describedby={describedBy('name')}
          onChange={(e) => onChange({ name: e.target.value })}
        />
        <Problem id={`${field('name')}-error`} text={problems.name ?? problems.stage} />
      </div>
      <div>
        <Input
          aria-label={`Probability of ${label} (%)`}
          data-testid="stage-probability"
          type="number"
          inputMode="numeric"
          min={0}
          max={100}
          value={draft.probability}
          disabled={!canEdit}
          aria-invalid={invalid('probability')}
          aria-describedby={describedBy('probability')}
          onChange={(e) => onChange({ probability: e.target.value })}
        />
        <Problem id={`${field('probability')}-error`} text={problems.probability} />
      </div>
      <div>
        <Select
          aria-label={`Kind of ${label}`}
          data-testid="stage-kind"
          value={draft.kind}
          disabled={!canEdit}
          aria-invalid={invalid('kind')}
          onChange={(e) => onChange({ kind: e.target.value as StageKind })}
        >
          {KINDS.map(([k, text]) => (
            <option key={k} value={k}>
              {text}
            </option>
          ))}
        </Select>
        <Problem id={`${field('kind')}-error`} text={problems.kind} />
      </div>
      <div>
        <Input
          aria-label={`Rotting days of ${label} (empty: never)`}
          data-testid="stage-rotting"
          type="number"
          inputMode="numeric"
          min={1}
          max={3650}
          placeholder="Never"
          value={draft.rottingDays}
          disabled={!canEdit}
          aria-invalid={invalid('rottingDays')}
          aria-describedby={describedBy('rottingDays')}
          onChange={(e) => onChange({ rottingDays: e.target.value })}
        />
        <Problem id={`${field('rottingDays')}-error`} text={problems.rottingDays} />
      </div>
      <div>
        <RequiredFieldsPicker
          id={field('requiredFields')}
          stageName={label}
          value={draft.requiredFields}
          options={options}
          disabled={!canEdit}
          invalid={Boolean(problems.requiredFields)}
          onChange={(requiredFields) => onChange({ requiredFields })}
        />
        <Problem id={`${field('requiredFields')}-error`} text={problems.requiredFields} />
      </div>
      {canEdit ? (
        <div className="flex gap-0.5 pt-1">
          <button
            type="button"
            className={ICON_BUTTON}
            ref={up}
            aria-label={`Move ${label} up`}
            data-testid="stage-up"
            disabled={index === 0}
            onClick={() => onMove(index, index - 1)}
          >
            <ArrowUp size={14} aria-hidden />
          </button>
          <button
            type="button"
            className={ICON_BUTTON}
            ref={down}
            aria-label={`Move ${label} down`}
            data-testid="stage-down"
            disabled={index === count - 1}
            onClick={() => onMove(index, index + 1)}
          >
            <ArrowDown size={14} aria-hidden />
          </button>
          <button
            type="button"
            className={cn(ICON_BUTTON, 'hover:text-danger')}
            aria-label={`Remove ${label}`}
            data-testid="stage-remove"
            onClick={onRemove}
          >
            <Trash2 size={14} aria-hidden />
          </button>
        </div>
      ) : (
        <span />
      )}
    </li>
  );
}

/**
 * A pipeline's stages in order, each editable in place. Reorder by dragging a row's grip (with
 * the keyboard: focus the grip, Space, arrows, Space) or with its up and down buttons.
 */
export function StageList({
  drafts,
  canEdit,
  problems,
  options,
  onChange,
}: {
  drafts: StageDraft[];
  canEdit: boolean;
  problems: Record<string, StageProblems>;
  options: ReadonlyArray<{ value: string; label: string }>;
  onChange: (next: StageDraft[]) => void;
}) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor),
  );
  const [lastMove, setLastMove] = useState<{ key: string; direction: 'up' | 'down' } | null>(null);
  const nameOf = (key: string | number) => {
    const i = drafts.findIndex((d) => d.key === key);
    return drafts[i]?.name.trim() || `stage ${i + 1}`;
  };
  // dnd-kit's own announcements read out ids; people need the stage names.
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${nameOf(active.id)}.`,
    onDragOver: ({ active, over }) =>
      over ? `${nameOf(active.id)} is over ${nameOf(over.id)}.` : undefined,
    onDragEnd: ({ active, over }) =>
      over ? `${nameOf(active.id)} dropped at ${nameOf(over.id)}.` : 'Dropped.',
    onDragCancel: ({ active }) => `Moving ${nameOf(active.id)} was cancelled.`,
  };
  const handleMoveButton = (from: number, to: number) => {
    const d = drafts[from];
    if (d) setLastMove({ key: d.key, direction: to < from ? 'up' : 'down' });
    onChange(moved(drafts, from, to));
  };
  const handleDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = drafts.findIndex((d) => d.key === active.id);
    const to = drafts.findIndex((d) => d.key === over.id);
    if (from >= 0 && to >= 0) onChange(moved(drafts, from, to));
  };
  const update = (key: string, patch: Partial<StageDraft>) =>
    onChange(drafts.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  return (
    <DndContext sensors={sensors} onDragEnd={handleDragEnd} accessibility={{ announcements }}>
      <div className="overflow-x-auto rounded-lg border border-line">
        <div className="min-w-[44rem]">
          <div
            aria-hidden
            className={cn(
              GRID,
              'border-b border-line bg-muted/60 px-2 py-1.5 text-xs font-medium uppercase tracking-wide text-ink-soft',
            )}
          >
            <span />
            <span>Stage</span>
            <span>Win %</span>
            <span>Kind</span>
            <span>Rots after</span>
            <span>Required</span>
            <span />
          </div>
          <ul aria-label="Stages, in order" data-testid="stage-list">
            {drafts.map((d, i) => (
              <StageRow
                key={d.key}
                draft={d}
                index={i}
                count={drafts.length}
                canEdit={canEdit}
                problems={problems[d.key] ?? {}}
                options={options}
                focusMove={lastMove?.key === d.key ? lastMove.direction : null}
                onChange={(patch) => update(d.key, patch)}
                onMove={handleMoveButton}
                onRemove={() => onChange(drafts.filter((x) => x.key !== d.key))}
              />
            ))}
          </ul>
        </div>
      </div>
    </DndContext>
  );
}
