import type { Table } from '@tanstack/react-table';
import { DropdownMenu } from 'radix-ui';
import type { ObjectRecord } from '../../api/records';
import { Button } from '../../components/ui';

/** Shows or hides the table's columns; the choice is kept per object in this browser. */
export function ColumnChooser({ table }: { table: Table<ObjectRecord> }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button variant="ghost" size="sm" data-testid="column-chooser">
          Columns
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          className="z-50 max-h-[60vh] min-w-48 overflow-y-auto rounded-md border border-line bg-panel p-1 text-sm shadow-lg"
        >
          {table
            .getAllLeafColumns()
            .filter((c) => c.getCanHide())
            .map((c) => (
              <DropdownMenu.CheckboxItem
                key={c.id}
                checked={c.getIsVisible()}
                onCheckedChange={(v) => c.toggleVisibility(Boolean(v))}
                onSelect={(e) => e.preventDefault()}
                data-testid={`column-${c.id}`}
                className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-ink outline-none data-[highlighted]:bg-muted"
              >
                <span className="w-3 text-accent" aria-hidden>
                  {c.getIsVisible() ? '✓' : ''}
                </span>
                {typeof c.columnDef.header === 'string' ? c.columnDef.header : c.id}
              </DropdownMenu.CheckboxItem>
            ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
