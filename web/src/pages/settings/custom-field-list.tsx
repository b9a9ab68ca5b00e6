import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
} from '@dnd-kit/core';
import { ArrowDown, ArrowUp, GripVertical } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Badge, Button } from '../../components/ui';
import { cn } from '../../lib/cn';
import { FIELD_TYPES, type Definition } from './custom-field-dialog';

/** The list with one item moved from `from` to `to`. */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item === undefined || to < 0 || to > list.length - 1) return [...list];
  next.splice(to, 0, item);
  return next;
}

const typeWords = (type: string) => FIELD_TYPES.find(([t]) => t === type)?.[1] ?? type;

function FieldItem({
  definition,
  index,
  count,
  busy,
  onMove,
  onEdit,
  onArchive,
  focusMove,
}: {
  definition: Definition;
  index: number;
  count: number;
  busy: boolean;
  onMove: (from: number, to: number) => void;
  /** The button that moved this field last, to take the focus back after the row moved. */
  focusMove: 'up' | 'down' | null;
  onEdit: () => void;
  onArchive: () => void;
}) {
  const drag = useDraggable({ id: definition.id });
  const drop = useDroppable({ id: definition.id });
  const up = useRef<HTMLButtonElement>(null);
  const down = useRef<HTMLButtonElement>(null);
  // The row moved, so its buttons are new elements: keyboard users keep moving the same field.
  useEffect(() => {
    const target = focusMove === 'up' ? up.current : focusMove === 'down' ? down.current : null;
    if (target && !target.disabled) target.focus();
    else if (focusMove) (up.current?.disabled ? down.current : up.current)?.focus();
  }, [focusMove, index]);
  return (
    <li
      ref={drop.setNodeRef}
      data-testid="custom-field-row"
      data-key={definition.key}
      className={cn(
        'flex items-center gap-2 border-b border-line bg-panel px-2 py-2 text-sm last:border-0',
        drop.isOver && !drag.isDragging && 'bg-accent-soft',
        drag.isDragging && 'opacity-50',
      )}
    >
      <button
        type="button"
        ref={drag.setNodeRef}
        {...drag.listeners}
        {...drag.attributes}
        aria-label={`Drag ${definition.label} to reorder`}
        className="cursor-grab rounded p-1 text-ink-soft hover:bg-muted"
      >
        <GripVertical size={15} aria-hidden />
      </button>
      <span className="min-w-0 flex-1">
        <span className="font-medium text-ink">{definition.label}</span>{' '}
        <code className="text-xs text-ink-soft">{definition.key}</code>
      </span>
      <Badge>{typeWords(definition.type)}</Badge>
      {definition.required ? <Badge tone="accent">Required</Badge> : null}
      {definition.personal ? <Badge>Personal data</Badge> : null}
      <Button
        size="sm"
        variant="ghost"
        ref={up}
        aria-label={`Move ${definition.label} up`}
        data-testid="field-up"
        disabled={busy || index === 0}
        onClick={() => onMove(index, index - 1)}
      >
        <ArrowUp size={14} aria-hidden />
      </Button>
      <Button
        size="sm"
        variant="ghost"
        ref={down}
        aria-label={`Move ${definition.label} down`}
        data-testid="field-down"
        disabled={busy || index === count - 1}
        onClick={() => onMove(index, index + 1)}
      >
        <ArrowDown size={14} aria-hidden />
      </Button>
      <Button size="sm" variant="secondary" onClick={onEdit} data-testid="field-edit">
        Edit
      </Button>
      <Button size="sm" variant="ghost" onClick={onArchive} data-testid="field-archive">
        Archive
      </Button>
    </li>
  );
}

/**
 * An object's custom fields in their order: drag a row by its handle (or with the keyboard:
 * focus the handle, Space, arrows, Space) or use the up and down buttons to move it.
 */
export function CustomFieldList({
  definitions,
  busy,
  onReorder,
  onEdit,
  onArchive,
}: {
  definitions: Definition[];
  busy: boolean;
  onReorder: (next: Definition[]) => void;
  onEdit: (definition: Definition) => void;
  onArchive: (definition: Definition) => void;
}) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor),
  );
  const [lastMove, setLastMove] = useState<{ id: string; direction: 'up' | 'down' } | null>(null);
  const move = (from: number, to: number) => onReorder(moved(definitions, from, to));
  const moveWithButton = (from: number, to: number) => {
    const d = definitions[from];
    if (d) setLastMove({ id: d.id, direction: to < from ? 'up' : 'down' });
    move(from, to);
  };
  const handleDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = definitions.findIndex((d) => d.id === active.id);
    const to = definitions.findIndex((d) => d.id === over.id);
    if (from >= 0 && to >= 0) move(from, to);
  };
  return (
    <DndContext sensors={sensors} onDragEnd={handleDragEnd}>
      <ul
        className="overflow-hidden rounded-lg border border-line"
        aria-label="Custom fields, in order"
        data-testid="custom-field-list"
      >
        {definitions.map((d, i) => (
          <FieldItem
            key={d.id}
            definition={d}
            index={i}
            count={definitions.length}
            busy={busy}
            onMove={moveWithButton}
            focusMove={lastMove?.id === d.id ? lastMove.direction : null}
            onEdit={() => onEdit(d)}
            onArchive={() => onArchive(d)}
          />
        ))}
      </ul>
    </DndContext>
  );
}
