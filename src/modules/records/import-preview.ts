import type { Ctx } from '../../platform/context/index.js';
import { describeFields, labelOf } from '../../platform/objects/index.js';
import { loadCustomFields } from './custom-fields.js';
import { importableFields, suggestMapping } from './import-mapping.js';
import { readHeaders, readImportRows } from './import-rows.js';
import { loadReadable } from './imports.js';

/** How many data rows a preview shows: enough to recognize the columns, cheap to read. */
const PREVIEW_ROWS = 5;

/** A field an import column can fill, as the mapping step offers it. */
export interface ImportFieldOption {
  /** What a mapping names (`custom.<key>` for a custom field of a built-in object). */
  key: string;
  label: string;
  /** A row without it is rejected. */
  required: boolean;
}

/** An import's file as the mapping step shows it. */
export interface ImportPreview {
  /** The columns, in file order. */
  headers: string[];
  /** The first rows, each cell by column. */
  rows: Array<Record<string, string>>;
  /** The mapping a fresh upload would get from the headers alone. */
  suggested: Record<string, string>;
  /** Every field a column can fill. */
  fields: ImportFieldOption[];
}

/**
 * The columns, first rows, suggested mapping and importable fields of an import's stored file, so
 * that a person can map the columns after one upload and run it again (`runFromDryRun`).
 */
export async function previewImport(ctx: Ctx, id: string): Promise<ImportPreview> {
  const imp = await loadReadable(ctx, id);
  const defs = await ctx.tx((tx) => loadCustomFields(tx, ctx.organizationId, imp.object_type));
  const live = defs.filter((d) => !d.archived);
  const headers = await readHeaders(imp.file_path, imp.format);
  const rows: Array<Record<string, string>> = [];
  for await (const r of readImportRows(imp.file_path, imp.format)) {
    rows.push(r.values);
    if (rows.length === PREVIEW_ROWS) break;
  }
  const declared = ctx.deps.modules.objects.get(imp.object_type);
  const described = new Map((declared ? describeFields(declared) : []).map((f) => [f.key, f]));
  const customKeys = live.map((d) => d.key);
  const fields = importableFields(imp.object_type, customKeys).map((key): ImportFieldOption => {
    const custom = live.find((d) => key === d.key || key === `custom.${d.key}`);
    if (custom) return { key, label: custom.label, required: custom.required };
    const own = described.get(key);
    // An object defined as data always needs its name; a built-in one says what it requires.
    return {
      key,
      label: own?.label ?? labelOf(key),
      required: own?.required ?? (!declared && key === 'name'),
    };
  });
  return {
    headers,
    rows,
    suggested: suggestMapping(headers, { objectType: imp.object_type, customKeys }),
    fields,
  };
}
