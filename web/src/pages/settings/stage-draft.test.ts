import { describe, expect, it } from 'vitest';
import { moved } from './custom-field-list';
import {
  draftProblems,
  draftsOf,
  hasStageChanges,
  newStageDraft,
  problemsOf,
  requiredFieldOptions,
  stagesBody,
  type StageKind,
} from './stage-draft';

const stage = (
  id: string,
  name: string,
  kind: StageKind = 'open',
  rottingDays: number | null = 14,
) => ({
  id,
  name,
  position: 0,
  probability: kind === 'won' ? 100 : kind === 'lost' ? 0 : 40,
  kind,
  rottingDays,
  requiredFields: kind === 'open' ? ['amount'] : [],
});
const pipeline = {
  stages: [stage('s1', 'Lead'), stage('s2', 'Won', 'won', null), stage('s3', 'Lost', 'lost', null)],
};

describe('pipeline stage drafts', () => {
  it('round-trips saved stages into the PATCH body unchanged, with ids and "never" rotting as null', () => {
    const body = stagesBody(draftsOf(pipeline));
    expect(body).toEqual([
      {
        id: 's1',
        name: 'Lead',
        probability: 40,
        kind: 'open',
        rottingDays: 14,
        requiredFields: ['amount'],
      },
      {
        id: 's2',
        name: 'Won',
        probability: 100,
        kind: 'won',
        rottingDays: null,
        requiredFields: [],
      },
      {
        id: 's3',
        name: 'Lost',
        probability: 0,
        kind: 'lost',
        rottingDays: null,
        requiredFields: [],
      },
    ]);
    expect(hasStageChanges(draftsOf(pipeline), pipeline)).toBe(false);
  });

  it('sends a reordered list in its new order and counts the order as a change', () => {
    const drafts = moved(draftsOf(pipeline), 2, 1);
    expect(stagesBody(drafts).map((s) => s.id)).toEqual(['s1', 's3', 's2']);
    expect(hasStageChanges(drafts, pipeline)).toBe(true);
  });

  it('sends a new stage without an id, trims names, and leaves out a removed stage', () => {
    const added = {
      ...newStageDraft('new-1'),
      name: '  Demo ',
      probability: '30',
      rottingDays: ' 7 ',
    };
    const drafts = [...draftsOf(pipeline).filter((d) => d.id !== 's3'), added];
    const body = stagesBody(drafts);
    expect(body.map((s) => s.id ?? 'new')).toEqual(['s1', 's2', 'new']);
    expect(body[2]).toEqual({
      name: 'Demo',
      probability: 30,
      kind: 'open',
      rottingDays: 7,
      requiredFields: [],
    });
    expect(hasStageChanges(drafts, pipeline)).toBe(true);
  });

  it('catches blank and out-of-range numbers and blank names before saving, per stage', () => {
    const [first, second, ...rest] = draftsOf(pipeline);
    if (!first || !second) throw new Error('no stage');
    const drafts = [
      { ...first, probability: ' ', rottingDays: '0' },
      { ...second, name: '  ', probability: '100.5' },
      ...rest,
    ];
    expect(draftProblems(drafts)).toEqual({
      s1: {
        probability: 'Enter a whole number from 0 to 100',
        rottingDays: 'Whole days from 1 to 3650, or empty for never',
      },
      s2: { name: 'Give the stage a name', probability: 'Enter a whole number from 0 to 100' },
    });
    expect(draftProblems(draftsOf(pipeline))).toEqual({});
  });

  it('counts a cleared number as a change even where the saved value was 0', () => {
    const drafts = draftsOf(pipeline).map((d) => (d.id === 's3' ? { ...d, probability: '' } : d));
    expect(hasStageChanges(drafts, pipeline)).toBe(true);
    const spaced = draftsOf(pipeline).map((d) => (d.id === 's1' ? { ...d, name: ' Lead ' } : d));
    expect(hasStageChanges(spaced, pipeline)).toBe(false);
  });

  it('offers the built-in fields and the deal custom fields whose keys the API accepts', () => {
    const options = requiredFieldOptions([
      { key: 'amount', label: 'Amount', custom: false },
      { key: 'budgetCode', label: 'Budget code', custom: true },
      { key: 'Bad-Key', label: 'Bad', custom: true },
    ]);
    const values = options.map((o) => o.value);
    expect(values).toContain('expectedCloseDate');
    expect(values).toContain('custom.budgetCode');
    expect(values).not.toContain('custom.Bad-Key');
    // The built-in amount is offered once, not again as a field of the object.
    expect(values.filter((v) => v === 'amount')).toHaveLength(1);
  });

  it("puts the API's problems next to the stage and field they name, and keeps list-wide ones general", () => {
    const drafts = moved(draftsOf(pipeline), 0, 2);
    const { byStage, general } = problemsOf(
      [
        { path: 'stages.2.probability', message: 'Too big: expected number to be <=100' },
        { path: 'stages.2.probability', message: 'Expected number' },
        { path: 'stages.0.requiredFields.1', message: 'must be amount, …' },
        { path: 'stages', message: 'needs at least one won stage' },
        { path: 'stages.9.name', message: 'is required' },
      ],
      drafts,
    );
    expect(byStage).toEqual({
      s1: { probability: 'Too big: expected number to be <=100; Expected number' },
      s2: { requiredFields: 'must be amount, …' },
    });
    expect(general.map((g) => g.path)).toEqual(['stages', 'stages.9.name']);
  });
});
