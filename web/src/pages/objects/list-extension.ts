/**
 * What a module adds to the generic list page of its own object — and nothing else: the table,
 * sorting, filters in the URL, views, group-by, bulk actions and export stay the generic page's
 * (ARCHITECTURE.md: "a module's pages add only what is special to it").
 */
import type { ReactNode } from 'react';
import type { ObjectRecord } from '../../api/records';
import type { ListState, ParamAliases } from './list-query';

/** A cell a module draws for one of its columns instead of the generic value. */
export type CellRenderer = (record: ObjectRecord) => ReactNode;

/** The props of a module's own create form, opened by New and the `n` key. */
export interface CreateDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/** The loaded rows of the list and the server's count of all that match. */
export interface ListPage {
  records: readonly ObjectRecord[];
  total: number;
}

/** A module's additions to its object's list page; every part is optional. */
export interface ListExtension {
  /** Buttons in the page header, before Import and New. */
  actions?: ReactNode;
  /** Controls beside the search box, e.g. quick filters that write the list state (so the URL). */
  toolbar?: (state: ListState, onState: (next: ListState) => void) => ReactNode;
  /** Cells by column id (the field's filter key: `priority`, `custom.tier`). */
  cells?: Readonly<Partial<Record<string, CellRenderer>>>;
  /** The columns shown until the user chooses, by column id, instead of the generic pick. */
  defaultColumns?: readonly string[];
  /** Column widths in pixels by column id until the user drags them, so the defaults fit. */
  columnSizes?: Readonly<Record<string, number>>;
  /** Short URL parameters other pages link with, each standing for one condition (`ParamAlias`). */
  params?: ParamAliases;
  /** What the table says of the rows at its top right instead of "12 deals" (e.g. their sum). */
  summary?: (page: ListPage) => ReactNode;
  /** The rows' test id, for a module whose tests name its rows (`deal-row`); else `record-row`. */
  rowTestId?: string;
  /** The module's create form instead of the generic one. */
  createDialog?: (props: CreateDialogProps) => ReactNode;
}
