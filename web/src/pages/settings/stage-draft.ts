import type { FieldProblem } from '../../api/client';
import type { ObjectField, Pipeline } from '../../api/types';

/** What a stage means for its deals: still being worked, closed won or closed lost. */
export type StageKind = 'open' | 'won' | 'lost';

/** A stage as the editor holds it: inputs as typed, so a half-typed number is not lost. */
export interface StageDraft {
  /** Stable across reordering: the stage's id, or a made-up one until a new stage is saved. */
  key: string;
  /** The saved stage this draft edits; absent for a stage added in the editor. */
  id?: string;
  name: string;
  /** Win probability in percent, as typed. */
  probability: string;
  kind: StageKind;
  /** Days without activity before a deal counts as rotting, as typed; empty means never. */
  rottingDays: string;
  requiredFields: string[];
}

/** A stage as PATCH /pipelines/{id} takes it (the whole ordered list is sent). */
export interface StageBody {
  id?: string;
  name: string;
  probability: number;
  kind: StageKind;
  rottingDays: number | null;
  requiredFields: string[];
}

/** The deal fields a stage may require, besides the deal object's custom fields. */
export const BUILT_IN_REQUIRED_FIELDS: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'amount', label: 'Amount' },
  { value: 'expectedCloseDate', label: 'Expected close date' },
  { value: 'contactId', label: 'Contact' },
  { value: 'companyId', label: 'Company' },
  { value: 'ownerId', label: 'Owner' },
  { value: 'probability', label: 'Probability' },
];

/** The server's pattern for a custom field a stage may require (`custom.<key>`). */
const CUSTOM_KEY = /^[a-z][a-zA-Z0-9_]*$/;

/** Every field a stage may require: the built-in ones, then the deal object's custom fields. */
export function requiredFieldOptions(
  dealFields: readonly Pick<ObjectField, 'key' | 'label' | 'custom'>[],
): Array<{ value: string; label: string }> {
  const custom = dealFields
    .filter((f) => f.custom && CUSTOM_KEY.test(f.key))
    .map((f) => ({ value: `custom.${f.key}`, label: f.label }));
  return [...BUILT_IN_REQUIRED_FIELDS, ...custom];
}

/** The editor's drafts of a saved pipeline's stages, in order. */
export const draftsOf = (pipeline: Pick<Pipeline, 'stages'>): StageDraft[] =>
  pipeline.stages.map((s) => ({
    key: s.id,
    id: s.id,
    name: s.name,
    probability: String(s.probability),
    kind: s.kind,
    rottingDays: s.rottingDays === null ? '' : String(s.rottingDays),
    requiredFields: [...s.requiredFields],
  }));

/** A new open stage; `key` must be unique among the drafts. */
export const newStageDraft = (key: string): StageDraft => ({
  key,
  name: '',
  probability: '50',
  kind: 'open',
  rottingDays: '',
  requiredFields: [],
});

const isWholeIn = (text: string, min: number, max: number): boolean => {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
};

/**
 * What the browser can tell before saving: numbers that are blank or out of range, keyed by draft.
 * Everything else (names, kinds, unique names, stages in use) the API decides and names.
 */
export function draftProblems(drafts: readonly StageDraft[]): Record<string, StageProblems> {
  const byStage: Record<string, StageProblems> = {};
  for (const d of drafts) {
    const problems: StageProblems = {};
    if (!d.name.trim()) problems.name = 'Give the stage a name';
    if (!isWholeIn(d.probability, 0, 100))
      problems.probability = 'Enter a whole number from 0 to 100';
    if (d.rottingDays.trim() !== '' && !isWholeIn(d.rottingDays, 1, 3650))
      problems.rottingDays = 'Whole days from 1 to 3650, or empty for never';
    if (Object.keys(problems).length) byStage[d.key] = problems;
  }
  return byStage;
}

/** The drafts as the `stages` of one PATCH: ids keep saved stages, omitted ones are removed. */
export const stagesBody = (drafts: readonly StageDraft[]): StageBody[] =>
  drafts.map((d) => ({
    ...(d.id ? { id: d.id } : {}),
    name: d.name.trim(),
    probability: Number(d.probability.trim()),
    kind: d.kind,
    rottingDays: d.rottingDays.trim() === '' ? null : Number(d.rottingDays.trim()),
    requiredFields: d.requiredFields,
  }));

/** A draft as it would be saved, to compare with another: the editor's key and stray spaces aside. */
const comparable = ({ key: _key, ...d }: StageDraft) => ({
  ...d,
  name: d.name.trim(),
  probability: d.probability.trim(),
  rottingDays: d.rottingDays.trim(),
});

/** Whether the drafts differ from the saved stages (order included): what Save would change. */
export const hasStageChanges = (
  drafts: readonly StageDraft[],
  pipeline: Pick<Pipeline, 'stages'>,
): boolean =>
  JSON.stringify(drafts.map(comparable)) !== JSON.stringify(draftsOf(pipeline).map(comparable));

/** Field problems of one stage, by field (`name`, `probability`, …, or `stage` for the whole stage). */
export type StageProblems = Record<string, string>;

/**
 * Sorts the API's problems with a PATCH: `stages.2.probability` goes next to the third draft's
 * probability, anything about the list as a whole (`stages`, `name`) stays general.
 */
export function problemsOf(
  details: readonly FieldProblem[],
  drafts: readonly StageDraft[],
): { byStage: Record<string, StageProblems>; general: FieldProblem[] } {
  const byStage: Record<string, StageProblems> = {};
  const general: FieldProblem[] = [];
  for (const d of details) {
    const [head, index, field] = d.path.split('.');
    const draft = head === 'stages' && index !== undefined ? drafts[Number(index)] : undefined;
    if (!draft) {
      general.push(d);
      continue;
    }
    // `stages.1.requiredFields.0` belongs to the required fields as a whole.
    const name = field ?? 'stage';
    const problems = (byStage[draft.key] ??= {});
    const before = problems[name];
    problems[name] = before ? `${before}; ${d.message}` : d.message;
  }
  return { byStage, general };
}
