import type { DesignMatrix, FeatureKind, FeatureSpec, SourceRecord } from './types.ts';

const DAY_MS = 86_400_000;
/** The key a missing categorical value is counted under, so "no source" can be a factor too. */
const MISSING_LEVEL = '(none)';

/** Where a design-matrix column comes from, so explanations can name "source = Referral". */
export interface ColumnInfo {
  field: string;
  kind: FeatureKind;
  /** `value` for the number itself, `missing` for the indicator, `level` / `other` / `tag`. */
  role: 'value' | 'missing' | 'level' | 'other' | 'tag';
  /** The category level or tag this column is 1 for. */
  value?: string;
  label: string;
}

/** How one field is encoded; plain JSON so a trained model can be stored. */
export type EncodedField =
  | { name: string; kind: 'numeric' | 'date' | 'boolean'; median: number; hasMissing: boolean }
  | { name: string; kind: 'categorical'; levels: string[] }
  | { name: string; kind: 'tags'; tags: string[] };

/** A fitted encoder: what was learned from the training rows only. */
export interface FeatureEncoder {
  /** Dates become days before this instant (ISO), so a model does not drift with the clock. */
  referenceTime: string;
  fields: EncodedField[];
  columns: ColumnInfo[];
}

/** Options of `fitEncoder`. */
export interface EncoderOptions {
  /** Most frequent levels (and tags) kept per field; the rest become "other". */
  topK?: number;
  /** Reference instant for date fields; defaults to the latest date seen, so training is reproducible. */
  referenceTime?: string;
}

/** Reads a number, accepting numeric strings; anything else is missing. */
function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function readBoolean(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === 'true' || value === 1) return 1;
  if (value === 'false' || value === 0) return 0;
  return undefined;
}

function readTime(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

function readLevel(value: unknown): string {
  if (value === null || value === undefined || value === '') return MISSING_LEVEL;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function readTags(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((t): t is string => typeof t === 'string' && t !== '');
}

/** Reads a numeric-like field (numeric, date in days before the reference, boolean as 0/1). */
function readScalar(kind: FeatureKind, value: unknown, referenceMs: number): number | undefined {
  if (kind === 'boolean') return readBoolean(value);
  if (kind === 'date') {
    const t = readTime(value);
    return t === undefined ? undefined : (referenceMs - t) / DAY_MS;
  }
  return readNumber(value);
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? 0) + hi) / 2;
}

/** The `k` most frequent keys, ties broken by name so the encoder is deterministic. */
function topKeys(counts: Map<string, number>, k: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, k)
    .map(([key]) => key);
}

function latestTime(rows: readonly SourceRecord[], specs: readonly FeatureSpec[]): number {
  let latest = Number.NEGATIVE_INFINITY;
  for (const spec of specs) {
    if (spec.kind !== 'date') continue;
    for (const row of rows) latest = Math.max(latest, readTime(row[spec.name]) ?? latest);
  }
  return Number.isFinite(latest) ? latest : 0;
}

function fitField(
  spec: FeatureSpec,
  rows: readonly SourceRecord[],
  topK: number,
  referenceMs: number,
): EncodedField {
  if (spec.kind === 'categorical' || spec.kind === 'tags') {
    const counts = new Map<string, number>();
    for (const row of rows) {
      const keys = spec.kind === 'tags' ? readTags(row[spec.name]) : [readLevel(row[spec.name])];
      for (const key of new Set(keys)) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // A level seen in every row (or the only one) carries no information; "other" still catches new ones.
    const keys = topKeys(counts, topK).filter((key) => (counts.get(key) ?? 0) < rows.length);
    return spec.kind === 'tags'
      ? { name: spec.name, kind: 'tags', tags: keys }
      : { name: spec.name, kind: 'categorical', levels: keys };
  }
  const present: number[] = [];
  for (const row of rows) {
    const v = readScalar(spec.kind, row[spec.name], referenceMs);
    if (v !== undefined) present.push(v);
  }
  return {
    name: spec.name,
    kind: spec.kind,
    median: median(present),
    hasMissing: present.length < rows.length,
  };
}

function columnsOf(field: EncodedField): ColumnInfo[] {
  const { name, kind } = field;
  if (field.kind === 'categorical') {
    return [
      ...field.levels.map((value) => ({
        field: name,
        kind,
        role: 'level' as const,
        value,
        label: `${name} = ${value}`,
      })),
      { field: name, kind, role: 'other', label: `${name} = other` },
    ];
  }
  if (field.kind === 'tags') {
    return field.tags.map((value) => ({
      field: name,
      kind,
      role: 'tag' as const,
      value,
      label: `${name} has ${value}`,
    }));
  }
  const value: ColumnInfo = { field: name, kind, role: 'value', label: name };
  if (!field.hasMissing) return [value];
  return [value, { field: name, kind, role: 'missing', label: `${name} is missing` }];
}

/** Learns medians, levels and tags from the training rows; the columns follow the spec's order. */
export function fitEncoder(
  rows: readonly SourceRecord[],
  specs: readonly FeatureSpec[],
  options: EncoderOptions = {},
): FeatureEncoder {
  const used = specs.filter((s) => s.excluded !== true);
  const referenceMs =
    options.referenceTime === undefined
      ? latestTime(rows, used)
      : (readTime(options.referenceTime) ?? 0);
  const fields = used.map((spec) => fitField(spec, rows, options.topK ?? 10, referenceMs));
  return {
    referenceTime: new Date(referenceMs).toISOString(),
    fields,
    columns: fields.flatMap(columnsOf),
  };
}

/** Writes one record's columns into `out` starting at `offset`. */
function encodeInto(
  encoder: FeatureEncoder,
  referenceMs: number,
  record: SourceRecord,
  out: Float64Array,
  offset: number,
): void {
  let col = offset;
  for (const field of encoder.fields) {
    const raw = record[field.name];
    if (field.kind === 'categorical') {
      const at = field.levels.indexOf(readLevel(raw));
      out[col + (at === -1 ? field.levels.length : at)] = 1;
      col += field.levels.length + 1;
    } else if (field.kind === 'tags') {
      for (const tag of readTags(raw)) {
        const at = field.tags.indexOf(tag);
        if (at !== -1) out[col + at] = 1;
      }
      col += field.tags.length;
    } else {
      const v = readScalar(field.kind, raw, referenceMs);
      out[col] = v ?? field.median;
      if (field.hasMissing) out[col + 1] = v === undefined ? 1 : 0;
      col += field.hasMissing ? 2 : 1;
    }
  }
}

/** Encodes rows into a design matrix with the encoder's columns. */
export function encodeRows(encoder: FeatureEncoder, rows: readonly SourceRecord[]): DesignMatrix {
  const cols = encoder.columns.length;
  const values = new Float64Array(rows.length * cols);
  const referenceMs = Date.parse(encoder.referenceTime);
  rows.forEach((row, i) => encodeInto(encoder, referenceMs, row, values, i * cols));
  return { rows: rows.length, cols, values };
}

/** Encodes one record into a row of the encoder's columns. */
export function encodeRecord(encoder: FeatureEncoder, record: SourceRecord): Float64Array {
  return encodeRows(encoder, [record]).values;
}
